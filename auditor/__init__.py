"""auditor: checks detention-facility inspections against ICE detention standards.

The flow, one way: read → parse → validate (auditor.workbook) → evaluate (auditor.engine,
with auditor.standards) → Results (auditor.contracts.results) → reports and the web app.
"""

import os
from importlib.metadata import PackageNotFoundError, version

# openpyxl parses with lxml whenever lxml is installed (pyHanko, for signatures, installs it), and
# then not through defusedxml: every workbook openpyxl opens here is untrusted, so it is told, before
# it is first imported, to keep to defusedxml (openpyxl reads this once, at its import).
os.environ["OPENPYXL_LXML"] = "False"

try:
    __version__ = version("auditor")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
