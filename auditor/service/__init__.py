"""The service: one workspace (a data folder) and the use cases over it, called by both faces.

workspace.py   Workspace: the data folder, its database and stored files, the processing pool
accounts.py    accounts and passwords                 files.py     originals stored by SHA-256
store.py       uploads, inspections, facilities       processing.py validate → annotate | audit
waivers.py     waivers kept in the database           reports.py   template, PDFs (rendered once)
roster.py      ICE's roster: import, a facility, the pre-filled template
signoff.py     signing off a version: its final report, signed and stored once
signing.py     the data folder's signing key; PAdES signing and checking (auditor verify)

The command line (`auditor … --data DIR`) and the web app (`auditor serve --data DIR`) open the
same Workspace; nothing here imports either of them.
"""

from auditor.service.workspace import Workspace

__all__ = ["Workspace"]
