"""A cached `pydyf.PDF.page_references`. pydyf 0.13 rebuilds the tuple of every page's reference each
time the property is read, and WeasyPrint's tagging (weasyprint/pdf/tags.py) reads it once for every
tagged element: pages × elements, quadratic in pages. In a 150-page tagged report that was about a
tenth of all the renderer's function calls (bench/README.md, Render). This returns the same tuple,
rebuilt only when a page was added (pydyf only ever appends to the page list)."""

from __future__ import annotations

from typing import Any

_ORIGINAL: Any = None  # the property pydyf defines, kept to build the tuple exactly as it does
_CACHE = "_auditor_page_references"  # (the Kids array, its length, the tuple) in the PDF's __dict__


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get(_CACHE)
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        cached = (kids, len(kids), _ORIGINAL.fget(pdf))
        pdf.__dict__[_CACHE] = cached
    return cached[2]


def install() -> bool:
    """Cache pydyf's page_references (once per process); False, and nothing changed, when pydyf's
    PDF does not define it as the property this wraps (another pydyf version: left as it is)."""
    global _ORIGINAL
    import pydyf

    current = pydyf.PDF.__dict__.get("page_references")
    if isinstance(current, property) and current.fget is _page_references:
        return True
    if not isinstance(current, property) or current.fget is None or current.fset is not None:
        return False
    _ORIGINAL = current
    pydyf.PDF.page_references = property(_page_references, doc=current.__doc__)  # type: ignore[assignment]
    return True
