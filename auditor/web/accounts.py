"""The Accounts page: administrators list, add and manage the web app's accounts
(auditor.service.account_admin does the work and logs it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from auditor.service import account_admin
from auditor.service.accounts import MAX_PASSWORD, MIN_PASSWORD, ROLES, AccountError, User
from auditor.web.guards import admin_form_csrf, administrator, get_web, text
from auditor.web.services import Web
from auditor.web.templating import render

router = APIRouter(include_in_schema=False)
WebDep = Annotated[Web, Depends(get_web)]
Admin = Annotated[User, Depends(administrator)]
AdminForm = Annotated[FormData, Depends(admin_form_csrf)]


@router.get("/users")
def users_page(request: Request, web: WebDep, user: Admin) -> Response:
    return _page(request, web, {})


def _page(
    request: Request, web: Web, values: dict[str, str], error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "users.html",
        status_code=status,
        accounts=account_admin.accounts(web.db),
        roles=ROLES,
        values=values,
        error=error,
        min_length=MIN_PASSWORD,
    )


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/users?done={what}", status_code=303)


@router.post("/users")
def users_add(request: Request, web: WebDep, user: Admin, form: AdminForm) -> Response:
    values = {"name": text(form, "name", 64), "role": text(form, "role", 20)}
    password = text(form, "password", MAX_PASSWORD + 1)
    if password != text(form, "repeat", MAX_PASSWORD + 1):
        return _page(request, web, values, "The account was not added: the two passwords differ.", 422)
    try:
        account_admin.create_account(web.db, user, values["name"], values["role"], password)
    except AccountError as exc:
        return _page(request, web, values, f"The account was not added: {exc}.", 422)
    return _done("account-added")


@router.post("/users/{name}/role")
def users_role(request: Request, web: WebDep, user: Admin, name: str, form: AdminForm) -> Response:
    try:
        account_admin.change_role(web.db, user, name[:64], text(form, "role", 20))
    except AccountError as exc:
        return _page(request, web, {}, f"The role was not changed: {exc}.", 422)
    return _done("role-changed")


@router.post("/users/{name}/password")
def users_password(request: Request, web: WebDep, user: Admin, name: str, form: AdminForm) -> Response:
    password = text(form, "password", MAX_PASSWORD + 1)
    if password != text(form, "repeat", MAX_PASSWORD + 1):
        return _page(request, web, {}, "The password was not reset: the two passwords differ.", 422)
    try:
        account_admin.reset_password(web.db, user, name[:64], password)
    except AccountError as exc:
        return _page(request, web, {}, f"The password was not reset: {exc}.", 422)
    return _done("password-reset")


@router.post("/users/{name}/disable")
def users_disable(request: Request, web: WebDep, user: Admin, name: str, form: AdminForm) -> Response:
    return _switch(request, web, user, name, disabled=True)


@router.post("/users/{name}/enable")
def users_enable(request: Request, web: WebDep, user: Admin, name: str, form: AdminForm) -> Response:
    return _switch(request, web, user, name, disabled=False)


def _switch(request: Request, web: Web, user: User, name: str, *, disabled: bool) -> Response:
    try:
        account_admin.set_disabled(web.db, user, name[:64], disabled)
    except AccountError as exc:
        verb = "disabled" if disabled else "enabled"
        return _page(request, web, {}, f"The account was not {verb}: {exc}.", 422)
    return _done("account-disabled" if disabled else "account-enabled")
