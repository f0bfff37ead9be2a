"""Pages of cross-border matching, one module per area (urls.py names them all).

- `hits`: the user's hits, one hit from the user's side, judging it and asking for disclosure.
- `disclosures`: disclosure requests (incoming and outgoing), the owner's decision, the
  requester's withdrawal, and the disclosed copy.
- `uploads`: selector-only uploads: the list, the upload form, an upload's progress, deletion.
- `runs`: a matching job's progress, matching on demand (administrators, or a collection's
  owner) and the wide values an administrator excludes or allows.

Every page starts from `visible_to(request.user)` and answers 404 for what the user may not
know exists; writes go through `matching.actions` only. A hit is shown only through
`present.hit_for`, which never carries the other side's content.
"""
