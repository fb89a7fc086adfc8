"""auditor: checks detention-facility inspections against ICE detention standards.

The flow, one way: read → parse → validate (auditor.workbook) → evaluate (auditor.engine,
with auditor.standards) → Results (auditor.contracts.results) → reports and the web app.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("auditor")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
