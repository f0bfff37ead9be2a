// The network view of an analysis: Cytoscape.js over the JSON of intel:network_data.
// Positions come from the server (a preset layout draws thousands of nodes at once); the
// force layout is offered for small selections. No inline script or style: the CSP forbids them.
(function () {
  "use strict";

  var PALETTE = ["#1f6fb2", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207",
    "#be185d", "#4d7c0f", "#1e40af", "#9a3412", "#6d28d9", "#047857", "#b45309", "#334155"];
  var FORCE_LIMIT = 800;
  var LABELLED = 40;

  var container = document.getElementById("network");
  var form = document.getElementById("network-filters");
  if (!container || !form || typeof window.cytoscape !== "function") return;

  var statusLine = document.getElementById("network-status");
  var nodePanel = document.getElementById("node-details");
  var communityPanel = document.getElementById("community-panel");
  var communityNumber = document.getElementById("community-number");
  var communityFacts = document.getElementById("community-facts");
  var assessLink = document.getElementById("community-assess");
  var searchUrl = document.getElementById("entity-search-url").getAttribute("data-entity-search");
  var communitySelect = document.getElementById("f-community");
  var cy = null;

  function colour(community) {
    var n = Number(community) || 0;
    return PALETTE[((n % PALETTE.length) + PALETTE.length) % PALETTE.length];
  }

  function say(text) { statusLine.textContent = text; }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function params() {
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) query.set(key, value); });
    return query;
  }

  function prepare(data) {
    var top = 0;
    data.nodes.forEach(function (n) { top = Math.max(top, n.data.betweenness || 0); });
    data.nodes.forEach(function (n, index) {
      var share = top > 0 ? Math.sqrt((n.data.betweenness || 0) / top) : 0;
      n.data.size = Math.round(10 + 26 * share);
      n.data.colour = colour(n.data.community);
      // Only the strongest brokers carry a label until something is chosen: thousands of
      // labels make a picture nobody can read (and slow the canvas down).
      if (index < LABELLED) n.classes = "labelled";
    });
    return data.nodes.concat(data.edges);
  }

  var STYLE = [
    { selector: "node", style: {
      "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
      "border-width": 1, "border-color": "#ffffff", "label": "", "font-size": 10,
      "color": "#1b2430", "text-valign": "bottom", "text-margin-y": 3,
      "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
      "min-zoomed-font-size": 7 } },
    { selector: "node.labelled, node.highlight, node:selected", style: { "label": "data(label)" } },
    { selector: "node[schema = 'BankAccount']", style: { "shape": "round-rectangle" } },
    { selector: "node[schema = 'Company'], node[schema = 'Organization'], node[schema = 'LegalEntity']", style: { "shape": "diamond" } },
    { selector: "node[schema = 'Vessel'], node[schema = 'Vehicle'], node[schema = 'Airplane']", style: { "shape": "triangle" } },
    { selector: "edge", style: { "width": 1, "line-color": "#aeb8c4", "curve-style": "haystack", "opacity": 0.7 } },
    { selector: "edge[schema = 'Payment']", style: { "line-color": "#b45309", "width": 1.6 } },
    { selector: ".faded", style: { "opacity": 0.12, "label": "" } },
    { selector: "node.highlight", style: { "border-width": 2, "border-color": "#0b2440" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#f2a900" } }
  ];

  function showNode(node) {
    var d = node.data();
    nodePanel.replaceChildren();
    nodePanel.appendChild(el("p", d.label, "network-node__name"));
    var facts = el("dl", null, "facts small");
    [["Kind", d.schema], ["Country", (d.country || "—").toUpperCase()], ["Community", d.community],
      ["Network", d.component], ["Betweenness", Math.round(d.betweenness || 0).toLocaleString()],
      ["Links shown", node.degree(false)]].forEach(function (pair) {
      facts.appendChild(el("dt", pair[0]));
      facts.appendChild(el("dd", String(pair[1])));
    });
    nodePanel.appendChild(facts);
    var actions = el("p", null, "network-node__actions");
    var select = el("button", "Select its community", "btn btn-small");
    select.type = "button";
    select.addEventListener("click", function () { selectCommunity(d.community); });
    actions.appendChild(select);
    var open = el("a", "Open the entity", "btn btn-small");
    open.href = searchUrl + "?q=" + encodeURIComponent(d.id);
    actions.appendChild(open);
    nodePanel.appendChild(actions);
  }

  function selectCommunity(number) {
    if (!cy) return;
    var chosen = String(number);
    var members = cy.nodes().filter(function (n) { return String(n.data("community")) === chosen; });
    cy.elements().removeClass("highlight").addClass("faded");
    members.removeClass("faded").addClass("highlight");
    members.edgesWith(members).removeClass("faded");
    var countries = {};
    members.forEach(function (n) { if (n.data("country")) countries[n.data("country").toUpperCase()] = true; });
    communityNumber.textContent = chosen;
    communityFacts.textContent = members.length + " member" + (members.length === 1 ? "" : "s") +
      " shown" + (Object.keys(countries).length ? ", in " + Object.keys(countries).sort().join(", ") : "") + ".";
    assessLink.href = assessLink.getAttribute("data-base") + encodeURIComponent(chosen);
    communityPanel.hidden = false;
    if (communitySelect && communitySelect.value !== chosen) {
      var has = Array.prototype.some.call(communitySelect.options, function (o) { return o.value === chosen; });
      if (has) communitySelect.value = chosen;
    }
    if (members.length) fitTo(members);
  }

  // A small selection would otherwise fill the screen with a few giant discs.
  function fitTo(elements) {
    cy.fit(elements, 40);
    if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(elements); }
  }

  function clearCommunity() {
    if (!cy) return;
    cy.elements().removeClass("faded highlight");
    communityPanel.hidden = true;
  }

  function draw(data) {
    var elements = prepare(data);
    var large = data.nodes.length > 1000;
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: container,
      elements: elements,
      style: STYLE,
      layout: { name: "preset", fit: true, padding: 20 },
      minZoom: 0.02,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      pixelRatio: 1,
      hideEdgesOnViewport: large,
      textureOnViewport: large,
      motionBlur: false
    });
    fitTo(cy.elements());
    cy.on("tap", "node", function (event) { showNode(event.target); });
    cy.on("tap", function (event) { if (event.target === cy) clearCommunity(); });
    var shown = data.nodes.length.toLocaleString();
    var text = data.total > data.nodes.length
      ? "Showing the " + shown + " strongest brokers of " + data.total.toLocaleString() + " entities; narrow the filters to see the rest."
      : shown + " entit" + (data.nodes.length === 1 ? "y" : "ies") + ", " + data.edges.length.toLocaleString() + " link" + (data.edges.length === 1 ? "" : "s") + ".";
    if (data.narrowed) text += " Sharing has narrowed since the analysis ran: what you can no longer read is left out.";
    say(text);
    container.setAttribute("data-nodes", String(data.nodes.length));
    var query = params();
    if (query.get("community")) selectCommunity(query.get("community"));
  }

  function load() {
    var query = params();
    say("Loading the network…");
    history.replaceState(null, "", "?" + query.toString());
    fetch(container.getAttribute("data-url") + "?" + query.toString(), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(draw).catch(function (error) {
      say("The network could not be loaded (" + error.message + ").");
    });
  }

  // Filters given in the address (a link from a community) fill the form first.
  new URLSearchParams(window.location.search).forEach(function (value, key) {
    var field = form.elements.namedItem(key);
    if (field && "value" in field) field.value = value;
  });

  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  document.getElementById("network-fit").addEventListener("click", function () { if (cy) fitTo(cy.elements()); });
  document.getElementById("network-force").addEventListener("click", function () {
    if (!cy) return;
    if (cy.nodes().length > FORCE_LIMIT) {
      say("Spreading out works on up to " + FORCE_LIMIT + " entities: choose a community or a country first.");
      return;
    }
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 60, numIter: 1000 }).run();
  });
  load();
})();
