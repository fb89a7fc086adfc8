"""The upload page reads in the glossary's words: thresholds in labels, codes spelled out."""

from __future__ import annotations

from fastapi import FastAPI
from webclient import Client, run, upload_id


def test_the_upload_page_shows_labels_not_field_names(app: FastAPI, workbooks) -> None:
    async def scenario() -> None:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            uid = upload_id(await ines.upload(workbooks.small_2026))
            page = (await ines.get(f"/uploads/{uid}")).text
            assert "Standard: After-action review within 1 working day of occurred." in page
            assert "Standard: none where custody levels housed includes 1 and 3." in page
            assert "after_action_review within" not in page
            assert '<abbr title="Service Processing Center (ICE-owned)">SPC</abbr>' in page
            assert 'AOR <abbr title="Atlanta">ATL</abbr>' in page

    run(scenario())
