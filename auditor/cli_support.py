"""What every command of the CLI shares: usage errors on one line, and where an output goes.

`-o` (and every other place a command writes) takes a file or a folder: a folder, existing or
written with a trailing slash, receives the command's own file name; missing parents are created.
A place that cannot be written is an error before any work is done, never a traceback after it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

# Typer vendors click (since 0.25): its usage errors are these classes, not the click package's.
from typer._click.core import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from auditor.errors import OutputError


class Folder(type(Path())):  # type: ignore[misc]  # a concrete Path class: subclassable on 3.11
    """A path the user wrote with a trailing slash: a folder, even before it exists."""


def output_argument(value: str) -> Path:
    """Parse an output path keeping what a trailing slash says (Path() would drop it)."""
    return Folder(value) if value.endswith(("/", os.sep)) else Path(value)


def output_path(option: Path, default_name: str) -> Path:
    """The file to write for `-o OPTION`: OPTION itself, or `default_name` inside it when OPTION is a
    folder; the missing parents are created and the place is checked writable now."""
    target = Path(option) / default_name if isinstance(option, Folder) or option.is_dir() else Path(option)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder, not a file to write")
    output_folder(target.parent)
    return target


def output_folder(folder: Path) -> Path:
    """A folder to write into, created with its parents when missing and checked writable."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder to write into")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a parent is a file, or may not be written
        raise OutputError(f"{folder}: the folder cannot be created ({exc.strerror or exc})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: this folder may not be written")
    return folder


def stem_of(path: Path) -> str:
    """The name an output derived from `path` starts with (a CSV folder's name, a file's stem)."""
    path = Path(path)
    return path.name if path.is_dir() else path.stem


class OneLineErrors(TyperGroup):
    """The top command group: a usage error (bad option, missing file, bad value) prints one
    `error:` line and the command's --help hint, for every command and subcommand."""

    def make_context(self, info_name: str | None, args: list[str], parent=None, **extra: Any):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except NoArgsIsHelpError:
            raise
        except ClickException as exc:
            _fail(exc)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except ClickException as exc:
            _fail(exc)


def _fail(exc: ClickException) -> None:
    from auditor.cli import err

    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    message = " ".join(exc.format_message().split())  # one line, whatever click wrapped
    err.print(f"[bold red]error:[/] {escape(message + hint)}", markup=True, soft_wrap=True, highlight=False)
    raise typer.Exit(exc.exit_code)
