"""Open untrusted files only in a child process with hard limits.

Inspectors' uploads, CLI inputs, rosters and exports are read by parsers written in Rust and C
(fastexcel, calamine, openpyxl's XML) that a hostile file can make allocate hundreds of GiB,
abort the process or spin. `run(reader, *args)` calls the reader in a child process under:

    memory   RLIMIT_AS: what the child had when it started, plus AUDITOR_READ_MEMORY (2 GiB)
    time     RLIMIT_CPU and a wall-clock limit, AUDITOR_READ_SECONDS (120 s)
    output   the pickled answer handed back, AUDITOR_READ_OUTPUT (1 GiB)

An answer crosses as pickle protocol 5 with its large buffers (Arrow's: the text and typed
columns) sent out of band, each straight from its memory: neither side holds a second, pickled
copy of a workbook's cells (at a million admissions, over a gigabyte each).

A child that dies, is killed or meets a limit becomes a clear error for that file (a
ReadLimitError); the calling process, and every other file, go on.
The child's stderr goes to a scratch file (a Rust panic prints a backtrace there), read only to
tell a failed allocation from another death.

Each file gets a fresh child: nothing a hostile file did to a reader outlives it. The CLI forks
it from itself when the file comes (a few ms); the web app, whose threads make forking itself
unsafe, keeps a small pool of children warm (`start_pool`): started ahead from a fork server
that has the readers imported, each waiting for one file. Inside a child, `run` calls the reader
directly.

A reader may need the caller's judgement half-way (the web app checks who may upload a facility,
and finds its previous results, once the file is read and before it is audited): `ask(question)`
in the child sends the question to the caller's `on_ask`, in the calling process, and returns its
answer. The caller's database stays in the caller; the child only computes.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import io
import json
import math
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from auditor.errors import AuditorError, ConfigError, ReadLimitError

T = TypeVar("T")

GiB = 1 << 30
MiB = 1 << 20

# Modules the fork server imports once, so that its children start warm.
PRELOAD = [
    "auditor.workbook.read",
    "auditor.workbook.annotate",
    "auditor.imports.table",
    "fastexcel",  # imported by the reader only when a workbook comes
    "auditor.cli",  # a worker re-runs the caller's main script: `auditor serve`'s is the CLI
    "auditor.service.checking_warm",  # the standards loaded: each upload's child starts with them
]

JSON_MAX_BYTES = 256 * MiB  # a results JSON of a 1M-admission audit is far smaller

_in_child = False
_asking: Callable[[Any], Any] | None = None  # how `ask` reaches the caller: its pipe, or its on_ask
_pool: _WarmPool | None = None
_pool_lock = threading.Lock()


@dataclass(frozen=True)
class Limits:
    memory: int = 2 * GiB  # bytes the reader may add to the child's address space
    seconds: float = 120.0  # CPU and wall-clock time
    output: int = 1 * GiB  # bytes of the pickled answer

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, or AUDITOR_READ_MEMORY (2GiB, 512MiB), AUDITOR_READ_SECONDS, AUDITOR_READ_OUTPUT."""
        default = cls()
        return cls(
            memory=_size(os.environ.get("AUDITOR_READ_MEMORY"), default.memory, "AUDITOR_READ_MEMORY"),
            seconds=_seconds(os.environ.get("AUDITOR_READ_SECONDS"), default.seconds),
            output=_size(os.environ.get("AUDITOR_READ_OUTPUT"), default.output, "AUDITOR_READ_OUTPUT"),
        )


def run(
    reader: Callable[..., T],
    *args: Any,
    what: str,
    limits: Limits | None = None,
    on_ask: Callable[[Any], Any] | None = None,
) -> T:
    """`reader(*args)` in a bounded child process; its AuditorError is raised here as it was.

    `what` names the input in messages ("inspection.xlsx"); a limit met or a child that died
    raises ReadLimitError with a message saying which limit and what a normal file needs.
    `on_ask(question)` answers, here, what the reader asks with `ask` (an error it raises ends the
    child and is raised here).
    """
    global _asking
    if _in_child:
        outer, _asking = _asking, on_ask or _asking
        try:
            return reader(*args)
        finally:
            _asking = outer
    return _run_on(_new_worker(), reader, args, what, limits or Limits.from_env(), on_ask)


def ask(question: Any) -> Any:
    """From inside a reader: the answer of the caller's `on_ask` to `question` (both pickled)."""
    if _asking is None:
        raise RuntimeError("ask() outside a reader given an on_ask")
    return _asking(question)


def run_each(
    reader: Callable[..., T], arguments: list[tuple], *, what: str, limits: Limits | None = None
) -> list[T]:
    """`reader(*args)` for every `args` at the same time, each in its own bounded child (all forked
    here, before any thread waits on them), the answers in order; the first failure is raised."""
    if _in_child:
        return [reader(*args) for args in arguments]
    from concurrent.futures import ThreadPoolExecutor

    limits = limits or Limits.from_env()
    workers = [_new_worker() for _ in arguments]
    with ThreadPoolExecutor(max_workers=max(1, len(workers))) as pool:
        answers = [
            pool.submit(_run_on, worker, reader, args, what, limits)
            for worker, args in zip(workers, arguments, strict=True)
        ]
        return [answer.result() for answer in answers]


def _run_on(
    worker: _Worker,
    reader: Callable[..., T],
    args: tuple,
    what: str,
    limits: Limits,
    on_ask: Callable[[Any], Any] | None = None,
) -> T:
    fd, stderr_path = tempfile.mkstemp(prefix="auditor-reader-", suffix=".log")
    os.close(fd)
    try:
        outcome = worker.give((reader, args, limits, stderr_path), limits, on_ask)
    finally:
        worker.end()
        if _pool is not None:
            _pool.refill()  # after the file, so that the new child's warm-up does not compete with it
        stderr_tail = _tail(stderr_path)
        os.unlink(stderr_path)
    return _answer(outcome, worker.process.exitcode, stderr_tail, what, limits)


def _new_worker() -> _Worker:
    if _pool is None and threading.active_count() == 1:
        return _forked()
    start_pool()
    pool = _pool
    return pool.take() if pool is not None else _new_worker()


def _forked() -> _Worker:
    """A child forked from this process (no other thread can hold a lock). The caller's objects are
    frozen out of the collector meanwhile: the child's collections then never walk them (the
    importer's whole workbook: two thirds of a child's collecting time) nor copy their pages by
    writing to their headers."""
    gc.freeze()
    try:
        return _Worker(multiprocessing.get_context("fork"))
    finally:
        gc.unfreeze()


def start_pool(size: int = 2, warm_up: Callable[[], object] | None = None) -> None:
    """Keep `size` children warm for a process that runs threads (the web app): started ahead, from
    a fork server that has the readers imported, each waiting for one file. `warm_up` (a module-level
    function) runs in each child while it waits, so that its first real file pays no first-use
    costs (a reader's lazy set-up). Idempotent."""
    global _pool
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _pool = _WarmPool(context, size, warm_up)


def load_json(path: Path, *, what: str, max_bytes: int = JSON_MAX_BYTES) -> Any:
    """Parse an untrusted JSON file in this process, within bounds: its size capped before reading
    (parsing takes about ten times the file's size), strict (no NaN or Infinity), nesting that
    would exhaust the stack refused. Raises ConfigError naming the file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ConfigError(f"{what}: {_human(size)}, more than the {_human(max_bytes)} a JSON file may be")
        text = path.read_bytes().decode("utf-8")
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except ConfigError:
        raise
    except OSError as exc:
        raise ConfigError(f"{what}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{what}: not UTF-8 text, so not a JSON file") from None
    except RecursionError:
        raise ConfigError(f"{what}: nested too deeply to be a JSON file this tool wrote") from None
    except ValueError as exc:
        raise ConfigError(f"{what}: not valid JSON ({exc})") from None


def load_json_as(path: Path, build: Callable[[Any], T], expected: str) -> T:
    """`build` (a contract's from_dict) over an untrusted JSON file; a file that parses but is not
    what `build` expects is a ConfigError saying what was expected."""
    data = load_json(path, what=str(path))
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: not {expected} ({type(exc).__name__}: {exc})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


# ---------------------------------------------------------------------------- parent side


class _Worker:
    """One child process, started ahead or on demand, that reads one file and ends."""

    def __init__(
        self, context: multiprocessing.context.BaseContext, warm_up: Callable[[], object] | None = None
    ) -> None:
        self.tasks, task_end = context.Pipe(duplex=False)[::-1]
        self.answers, answer_end = context.Pipe(duplex=False)
        self.process = context.Process(target=_worker_main, args=(task_end, answer_end, warm_up), daemon=True)
        self.process.start()
        task_end.close()
        answer_end.close()

    def give(
        self, task: tuple, limits: Limits, on_ask: Callable[[Any], Any] | None = None
    ) -> tuple[str, Any] | None:
        """Send the task, answer its questions (on_ask), and return the child's answer,
        ("timeout", None), or None when it died without one. The time limit counts the questions'
        answering too: a child that waits for an answer still holds its memory."""
        try:
            self.tasks.send(task)
        except (BrokenPipeError, OSError):
            return None
        deadline = time.monotonic() + limits.seconds
        while True:
            while not self.answers.poll(min(max(deadline - time.monotonic(), 0), 1.0)):
                if time.monotonic() >= deadline:
                    return ("timeout", None)
            try:
                data, buffers = _receive(self.answers, limits.output + MiB)
            except (EOFError, OSError, ValueError):
                return None  # closed without a (whole) message: the child died
            try:
                message = pickle.loads(data, buffers=buffers)
            except Exception as exc:  # an error class that cannot be rebuilt here: a bug of ours
                return ("crash", f"its answer cannot be read ({type(exc).__name__})")
            if not (isinstance(message, tuple) and len(message) == 2 and message[0] == "ask"):
                return message
            if on_ask is None:
                return ("crash", "it asked a question no one here answers")
            answer = on_ask(message[1])  # an error it raises ends the child (end) and is raised
            try:
                self.tasks.send(answer)
            except (BrokenPipeError, OSError):
                return None

    def end(self) -> None:
        self.tasks.close()
        self.answers.close()
        if self.process.is_alive():
            self.process.join(timeout=1)  # it exits by itself once it has answered
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


class _WarmPool:
    """Children started before they are needed; each taken one is replaced, in the background, once
    its file is read."""

    def __init__(
        self, context: multiprocessing.context.BaseContext, size: int, warm_up: Callable[[], object] | None
    ) -> None:
        self.context, self.size, self.warm_up = context, size, warm_up
        self.ready: list[_Worker] = []
        self.lock = threading.Lock()
        for _ in range(size):
            self._add()

    def take(self) -> _Worker:
        with self.lock:
            worker = self.ready.pop(0) if self.ready else None
        if worker is not None and worker.process.is_alive():
            return worker
        return _Worker(self.context)  # none ready: a cold child now rather than a wait

    def refill(self) -> None:
        """Start a replacement for a child that was taken (in the background)."""
        threading.Thread(target=self._add, name="auditor-reader-start", daemon=True).start()

    def _add(self) -> None:
        worker = _Worker(self.context, self.warm_up)
        with self.lock:
            if len(self.ready) < self.size:
                self.ready.append(worker)
                return
        worker.end()


def _answer(
    outcome: tuple[str, Any] | None,
    exitcode: int | None,
    stderr_tail: str,
    what: str,
    limits: Limits,
) -> Any:
    if outcome is not None and outcome[0] == "ok":
        return outcome[1]
    if outcome is not None and outcome[0] == "error":
        raise outcome[1]
    memory = f"reading this file needs more than {_human(limits.memory)} of memory"
    seconds = f"reading this file takes longer than {limits.seconds:g} s"
    normal = "; a normal inspection workbook needs far less (is it damaged, or not what it seems?)"
    if outcome is None:
        if exitcode == -signal.SIGXCPU:
            raise ReadLimitError(f"{what}: {seconds}{normal}")
        if "memory allocation" in stderr_tail or "MemoryError" in stderr_tail or exitcode == -signal.SIGKILL:
            raise ReadLimitError(f"{what}: {memory}{normal}")
        raise ReadLimitError(
            f"{what}: the reader stopped on this file ({_death(exitcode)}): the file is damaged, or "
            f"reading it needs more than {_human(limits.memory)} of memory{normal}"
        )
    kind, detail = outcome
    if kind == "memory":
        raise ReadLimitError(f"{what}: {memory}{normal}")
    if kind == "timeout":
        raise ReadLimitError(f"{what}: {seconds}{normal}")
    if kind == "too_big":
        raise ReadLimitError(
            f"{what}: reading this file gives more than {_human(limits.output)} of data "
            f"({_human(detail)}){normal}"
        )
    raise ReadLimitError(f"{what}: the file cannot be read (the reader failed: {detail})")


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


def _tail(path: str, size: int = 4096) -> str:
    """The first and last few KB of what the child wrote to stderr (a backtrace can be long)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(size)
            handle.seek(max(len(head), os.path.getsize(path) - size))
            return (head + handle.read()).decode("utf-8", "replace")
    except OSError:
        return ""


# ---------------------------------------------------------------------------- child side


def _worker_main(tasks: Connection, answers: Connection, warm_up: Callable[[], object] | None) -> None:
    global _in_child
    _in_child = True
    _die_with_parent()
    if warm_up is not None:
        with contextlib.suppress(Exception):
            warm_up()
    try:
        reader, args, limits, stderr_path = tasks.recv()
    except (EOFError, OSError):
        return  # the pool closed before a file came
    global _asking
    _asking = lambda question: _ask_parent(tasks, answers, question)  # noqa: E731
    _child_main(answers, reader, args, limits, stderr_path)


def _ask_parent(tasks: Connection, answers: Connection, question: Any) -> Any:
    _send(answers, ("ask", question), 1 << 40)  # the caller bounds what it receives
    return tasks.recv()


def pickled(message: Any) -> tuple[memoryview, list[memoryview]]:
    """`message` as an answer crosses: its pickle (protocol 5) and its large buffers, out of band,
    each a view of the sender's own memory."""
    buffers: list[pickle.PickleBuffer] = []
    stream = io.BytesIO()
    _Pickler(stream, buffers).dump(message)
    return stream.getbuffer(), [buffer.raw() for buffer in buffers]


def _send(sender: Connection, message: Any, most: int) -> int:
    """Send `message` pickled (`pickled`): a header giving the count of its buffers, the pickle, then
    each buffer from its own memory. Returns the bytes sent; over `most`, only ("too_big", size) is
    sent. Pickling errors are the caller's."""
    data, views = pickled(message)
    size = len(data) + sum(view.nbytes for view in views)
    if size > most:
        data, views = pickle.dumps(("too_big", size)), []
    sender.send_bytes(len(views).to_bytes(8, "little"))
    sender.send_bytes(data)
    for view in views:
        sender.send_bytes(view)
    return size


class _Pickler(pickle.Pickler):
    """Two kinds of columns that would otherwise be copied on their way out, at a million admissions
    hundreds of MB each:
    - numpy pickles an array of dates and times in band (its buffer protocol has no datetime64):
      the typed sheets' datetime columns cross as their int64 view, out of band, like every other;
    - pandas pickles an Arrow-backed column (every text column) by first copying it whole
      (`combine_chunks`, 78 MB for a 200,000-row sheet's text): its Arrow arrays cross as they are,
      their buffers out of band, and pandas' own `__setstate__` rebuilds the column."""

    def __init__(self, stream: io.BytesIO, buffers: list[pickle.PickleBuffer]) -> None:
        super().__init__(stream, protocol=5, buffer_callback=buffers.append)
        import numpy  # here, not at import: the CLI's start-up imports no numpy

        self.array = numpy.ndarray
        pandas = sys.modules.get("pandas")  # not imported: no pandas object to send
        self.arrow = pandas.arrays.ArrowExtensionArray if pandas is not None else ()

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, self.array) and obj.dtype.kind in "mM" and obj.flags.c_contiguous:
            return _as_dtype, (obj.view("int64"), obj.dtype.str)
        if isinstance(obj, self.arrow):
            return _arrow_backed, (type(obj), {**obj.__dict__, "_cache": {}})  # pandas' state, uncopied
        return NotImplemented


def _as_dtype(values: Any, dtype: str) -> Any:
    return values.view(dtype)


def _arrow_backed(kind: type, state: dict[str, Any]) -> Any:
    column = kind.__new__(kind)
    column.__setstate__(state)
    return column


def _receive(receiver: Connection, most: int) -> tuple[bytes, list[bytes]]:
    """A message `_send` sent: the pickle and its buffers, at most `most` bytes in all (ValueError
    past that, or for a header that is not one)."""
    header = receiver.recv_bytes(maxlength=8)
    if len(header) != 8:
        raise ValueError("not a message header")
    count = int.from_bytes(header, "little")
    data = receiver.recv_bytes(maxlength=most)
    left = most - len(data)
    buffers: list[bytes] = []
    for _ in range(count):
        buffers.append(receiver.recv_bytes(maxlength=max(left, 1)))
        left -= len(buffers[-1])
        if left < 0:
            raise ValueError("more than allowed")
    return data, buffers


def _child_main(
    sender: Connection, reader: Callable[..., Any], args: tuple, limits: Limits, stderr_path: str
) -> None:
    _confine(limits, stderr_path)
    try:
        outcome: tuple[str, Any] = ("ok", reader(*args))
    except AuditorError as exc:
        outcome = ("error", exc)
    except MemoryError:
        outcome = ("memory", None)
    except RecursionError:
        outcome = ("crash", "the file nests too deeply")
    except BaseException as exc:  # a pyo3 PanicException is no Exception
        outcome = ("crash", f"{type(exc).__name__}: {str(exc)[:300]}")
    try:
        _send(sender, outcome, limits.output)
    except MemoryError:
        _send(sender, ("memory", None), limits.output)
    except Exception as exc:  # an answer that cannot cross: a bug of ours, said plainly
        _send(sender, ("crash", f"the answer cannot be passed back ({type(exc).__name__})"), limits.output)
    sender.close()


def _confine(limits: Limits, stderr_path: str) -> None:
    """Redirect stderr, tie the child to its parent, and set its memory and CPU limits."""
    fd = os.open(stderr_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(fd, 2)
    os.close(fd)
    faulthandler.disable()  # a caller's handler (pytest's) writes to its own copy of stderr
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _lower(resource.RLIMIT_AS, _address_space() + limits.memory, 0)
    used = math.ceil(sum(os.times()[:2]))  # a forked child inherits none, a fork server's child some
    _lower(resource.RLIMIT_CPU, used + max(1, math.ceil(limits.seconds)), 5)


def _lower(which: int, soft: int, grace: int) -> None:
    """Set a limit, never above one the process already has (`ulimit -v` in a shell)."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
        resource.setrlimit(which, (soft, min(hard, soft + grace)))
    else:
        resource.setrlimit(which, (soft, soft + grace))


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no orphan reader outlives its server
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------------------- settings


def _size(text: str | None, default: int, name: str) -> int:
    if not text:
        return default
    units = {"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": MiB, "mib": MiB, "g": GiB, "gib": GiB}
    cleaned = text.strip().lower().replace(" ", "")
    number = cleaned.rstrip("kmgib")
    unit = cleaned[len(number) :]
    try:
        value = float(number) * units[unit]
    except (ValueError, KeyError):
        raise AuditorError(f"{name}={text!r}: give a size such as 2GiB or 512MiB") from None
    if not math.isfinite(value) or value < 16 * MiB:
        raise AuditorError(f"{name}={text!r}: give a size of at least 16MiB")
    return int(value)


def _seconds(text: str | None, default: float) -> float:
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise AuditorError(f"AUDITOR_READ_SECONDS={text!r}: give a number of seconds above 0")
    return value


def _human(size: int) -> str:
    if size >= GiB:
        return f"{size / GiB:g} GiB"
    return f"{size / MiB:.0f} MiB"
