"""Every command and subcommand, enumerated from the typer app itself, given bad paths and bad
option values: each ends with exit code != 0, one `error:` line naming what is wrong, and no
traceback. A new command is covered as soon as it exists (and must have at least one case)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from rosters import NORTH, write_roster
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli_support import output_argument

UNWRITABLE = "/proc/auditor-cannot-create/out"  # mkdir fails here even for root
VERDICTS = {"verify": "invalid: "}  # `auditor verify` of a file that is no signed report: exit 1, invalid


def leaf_commands(command=None, path: tuple[str, ...] = ()):
    """(name words, click command) of every runnable command under the app."""
    command = command or typer.main.get_command(app)
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from leaf_commands(sub, (*path, name))
    else:
        yield path, command


COMMANDS = {" ".join(words): command for words, command in leaf_commands()}


@dataclass
class Files:
    root: Path
    inspection: Path  # a valid inspection workbook
    results: Path  # its results JSON
    roster: Path  # a valid ICE roster workbook
    a_file: Path  # a plain file, used where a folder is needed
    folder: Path  # an empty folder, used where a file is needed
    garbage: Path  # bytes that are no workbook, YAML, CSV or JSON


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Files:
    from builders import InspectionBuilder

    root = tmp_path_factory.mktemp("bad-paths")
    inspection = InspectionBuilder().with_valid_sheets().xlsx(root / "valid.xlsx")
    results = root / "valid.json"
    done = CliRunner().invoke(app, ["audit", str(inspection), "-f", "json", "-o", str(results)])
    assert done.exit_code == 0, done.output
    (root / "a-file").write_text("not a folder\n", encoding="utf-8")
    (root / "empty").mkdir()
    (root / "garbage.xlsx").write_bytes(b"\x00\x01 garbage: [ {{ not a file of any kind\xff\xfe")
    return Files(
        root=root,
        inspection=inspection,
        results=results,
        roster=write_roster(root / "roster.xlsx", [NORTH]),
        a_file=root / "a-file",
        folder=root / "empty",
        garbage=root / "garbage.xlsx",
    )


def info(param):
    return param.type_descriptor.parameter_info


def annotation(param):
    return param.type_descriptor.annotation


def is_input_path(param) -> bool:
    return bool(getattr(info(param), "exists", False))


def is_output(param) -> bool:
    return getattr(info(param), "parser", None) is output_argument


def is_data_folder(param) -> bool:  # a web app data folder (read, or created, by the command)
    return annotation(param) is Path and "--data" in param.opts


def base_value(command: str, param, files: Files, n: int) -> str:
    """A plausible value for a required parameter (the case varies one other parameter)."""
    if command == "facilities import" and param.name == "path":
        return str(files.roster)
    if command == "sample" and param.name == "sheet":
        return "Intake"  # a sheet records are sampled from, so the case reaches the varied parameter
    if annotation(param) == list[Path]:
        return str(files.results)
    if is_input_path(param):
        return str(files.folder if info(param).file_okay is False else files.inspection)
    if is_output(param) or annotation(param) is Path:
        return str(files.root / "fresh" / f"{command.replace(' ', '-')}-{n}")
    if isinstance(annotation(param), type) and issubclass(annotation(param), enum.Enum):
        return next(iter(annotation(param))).value
    return "x"


# Optional parameters a command needs to reach the one being varied: the portfolio needs an
# input, and template reads --data only for --facility.
OPTIONAL_BASE = {("portfolio", "results"), ("template", "facility")}


def variants(param, files: Files) -> list[tuple[str, str, str]]:
    """(what, bad value, what the error line must name) for one parameter, by its declared kind."""
    kind = annotation(param)
    if is_input_path(param) or kind == list[Path]:
        found = [("a missing file", str(files.root / "missing.xlsx"), "missing.xlsx")]
        if info(param).file_okay is False:
            return [*found, ("a file where a folder is needed", str(files.a_file), "a-file")]
        found.append(("a file of garbage", str(files.garbage), "garbage.xlsx"))
        found.append(("an empty folder" if info(param).dir_okay else "a folder", str(files.folder), "empty"))
        return found
    if is_output(param) or is_data_folder(param):
        return [
            ("an output under a file", str(files.a_file / "sub" / "out"), "a-file"),
            ("an output where nothing may be created", UNWRITABLE, "auditor-cannot-create"),
        ]
    name = param.opts[0] if param.param_type_name == "option" else param.name
    if kind in (int, float):
        return [("a number that is not one", "many", name)]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [("a choice that is not one", "bogus", name)]
    return []


def generic_cases(files: Files) -> list[tuple[str, list[str], str]]:
    """(command, argv, text the error line must contain) for every parameter of every command."""
    cases = []
    for command, click_command in COMMANDS.items():
        params = [p for p in click_command.params if annotation(p) is not bool]
        for varied in params:
            for what, bad, named in variants(varied, files):
                argv = [*command.split()]
                for n, param in enumerate(params):
                    value = bad if param is varied else None
                    if value is None and (param.required or (command, param.name) in OPTIONAL_BASE):
                        value = base_value(command, param, files, n)
                    if value is None:
                        continue
                    argv += [value] if param.param_type_name == "argument" else [param.opts[0], value]
                cases.append((f"{command}: {varied.opts[0]} {what}", argv, named))
    return cases


def explicit_cases(files: Files) -> list[tuple[str, list[str], str]]:
    """Cases a parameter's kind cannot describe: missing --data folders, unknown names, no input."""
    missing = str(files.root / "no-such-data")
    return [
        (
            "facilities list: a missing --data folder",
            ["facilities", "list", "--data", missing],
            "no-such-data",
        ),
        ("users list: a missing --data folder", ["users", "list", "--data", missing], "no-such-data"),
        (
            "template --facility: a missing --data folder",
            ["template", str(files.root / "t.xlsx"), "--facility", "X", "--data", missing],
            "no-such-data",
        ),
        (
            "portfolio --data: a missing data folder",
            ["portfolio", "-o", str(files.root / "p.pdf"), "--data", missing],
            "no-such-data",
        ),
        (
            "portfolio: a folder with no results",
            ["portfolio", str(files.folder), "-o", str(files.root / "p.pdf")],
            "no results",
        ),
        ("portfolio: no input at all", ["portfolio", "-o", str(files.root / "p.pdf")], "give results"),
        (
            "portfolio --as-of: not a date",
            [
                "portfolio",
                "--roster",
                str(files.roster),
                "--as-of",
                "2026-13-01",
                "-o",
                str(files.root / "p.pdf"),
            ],
            "2026-13-01",
        ),
        ("standards show: an unknown requirement", ["standards", "show", "NO-SUCH-ID"], "NO-SUCH-ID"),
        ("standards list: an unknown edition", ["standards", "list", "--edition", "NDS-1999"], "NDS-1999"),
        ("standards lint: a missing root", ["standards", "lint", "--root", missing], "no-such-data"),
        ("auditor: an unknown option", ["--bogus"], "--bogus"),
        ("auditor: an unknown command", ["bogus-command"], "bogus-command"),
    ]


def all_cases(files: Files) -> list[tuple[str, list[str], str]]:
    return generic_cases(files) + explicit_cases(files)


@pytest.fixture(autouse=True)
def elsewhere(tmp_path, monkeypatch):
    """Commands whose --data defaults to ./auditor-data run in a folder of their own, not the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def no_server(monkeypatch):
    """`serve` must fail before it builds the app; if it ever got that far, fail instead of serving."""
    import uvicorn

    import auditor.web

    def refuse(*args, **kwargs):
        raise AssertionError("serve got past its arguments with a bad one")

    monkeypatch.setattr(auditor.web, "create_app", refuse)
    monkeypatch.setattr(uvicorn, "run", refuse)


def test_every_command_has_a_bad_path_case(files):
    covered = {case_argv[0] if case_argv[0] not in ("standards", "facilities", "import", "users", "cap")
               else " ".join(case_argv[:2]) for _, case_argv, _ in all_cases(files)}  # fmt: skip
    assert set(COMMANDS) <= covered, set(COMMANDS) - covered
    assert len(COMMANDS) >= 16  # validate … users list: the enumeration found the app's commands


def test_bad_paths_and_values_give_one_error_line_and_no_traceback(files):
    runner = CliRunner()
    failures = []
    for label, argv, named in all_cases(files):
        done = runner.invoke(app, argv, input="a long enough password\n" * 2)
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        if argv[0] in VERDICTS:  # a command whose answer about a bad file is its verdict, one line
            errors += [line for line in done.stdout.splitlines() if line.startswith(VERDICTS[argv[0]])]
        problem = (
            "exit code 0" if done.exit_code == 0
            else "a traceback" if "Traceback" in done.output + done.stderr
            or (done.exception is not None and not isinstance(done.exception, SystemExit))
            else f"{len(errors)} error: lines" if len(errors) != 1
            else f"the error does not name {named!r}" if named.lower() not in errors[0].lower()
            else None
        )  # fmt: skip
        if problem:
            failures.append(f"{label} ({' '.join(argv)}): {problem}\n  {done.stderr.strip()[:400]!r}")
    assert not failures, "\n".join(failures)
    assert len(all_cases(files)) > 60  # the enumeration produced the cases, not an empty loop


def test_an_output_folder_receives_the_command_s_own_file_name(files, tmp_path):
    runner = CliRunner()
    missing_parent = tmp_path / "new" / "deeper"
    done = runner.invoke(app, ["ucap", str(files.inspection), "-o", f"{missing_parent}/"])
    assert done.exit_code == 0, done.output
    assert (missing_parent / "valid-ucap.xlsx").is_file()
    done = runner.invoke(app, ["audit", str(files.inspection), "-f", "json", "-o", str(missing_parent)])
    assert done.exit_code == 0, done.output
    assert (missing_parent / "valid-results.json").is_file()
    done = runner.invoke(app, ["template", str(tmp_path / "a" / "b" / "blank.xlsx")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a" / "b" / "blank.xlsx").is_file()


def test_output_path_reads_a_trailing_slash_as_a_folder_and_refuses_a_folder_as_the_file(tmp_path):
    from auditor.cli_support import output_path
    from auditor.errors import OutputError

    assert (
        output_path(output_argument(f"{tmp_path}/plans/"), "x-ucap.xlsx")
        == tmp_path / "plans" / "x-ucap.xlsx"
    )
    assert (tmp_path / "plans").is_dir()  # created, empty until the command writes
    assert output_path(output_argument(f"{tmp_path}/plan"), "x-ucap.xlsx") == tmp_path / "plan"  # a file name
    assert not (tmp_path / "plan").exists()
    (tmp_path / "plans" / "x-ucap.xlsx").mkdir()
    with pytest.raises(OutputError, match="is a folder, not a file to write"):
        output_path(tmp_path / "plans", "x-ucap.xlsx")
