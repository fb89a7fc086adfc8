"""Each rule kind declares its parameters once; the schema, lint, tailoring and the registry derive
from that declaration, and its numbers must be finite and inside the declared range."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.configs.tailoring import load_tailoring
from auditor.engine.kinds import KINDS, MODULES, check_parameters
from auditor.engine.kinds import parameters as p
from auditor.errors import ConfigError
from auditor.paths import standards_dir
from auditor.standards.lint import lint
from auditor.standards.load import load_edition
from auditor.standards.schema import render, requirement_schema, schema_file

TYPES = {p.SHEET, p.COLUMN, p.DURATION, p.CONDITIONS, p.NUMBER, p.INTEGER, p.TEXT, p.TRUE, p.PER_PEOPLE}


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("deadline", {"limit": {"hours": 12}}, []),
        ("deadline", {"limit": {"hours": 8760}}, []),
        ("deadline", {"limit": {"hours": 0}}, ["limit.hours: 0 is out of range (0 < hours ≤ 8760)"]),
        ("deadline", {"limit": {"hours": 9000}}, ["limit.hours: 9000 is out of range (0 < hours ≤ 8760)"]),
        ("deadline", {"limit": {"hours": float("nan")}}, ["limit.hours: nan is not a finite number"]),
        (
            "deadline",
            {"not_before": {"minutes": float("inf")}},
            ["not_before.minutes: inf is not a finite number"],
        ),
        (
            "deadline",
            {"limit": {"working_days": 0}},
            ["limit.working_days: 0 is out of range (1 ≤ working_days ≤ 260)"],
        ),
        ("deadline", {"limit": {"working_days": 1.5}}, ["limit.working_days: 1.5 is not a whole number"]),
        (
            "credential",
            {"valid_for": {"months": 61}},
            ["valid_for.months: 61 is out of range (1 ≤ months ≤ 60)"],
        ),
        ("max_gap", {"limit": {"minutes": 15}}, []),
        ("weekly_minimum", {"daily_minimum": 60, "min_days": 5}, []),
        ("weekly_minimum", {"min_days": 8}, ["min_days: 8 is out of range (1 ≤ min_days ≤ 7)"]),
        (
            "weekly_minimum",
            {"daily_minimum": -1},
            ["daily_minimum: -1 is out of range (0 ≤ daily_minimum ≤ 1440)"],
        ),
        ("value_limit", {"max": 41}, []),
        ("value_limit", {"max": 300}, ["max: 300 is out of range (-40 ≤ max ≤ 250)"]),
        ("ratio", {"per": 0}, ["per: 0 is out of range (0 < per ≤ 1000)"]),
        (
            "ratio",
            {"per": {"by": "sex", "values": {"F": 0}, "default": float("nan")}},
            ["per.values.F: 0 is out of range (0 < per ≤ 1000)", "per.default: nan is not a finite number"],
        ),
        # names and types are the schema's to report, in its words
        ("deadline", {"limit": {"hours": "eight"}, "limt": 3, "where": 7}, []),
        ("value_limit", {"max": True}, []),
        ("attestation", {}, []),
        (
            "deadlin",
            {},
            [
                "unknown rule kind 'deadlin'; known kinds: deadline, max_duration, max_gap, cadence, "
                "daily_presence, value_limit, ratio, weekly_minimum, capacity, credential, prohibited, "
                "attestation, segregation_notices"
            ],
        ),
    ],
)
def test_check_parameters(kind: str, params: dict, expected: list[str]) -> None:
    assert check_parameters(kind, params) == expected


@pytest.mark.parametrize("kind", MODULES, ids=lambda k: k.NAME)
def test_each_kind_declares_itself_once(kind) -> None:
    assert KINDS[kind.NAME] is kind and kind.__name__.endswith(f".{kind.NAME}")
    names = [q.name for q in kind.PARAMETERS]
    assert len(names) == len(set(names)) and "kind" not in names
    assert {q.type for q in kind.PARAMETERS} <= TYPES
    assert set(kind.TUNABLE) <= set(names)
    assert {n for group in kind.ONE_OF for n in group} <= set(names)
    assert kind.DESCRIPTION.strip()


def test_the_check_schema_is_the_declarations() -> None:
    check = requirement_schema()["$defs"]["check"]
    assert check["properties"]["kind"]["enum"] == list(KINDS) == [m.NAME for m in MODULES]
    for rule in check["allOf"]:
        kind = KINDS[rule["if"]["properties"]["kind"]["const"]]
        then = rule["then"]
        assert list(then["properties"]) == ["kind", *(q.name for q in kind.PARAMETERS)]
        assert then["required"] == ["kind", *(q.name for q in kind.PARAMETERS if q.required)]
    deadline = next(r["then"] for r in check["allOf"] if r["if"]["properties"]["kind"]["const"] == "deadline")
    assert deadline["oneOf"] == [{"required": ["limit"]}, {"required": ["deadline_column"]}]
    duration = requirement_schema()["$defs"]["duration"]["properties"]
    assert duration["hours"] == {"type": "number", "exclusiveMinimum": 0, "maximum": 8760}
    assert duration["working_days"] == {"type": "integer", "minimum": 1, "maximum": 260}


def test_the_committed_schema_file_is_generated_from_the_declarations() -> None:
    assert schema_file().read_text(encoding="utf-8") == render(), "run `python -m auditor.standards.schema`"
    assert json.loads(render())["$defs"]["check"] == requirement_schema()["$defs"]["check"]


# ---------------------------------------------------------------- lint


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(standards_dir(), tmp_path / "standards"))


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_lint_refuses_a_shared_limit_out_of_range_once_at_its_line(root: Path) -> None:
    path = root / "requirements" / "MC-INTAKE-SCREEN.yml"
    path.write_text(path.read_text().replace("limit: {hours: 12}", "limit: {hours: 9000}"))
    assert [(i.file, i.line, i.message) for i in lint(root)] == [
        (path, _line(path, "hours: 9000"), "check.limit.hours: 9000 is out of range (0 < hours ≤ 8760)")
    ]  # PBNDS-2011, NDS-2019 and NDS-2025 read it: one problem, one line


def test_lint_refuses_a_variant_limit_out_of_range_at_the_variant(root: Path) -> None:
    path = root / "requirements" / "MC-TB-SCREEN.yml"
    path.write_text(path.read_text().replace("limit: {hours: 72}", "limit: {hours: 0}"))
    assert [(i.line, i.message) for i in lint(root)] == [
        (_line(path, "hours: 0"), "check.limit.hours: 0 is out of range (0 < hours ≤ 8760)")
    ]


def test_lint_refuses_a_weekly_minimum_beyond_a_week(root: Path) -> None:
    path = root / "requirements" / "REC-DAILY.yml"
    path.write_text(path.read_text().replace("min_days: 5", "min_days: 9"))
    assert [(i.line, i.message) for i in lint(root)] == [
        (_line(path, "min_days: 9"), "check.min_days: 9 is out of range (1 ≤ min_days ≤ 7)")
    ]


# ---------------------------------------------------------------- tailoring

TAILORING = """\
facility_id: "*"
approved_by: J. Rivera, Field Office Director
reason: Contract terms.
overrides:
  MC-INTAKE-SCREEN:
    limit:
      hours: {hours}
"""


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "MC-INTAKE-SCREEN.limit.hours: 0 is out of range (0 < hours ≤ 8760)"),
        ("9000", "MC-INTAKE-SCREEN.limit.hours: 9000 is out of range (0 < hours ≤ 8760)"),
        (".nan", "overrides.MC-INTAKE-SCREEN.limit.hours: .nan is not a finite number"),  # the YAML loader's
    ],
)
def test_tailoring_refuses_a_value_outside_the_declared_range(
    tmp_path: Path, hours: str, message: str
) -> None:
    path = tmp_path / "tailoring.yml"
    path.write_text(TAILORING.replace("{hours}", hours), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_tailoring(path, load_edition("NDS-2019"), "FIC-CDF-0002")
    assert str(caught.value) == f"{path}:7: {message}"


def test_tailoring_inside_the_range_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "tailoring.yml"
    path.write_text(TAILORING.replace("{hours}", "8760"), encoding="utf-8")
    tailoring = load_tailoring(path, load_edition("NDS-2019"), "FIC-CDF-0002")
    assert tailoring.overrides == {"MC-INTAKE-SCREEN": {"limit": {"hours": 8760}}}


def test_the_catalogue_page_documents_every_kind_and_parameter() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "catalogue.md").read_text(encoding="utf-8")
    section = page[page.index("## Rule kinds") :]
    for name, kind in KINDS.items():
        assert f"### `{name}`" in section
        for q in kind.PARAMETERS:
            assert f"| `{q.name}` | {q.type.replace('_', ' ')} |" in section
    assert "| `min_days` | integer |  | 1 ≤ min_days ≤ 7 | yes |" in section
    assert "0 < hours ≤ 8760" in section
