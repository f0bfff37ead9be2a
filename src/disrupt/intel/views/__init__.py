"""Pages of network intelligence, one module per area (urls.py names them all).

- `collections`: collections, their export, and the entities in them (list, search, detail,
  edit, history).
- `imports`: the upload form and the import's progress and errors.
- `analyses`: asking for an analysis, its progress and its findings; the network and
  money-flow views.
- `assessments`: syndicate assessments, their editing and their DOCX.

Every page starts from `visible_to(request.user)` and answers 404 for what the user may not
know exists; writes go through `intel.actions` only.
"""
