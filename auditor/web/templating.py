"""Server-side pages: jinja templates packaged in auditor/web/templates, always autoescaped."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from auditor.glossary import column_label, humanise, label
from auditor.service.files import describe_size
from auditor.web.zones import local_time

STATUS = {
    # status: (label a person reads, colour class, one-line meaning)
    "received": ("Stored — waiting", "wait", "The file is stored safely and waiting to be checked."),
    "processing": ("Being checked", "wait", "The file is stored safely and is being checked now."),
    "rejected": ("Not accepted", "bad", "The file could not be read as an inspection workbook."),
    "invalid": ("Needs corrections", "bad", "The workbook has errors: nothing was audited."),
    "audited": ("Audited", "ok", "The workbook is valid and was audited."),
    "failed": ("Failed", "bad", "Checking this upload failed; an administrator can try it again."),
    "refused": ("Refused", "bad", "It names a facility not assigned to its uploader: filed under none."),
}
RATING_CSS = {"Meets Standards": "ok", "Does Not Meet Standards": "bad", "Incomplete": "warn"}
MESSAGES = {
    "signed-out": "You are signed out.",
    "account-added": "The account is added. Give its password to the person, who should change it.",
    "role-changed": "The role is changed: it holds from the account's next page.",
    "password-reset": "The password is reset and every session of the account ended.",
    "account-disabled": "The account is disabled: it cannot sign in, and its sessions ended.",
    "account-enabled": "The account is enabled again, with its former password.",
    "waiver-created": "The waiver is saved. Audits from now on apply it.",
    "waiver-revoked": "The waiver is revoked. Audits from now on no longer apply it.",
    "reprocessed": "The upload is being checked again with the current waivers.",
    "signed-off": "Signed off: the final report is signed and stored; it will not change.",
    "assigned": "The assignments are saved.",
    "unassigned": "The assignment is removed.",
    "roster-imported": "ICE's roster is imported: its counts are under Roster imports below.",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("auditor.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        sentence=sentence,
        when=when,
        size=describe_size,
        status_label=status_label,
        status_css=status_css,
        rating_css=rating_css,
        day=day,
        humanise=humanise,
        term=label,
        field=column_label,
    )
    env.globals.update(STATUS=STATUS)
    return env


@pass_context
def when(context: Context, value: str | None) -> str:
    """A stored UTC timestamp as people read it: 2026-04-09 14:03 UTC, or in the facility's zone
    (2026-04-09 08:03 MDT) on a page whose context names it as `time_zone`."""
    if not value:
        return "—"
    return local_time(str(value), context.get("time_zone"))


def day(value: str | None) -> str:
    if not value:
        return "—"
    try:
        date = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{date.day} {date:%b %Y}"


def sentence(text: str | None) -> str:
    """A message as a sentence: capital first letter, full stop at the end."""
    text = (text or "").strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def status_label(status: str) -> str:
    return STATUS.get(status, (status, "", ""))[0]


def status_css(status: str) -> str:
    return STATUS.get(status, ("", "wait", ""))[1]


def rating_css(rating: str | None) -> str:
    return RATING_CSS.get(rating or "", "none")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    message = MESSAGES.get(request.query_params.get("done", ""))
    html = (
        environment()
        .get_template(template)
        .render(
            user=user,
            csrf_token=user.csrf_token if user else "",
            path=request.url.path,
            message=message,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {
        400: "That cannot be done",
        403: "Not allowed",
        404: "Not found",
        408: "Sent too slowly",
        413: "File too large",
        422: "Not understood",
        507: "The server's disk is full",
    }
    return render(
        request,
        "error.html",
        status_code=status,
        title=titles.get(status, "Something went wrong"),
        status=status,
        error=message,
    )
