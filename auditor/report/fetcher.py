"""The only URL fetcher the PDF renderer gets: it serves the project's packaged assets, nothing else.

`file:`, `http:`, `https:`, `data:` and every other scheme are refused, so nothing an
inspector typed — an <img src>, a stylesheet link — can make the renderer read a local file
or call the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from auditor.paths import reports_dir

SCHEME = "auditor-asset:"


class RefusedURL(ValueError):
    """Raised for any URL that is not one of the packaged assets."""


class PackagedAssetFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(SCHEME):
            path = asset_path(url[len(SCHEME) :])
            if path is not None:
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})
        self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url[:80]!r}: reports use packaged assets only")


def asset_path(name: str) -> Path | None:
    """The packaged asset of that name, or None (never a file outside reports/assets)."""
    root = (reports_dir() / "assets").resolve()
    path = (root / name.lstrip("/")).resolve()
    if root in path.parents and path.is_file():
        return path
    return None
