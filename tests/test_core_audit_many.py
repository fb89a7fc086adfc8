"""audit_inspections: an importer's folders audited in bounded children give what `auditor audit`
gives for each, and send back only what the caller reads (no typed frames, no raw cells)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from auditor import untrusted
from auditor.core import audit_inspection, audit_inspections
from auditor.paths import data_dir

SAMPLE = data_dir("sample_data") / "larkin-county-jail" / "inspection"


_MARKER: list[str] = ["an object the caller made before forking"]


def _collector_view(_: object) -> tuple[int, bool]:
    """How many objects this child's collector leaves alone, and whether it walks the caller's marker."""
    return gc.get_freeze_count(), any(o is _MARKER for o in gc.get_objects())


def test_folders_audited_together_give_each_folder_its_own_results(tmp_path: Path) -> None:
    folders = []
    for name in ("a", "b", "c"):
        shutil.copytree(SAMPLE, tmp_path / name)
        folders.append(tmp_path / name)
    alone = audit_inspection(folders[0]).results
    assert alone is not None
    audits = audit_inspections(folders, jobs=2)
    assert len(audits) == 3
    for audit in audits:
        assert audit.results is not None
        assert audit.results.summary == alone.summary
        assert [(r.requirement_id, r.status, r.violations) for r in audit.results.results] == [
            (r.requirement_id, r.status, r.violations) for r in alone.results
        ]
        # what crossed back: the results and the problems, not the typed frames or the raw cells
        assert audit.loaded.inspection.sheets == {} and audit.loaded.raw.sheets == {}
        assert audit.loaded.inspection.facility["facility_id"] == alone.facility["facility_id"]


def test_a_forked_child_leaves_the_callers_objects_out_of_its_collections(monkeypatch) -> None:
    monkeypatch.setattr(untrusted, "_pool", None)  # the fork path, not the web app's warm pool
    before = gc.get_freeze_count()
    assert any(o is _MARKER for o in gc.get_objects())  # the caller's collector walks it
    frozen, walked = untrusted.run(_collector_view, None, what="f")
    assert frozen > 10_000 and not walked  # the child's does not
    assert gc.get_freeze_count() == before  # and the caller collects as before
    answers = untrusted.run_each(_collector_view, [(None,), (None,)], what="two")
    assert all(frozen > 10_000 and not walked for frozen, walked in answers)
    assert gc.get_freeze_count() == before
