"""Mapping profiles: how an external export maps onto our records, kept as reviewed data files.

A profile's value tables read `canonical: [spelling, spelling, …]`. Spellings are compared with
runs of spaces collapsed and case ignored, so "Meets Standard " finds "Meets Standards". A value no
table lists is never dropped: `ValueTable.lookup` says it is unknown and the importer reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from auditor.config_yaml import YamlDocument, load_yaml
from auditor.errors import ConfigError

PROFILES = Path(__file__).resolve().parent / "profiles"


def fold(value: Any) -> str:
    """A value as compared against a table: spaces collapsed, case ignored."""
    return " ".join(str(value).split()).casefold()


@dataclass(frozen=True)
class Lookup:
    value: str | None  # the canonical value; None when the cell means "none" or is unknown
    known: bool  # False: no table entry matched; the importer reports the cell


@dataclass(frozen=True)
class ValueTable:
    name: str
    entries: dict[str, str]  # folded spelling → canonical value
    empty: frozenset[str] = frozenset()  # folded spellings that mean "none"
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()  # (pattern, replacement template)
    canonical: tuple[str, ...] = field(default=())

    @classmethod
    def build(
        cls, name: str, table: dict[str, list[Any]], empty: list[Any] | None = None, patterns=None
    ) -> ValueTable:
        entries: dict[str, str] = {}
        for canonical, spellings in table.items():
            for spelling in spellings:
                key = fold(spelling)
                if key in entries and entries[key] != canonical:
                    raise ConfigError(f"value table {name}: {spelling!r} maps to two values")
                entries[key] = str(canonical)
        compiled = tuple((re.compile(p["matches"], re.IGNORECASE), p["status"]) for p in (patterns or []))
        return cls(name, entries, frozenset(fold(v) for v in empty or []), compiled, tuple(table))

    def lookup(self, value: Any) -> Lookup:
        """The canonical value of a cell; empty cells and listed "none" spellings give None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return Lookup(None, True)
        key = fold(value)
        if key in self.empty:
            return Lookup(None, True)
        if key in self.entries:
            return Lookup(self.entries[key], True)
        text = " ".join(str(value).split())
        for pattern, template in self.patterns:
            match = pattern.match(text)
            if match:
                return Lookup(match.expand(template), True)
        return Lookup(None, False)

    def expected(self) -> str:
        """What the table accepts, for a problem message."""
        return "one of: " + ", ".join(self.canonical)


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    data: dict[str, Any]
    file: Path

    def table(self, name: str) -> ValueTable:
        values = self.data.get("values", {})
        if name not in values:
            raise ConfigError(f"profile {self.id}: no value table {name!r}")
        return ValueTable.build(
            name,
            values[name],
            values.get(f"{name}_empty"),
            values.get(f"{name}_patterns"),
        )

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@cache
def load_profile(name: str) -> Profile:
    """A profile shipped with the package, by its id (the file name without `.yml`)."""
    path = PROFILES / f"{name}.yml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.yml")))
        raise ConfigError(f"there is no import profile {name!r} (profiles: {known})")
    return read_profile(path)


def read_profile(path: Path) -> Profile:
    """Read and check a profile file: its id and title, its value tables and every regex in it."""
    doc = load_yaml(path, what="import profile")
    data = doc.data
    if not isinstance(data, dict):
        raise ConfigError(f"{doc.where()}: a profile is a mapping with id, title, fields and values")
    for key in ("id", "title"):
        if not isinstance(data.get(key), str):
            raise ConfigError(f"{doc.where(key)}: a profile needs `{key}` (text)")
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise ConfigError(f"{doc.where('values')}: values: expected value tables by name")
    for table, spec in values.items():
        _check_table(doc, str(table), spec)
    _check_patterns(doc, data, ())
    return Profile(data["id"], data["title"], data, path)


def _check_table(doc: YamlDocument, table: str, spec: Any) -> None:
    at = doc.where("values", table)
    if table.endswith("_patterns"):
        if not isinstance(spec, list) or not all(
            isinstance(p, dict) and isinstance(p.get("matches"), str) and isinstance(p.get("status"), str)
            for p in spec
        ):
            raise ConfigError(f"{at}: values.{table}: expected a list of {{matches: regex, status: text}}")
    elif table.endswith("_empty"):
        if not isinstance(spec, list) or not all(_scalar(v) for v in spec):
            raise ConfigError(f"{at}: values.{table}: expected a list of spellings")
    elif not isinstance(spec, dict) or not all(
        isinstance(v, list) and all(_scalar(s) for s in v) for v in spec.values()
    ):
        raise ConfigError(f"{at}: values.{table}: expected `canonical: [spelling, …]` entries")
    else:
        try:
            ValueTable.build(table, spec)
        except ConfigError as exc:
            raise ConfigError(f"{at}: {exc}") from None


def _check_patterns(doc: YamlDocument, data: Any, field: tuple[str | int, ...]) -> None:
    """Every `*_matches` / `matches` string compiles, so a broken regex fails here, at its line."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(key, str) and key.endswith("matches") and isinstance(value, str):
            try:
                re.compile(value)
            except re.error as exc:
                raise ConfigError(f"{doc.where(*field, key)}: {key}: not a valid pattern ({exc})") from None
        _check_patterns(doc, value, (*field, key))


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))
