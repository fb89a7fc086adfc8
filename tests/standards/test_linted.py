"""An edition of the packaged standards that passed lint is not linted again while its files and the
code stay the same (auditor/standards/linted.py); anything else is linted every time."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.errors import StandardsError
from auditor.paths import standards_dir
from auditor.standards import lint, linted
from auditor.standards.load import _load_edition, load_edition


@pytest.fixture
def lint_calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Every edition linted while the test runs, with a cache folder of the test's own."""
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[str] = []
    real = lint.lint_edition

    def counted(name: str, root: Path | None = None) -> list:
        calls.append(name)
        return real(name, root)

    monkeypatch.setattr(lint, "lint_edition", counted)
    _load_edition.cache_clear()  # the in-process cache would hide the second load
    yield calls
    _load_edition.cache_clear()


def test_a_passed_edition_is_not_linted_again(lint_calls: list[str], tmp_path: Path) -> None:
    first = load_edition("NDS-2019")
    assert lint_calls == ["NDS-2019"]
    records = list((tmp_path / "cache" / "NDS-2019").iterdir())
    assert [r.name for r in records] == [linted.fingerprint("NDS-2019", standards_dir().resolve())]
    _load_edition.cache_clear()
    again = load_edition("NDS-2019")
    assert lint_calls == ["NDS-2019"]  # not linted the second time
    assert again.sha256 == first.sha256 and list(again.requirements) == list(first.requirements)


def test_standards_elsewhere_are_linted_every_time_and_never_recorded(
    lint_calls: list[str], tmp_path: Path
) -> None:
    root = Path(shutil.copytree(standards_dir(), tmp_path / "standards"))
    load_edition("NDS-2019", root)
    _load_edition.cache_clear()
    load_edition("NDS-2019", root)
    assert lint_calls == ["NDS-2019", "NDS-2019"]
    assert not (tmp_path / "cache").exists()
    broken = sorted((root / "requirements").glob("*.yml"))[0]
    broken.write_text(broken.read_text().replace("kind:", "kind: no-such-kind\nwas:", 1))
    _load_edition.cache_clear()
    with pytest.raises(StandardsError, match="not valid"):
        load_edition("NDS-2019", root)


def test_any_changed_byte_is_another_fingerprint(tmp_path: Path) -> None:
    root = Path(shutil.copytree(standards_dir(), tmp_path / "standards"))
    before = linted.fingerprint("NDS-2019", root)
    assert linted.fingerprint("NDS-2019", root) == before
    assert linted.fingerprint("PBNDS-2011", root) != before
    requirement = sorted((root / "requirements").glob("*.yml"))[-1]
    requirement.write_bytes(requirement.read_bytes() + b" ")
    assert linted.fingerprint("NDS-2019", root) != before
    assert linted.record("NDS-2019", root) is None  # not the packaged folder: never remembered


def test_each_edition_keeps_its_latest_records(tmp_path: Path) -> None:
    digests = [f"{n:064x}" for n in range(linted.KEEP + 2)]
    for age, digest in enumerate(digests):
        linted.remember(tmp_path / "NDS-2019" / digest)
        os.utime(tmp_path / "NDS-2019" / digest, (1_000_000 + age, 1_000_000 + age))  # oldest first
    linted.remember(tmp_path / "PBNDS-2011" / ("c" * 64))
    kept = sorted(p.name for p in (tmp_path / "NDS-2019").iterdir())
    assert kept == digests[-linted.KEEP :]  # the two oldest went
    assert [p.name for p in (tmp_path / "PBNDS-2011").iterdir()] == ["c" * 64]


def test_a_cache_folder_that_cannot_be_written_is_no_cache(
    lint_calls: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    load_edition("NDS-2019")
    _load_edition.cache_clear()
    load_edition("NDS-2019")
    assert lint_calls == ["NDS-2019", "NDS-2019"]


def test_no_home_is_no_cache(lint_calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    assert linted.cache_dir() is None
    load_edition("NDS-2019")
    assert lint_calls == ["NDS-2019"]
