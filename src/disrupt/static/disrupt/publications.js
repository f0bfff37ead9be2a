// Texts the group publishes: the "Print" button prints the page (the print styles keep only the text).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
