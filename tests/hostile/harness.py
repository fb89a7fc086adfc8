"""Run the real CLI in a subprocess under a safety net: a failing defence must not take down the
test runner or the machine (the critical file asks for 512 GiB and aborts the process it is in)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GiB = 1 << 30
SAFETY_MEMORY = 6 * GiB  # address space of the CLI and its reader child, each
SAFETY_SECONDS = 150.0  # the reader's own limit is 120 s
CLI = [sys.executable, "-c", "from auditor.cli import main; main()"]


@dataclass(frozen=True)
class Outcome:
    returncode: int  # negative: killed by that signal
    stdout: str
    stderr: str
    seconds: float
    max_rss: int  # bytes: the largest resident size of the CLI or any child it waited for
    timed_out: bool

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]

    def describe(self) -> str:
        death = f"killed by {signal.Signals(-self.returncode).name}" if self.returncode < 0 else ""
        late = " TIMED OUT" if self.timed_out else ""
        return (
            f"exit {self.returncode} {death}{late} in {self.seconds:.1f} s, "
            f"max RSS {self.max_rss / GiB:.2f} GiB\n"
            f"stdout: {self.stdout[-1500:]}\nstderr: {self.stderr[-3000:]}"
        )


def _safety_net() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SAFETY_MEMORY, SAFETY_MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(
    args: list[str], cwd: Path, timeout: float = SAFETY_SECONDS, env: dict[str, str] | None = None
) -> Outcome:
    """`auditor ARGS` in its own session; killed, with all its children, after `timeout` seconds."""
    environment = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200", **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [*CLI, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=environment,
            preexec_fn=_safety_net,
            start_new_session=True,
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Outcome(
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            max_rss=usage.ru_maxrss * 1024,
            timed_out=timed_out,
        )
