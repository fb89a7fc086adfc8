"""docs/security.md lists every limit with its default: the figures it gives are the code's own."""

from __future__ import annotations

from pathlib import Path

from auditor import config_yaml, untrusted
from auditor.service import accounts, processing
from auditor.web.settings import MB, Settings
from auditor.workbook import container, extent

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text(encoding="utf-8")
GiB, MiB = untrusted.GiB, untrusted.MiB


def _row(label: str) -> str:
    """The table row (or line) of the page that starts with `label`."""
    return next(line for line in PAGE.splitlines() if line.startswith(f"| {label}"))


def test_the_reader_limits_are_the_defaults() -> None:
    limits = untrusted.Limits()
    assert f"| {limits.memory // GiB} GiB |" in _row("memory a reader may add")
    assert f"| {limits.seconds:g} s |" in _row("CPU and wall-clock time")
    assert f"| {limits.output // GiB} GiB |" in _row("size of the answer handed back")
    assert f"at most {untrusted.JSON_MAX_BYTES // MiB} MiB" in PAGE


def test_the_container_limits_are_the_modules() -> None:
    assert f"| {container.MAX_ENTRIES:,} |" in _row("parts in a zip")
    assert f"| {container.MAX_PART_BYTES // GiB} GiB |" in _row("inflated size of one part")
    assert f"| {container.MAX_TOTAL_BYTES // GiB} GiB |" in _row("inflated size of all parts")
    ratio = _row(f"compression ratio of a part over {container.RATIO_FLOOR // MiB} MiB")
    assert f"| {container.MAX_RATIO} : 1 |" in ratio
    assert f"| {container.MAX_INDEX_BYTES // MiB} MiB |" in _row("workbook index")
    assert f"contract columns + {container.COLUMN_MARGIN} |" in _row("columns a sheet may fill")
    assert f"| {extent.MAX_ROWS:,} |" in _row("rows a sheet may fill")
    assert f"| {extent.MAX_MERGED_CELLS:,} |" in _row("merged cells per sheet")
    assert f"| {extent.SST_SLACK:,} |" in _row("shared strings declared")


def test_the_configuration_limits_are_the_loaders() -> None:
    assert f"| {config_yaml.MAX_BYTES // 1_000_000} MB |" in _row("file size")
    assert f"| {config_yaml.MAX_ALIASES} |" in _row("alias references")
    assert f"| {config_yaml.MAX_VALUES:,} |" in _row("values, after expanding aliases")
    assert f"| {config_yaml.MAX_DEPTH} |" in _row("nesting depth")


def test_the_web_limits_are_the_settings() -> None:
    s = Settings(data_dir=Path("unused"))
    assert f"| {s.max_upload_bytes // MB} MB |" in _row("upload size")
    row = _row("request line and headers")
    assert f"within {s.header_timeout:g} s" in row and f"at most {s.max_header_bytes // 1024} KB" in row
    row = _row("request body |")
    assert f"no pause over {s.body_idle_seconds:g} s" in row and f"{s.min_body_rate // 1024} KB/s" in row
    assert f"closed after {s.keep_alive_seconds:g} s" in _row("idle keep-alive connection")
    assert f"| {s.max_connections:,} (then 503)" in _row("connections at once")
    assert processing.MAX_ATTEMPTS == 2 and "interrupted twice" in _row("an upload interrupted")


def test_the_sign_in_limits_are_the_settings() -> None:
    s = Settings(data_dir=Path("unused"))
    window = f"within {s.signin_window_minutes:g} minutes, then 429"
    assert f"| {s.signin_account_failures} {window}" in _row("failed sign-ins per account")
    assert f"| {s.signin_address_failures} {window}" in _row("failed sign-ins per client address")
    assert f"| {s.signin_window_minutes:g} minutes |" in _row("how long a failed sign-in counts")
    assert f"ends after {s.session_idle_minutes:g} minutes" in _row("a session unused")
    assert f"ends after {s.session_hours:g} hours" in _row("a session, however used")
    assert f"at least {accounts.MIN_PASSWORD} characters (at most {accounts.MAX_PASSWORD:,})" in _row(
        "a new password"
    )
    assert f"the {len(accounts._common_passwords()):,} of zxcvbn's list" in _row("a common password")
