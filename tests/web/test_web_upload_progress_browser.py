"""Upload progress in a real browser (issue 17, item 7): upload.js sends the form by
XMLHttpRequest, shows the bytes sent, then opens the upload's page (whose stages are
test_web_upload_stages'). The progress events the page received are kept in sessionStorage, which
outlives the navigation, and read back."""

from __future__ import annotations

import itertools

import pytest
from test_web_browser import ARGS, CHROMIUM, _sign_in, server  # noqa: F401  (server: the fixture)
from webclient import Workbooks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium"),
]

# Record every upload progress event the page's own request sends (a listener added beside upload.js's).
RECORD = """() => {
  sessionStorage.setItem("sent", "[]");
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    this.upload.addEventListener("progress", (e) => {
      const sent = JSON.parse(sessionStorage.getItem("sent"));
      sent.push([e.loaded, e.total]);
      sessionStorage.setItem("sent", JSON.stringify(sent));
    });
    return send.call(this, body);
  };
}"""


def test_the_bytes_sent_then_the_uploads_page(server: str, workbooks: Workbooks) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    size = workbooks.red_mesa.stat().st_size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(120_000)
            _sign_in(page, server, "ada")
            page.evaluate(RECORD)
            page.locator("input[type=file]").first.set_input_files(str(workbooks.red_mesa))
            page.get_by_role("button", name="Upload and check").first.click()
            page.wait_for_url(f"{server}/uploads/1")
            expect(page.get_by_role("heading", name="Upload #1", exact=False)).to_be_visible()
            sent = page.evaluate("JSON.parse(sessionStorage.getItem('sent'))")
            assert sent, "no progress event reached the page"
            loaded, total = sent[-1]
            assert loaded == total and total > size  # the whole multipart body: the file and its fields
            assert all(a[0] <= b[0] for a, b in itertools.pairwise(sent))
            expect(page.locator(".status-panel")).to_contain_text("Audited")
        finally:
            browser.close()
