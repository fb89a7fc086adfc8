"""The jinja environment of every report: autoescaped, strict, templates from reports/."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from auditor.glossary import column_label, glossary, humanise, label
from auditor.paths import reports_dir


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(reports_dir() / "templates")),
        # Inspector text must never become markup: every template and every string is escaped.
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        long_date=long_date, percent=percent, plural=plural, humanise=humanise, term=label, field=column_label
    )
    env.globals["glossary"] = glossary()  # labels of codes, defined once (auditor/glossary.yml)
    env.globals["stylesheet"] = stylesheet
    env.globals["inline_asset"] = inline_asset
    return env


def stylesheet(name: str) -> Markup:
    """A packaged stylesheet's text, inlined (the renderer fetches nothing)."""
    css = (reports_dir() / "styles" / name).read_text(encoding="utf-8")
    return Markup(css.replace("</", "<\\/"))


def inline_asset(name: str) -> Markup:
    """A packaged SVG asset's markup, for the HTML preview (a browser cannot resolve `auditor-asset:`;
    the PDF loads the same file through the packaged-asset fetcher)."""
    from auditor.report.fetcher import asset_path

    path = asset_path(name)
    if path is None or path.suffix != ".svg":
        raise ValueError(f"no packaged SVG asset {name!r}")
    return Markup(path.read_text(encoding="utf-8"))


def long_date(value: Any) -> str:
    if value in (None, ""):
        return "—"
    day = dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".") + " %"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
