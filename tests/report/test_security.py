"""Inspector text never becomes markup, and the renderer fetches nothing but packaged assets.

A real HTTP server runs on an ephemeral port for these tests: the hostile inspection links a
stylesheet on it, so any fetch would show up as a request.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_scenarios import IMG, SCRIPT, hostile_builder, pdf_text, stylesheet_link
from weasyprint import HTML

from auditor.core import audit_inspection
from auditor.paths import reports_dir
from auditor.report import fetcher as fetcher_module
from auditor.report.facility import facility_html, facility_pdf
from auditor.report.fetcher import PackagedAssetFetcher, RefusedURL
from auditor.report.pdf import write_pdf


@dataclass
class Server:
    port: int
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Server]:
    """A local HTTP server that records every request (and serves a stylesheet)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = b"body { background: red }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(httpd.server_address[1], seen)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def no_space(text: str) -> str:
    """Long unbroken text wraps anywhere in narrow columns: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def passwd_line() -> str:
    return Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]


def test_the_server_sees_a_fetch_when_one_happens(server, tmp_path):
    """The control: WeasyPrint's default fetcher does request the linked stylesheet."""
    HTML(string=f"<p>x</p>{stylesheet_link(server.port)}").write_pdf(tmp_path / "control.pdf")
    assert server.requests == ["/x.css"]


@pytest.mark.slow
def test_inspector_markup_is_text_in_the_pdf_and_escaped_in_the_html(server, tmp_path):
    link = stylesheet_link(server.port)
    done = audit_inspection(hostile_builder(server.port).xlsx(tmp_path / "hostile.xlsx"))
    assert done.results is not None, done.loaded.problems.records()
    results = done.results
    assert results.facility["facility_name"] == f"{SCRIPT} Processing Center"

    pdf = facility_pdf(results, tmp_path / "hostile.pdf")
    html = facility_html(results, preview=True)

    text = no_space(pdf_text(pdf))
    # the literal text, where the inspector typed it: cover, facility, remarks, food-log locations
    assert no_space(f"{SCRIPT} Processing Center") in text
    assert no_space(IMG) in text
    assert no_space(link) in text
    assert no_space(f"Observed by the inspector: {IMG} {link}") in text
    assert no_space(f"no reading at {link} on 2026-01-01") in text
    assert "****ipt>" in text  # the detainee id, masked to its last four characters
    # the PDF's metadata carries the name as text too
    assert PdfReader(pdf).metadata.title.startswith(f"Compliance report — {SCRIPT} Processing Center")

    # nothing was fetched: no request to the server, no local file read into the report
    assert server.requests == []
    assert passwd_line() not in pdf_text(pdf)
    assert "root:x:0:0" not in pdf_text(pdf)

    # the preview: every piece of inspector text is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Processing Center" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    escaped_link = f"&lt;link rel=&#34;stylesheet&#34; href=&#34;http://127.0.0.1:{server.port}/x.css&#34;&gt;"
    assert escaped_link in html
    assert "****ipt&gt;" in html
    assert "<script" not in html
    assert "<img src=\"file:" not in html
    assert "<link" not in html
    assert f"127.0.0.1:{server.port}/x.css\"" not in html  # never an attribute value


def test_markup_that_reached_the_renderer_would_still_fetch_nothing(server, tmp_path):
    """Defence in depth: even raw tags in the HTML (never produced by the templates) load nothing."""
    hostile = (
        f"<html><head>{stylesheet_link(server.port)}</head><body><p>text</p>{IMG}"
        f'<img src="http://127.0.0.1:{server.port}/pixel.png">'
        f'<img src="https://127.0.0.1:{server.port}/pixel.png">'
        f'<div style="background: url(http://127.0.0.1:{server.port}/bg.png)">x</div>'
        f'<style>@import url("http://127.0.0.1:{server.port}/import.css");'
        f'@font-face {{ font-family: X; src: url("http://127.0.0.1:{server.port}/font.woff") }}'
        f"p {{ font-family: X }}</style>"
        f'<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>'
        "</body></html>"
    )
    pdf = write_pdf(hostile, tmp_path / "raw.pdf")
    assert server.requests == []
    assert passwd_line() not in pdf_text(pdf)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/x.css",
        "https://example.org/x.css",
        "data:text/css,body{color:red}",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "ftp://example.org/x",
        "auditor-asset:../styles/report.css",  # outside the assets folder
        "auditor-asset:/../../pyproject.toml",
        "auditor-asset:missing.svg",
        "AUDITOR-ASSET:logo.svg",
        "logo.svg",
    ],
)
def test_fetcher_refuses_everything_but_packaged_assets(url):
    fetcher = PackagedAssetFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    with pytest.raises(RefusedURL):
        fetcher.open(url)  # the urllib opener interface goes through fetch too
    assert fetcher.refused == [url, url]


def test_fetcher_serves_a_packaged_asset():
    response = PackagedAssetFetcher().fetch("auditor-asset:logo.svg")
    assert response.read() == (reports_dir() / "assets" / "logo.svg").read_bytes()
    assert response.content_type == "image/svg+xml"


def test_the_cover_logo_is_loaded_through_the_fetcher(small_results, tmp_path, monkeypatch):
    fetched: list[str] = []
    refused: list[str] = []
    original = PackagedAssetFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        try:
            return original(self, url, headers)
        except RefusedURL:
            refused.append(url)
            raise

    monkeypatch.setattr(fetcher_module.PackagedAssetFetcher, "fetch", spy)
    facility_pdf(small_results, tmp_path / "small.pdf")
    assert fetched == ["auditor-asset:logo.svg"]
    assert refused == []


def test_templates_escape_every_string(small_results):
    """Autoescape covers templates and strings rendered from strings, whatever their name."""
    from auditor.report.environment import environment

    env = environment()
    assert env.from_string("{{ x }}").render(x=SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert env.get_template("macros.html").module.badge(SCRIPT, "x").count("&lt;script&gt;") == 1


def test_packaged_templates_and_styles_reference_no_outside_resource():
    """Fonts are system fonts (DejaVu), never downloaded; the only URL scheme used is auditor-asset:."""
    root = reports_dir()
    for path in [*root.glob("styles/*.css"), *root.glob("templates/*.html")]:
        text = path.read_text(encoding="utf-8")
        assert "@font-face" not in text and "@import" not in text, path.name
        assert "url(" not in text, path.name
        for url in re.findall(r'(?:src|href)="([^"{]+)"', text):
            assert url.startswith("auditor-asset:"), (path.name, url)
    assert "DejaVu Sans" in (root / "styles" / "report.css").read_text(encoding="utf-8")
