"""`auditor serve` under cProfile, every thread of the server process: where its own CPU goes.

    .venv/bin/python bench/serve_profiled.py OUT.pstats serve --port … --data …

cProfile follows one thread; the server's work runs in the event loop and in its thread pool, so each
thread gets a profile of its own and, when the server stops (SIGTERM: uvicorn shuts down and
returns), all of them are summed into OUT.pstats. The children the server forks (the audits) are
not in it: their CPU is theirs. Used by `bench/web_load.py --profile-server`.
"""

from __future__ import annotations

import cProfile
import pstats
import signal
import sys
import threading

profiles: list[cProfile.Profile] = []
_run = threading.Thread.run


def _profiled_run(self: threading.Thread) -> None:
    profile = cProfile.Profile()
    profiles.append(profile)
    profile.enable()
    try:
        _run(self)
    finally:
        profile.disable()


def main() -> None:
    out, argv = sys.argv[1], sys.argv[2:]
    threading.Thread.run = _profiled_run  # type: ignore[method-assign]
    # uvicorn shuts down on SIGTERM, then raises the signal again under the handler it found: this
    # one, so the process ends through `finally` below (the default handler would end it at once)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.argv = ["auditor", *argv]
    from auditor.cli import main as auditor_main

    here = cProfile.Profile()
    profiles.append(here)
    here.enable()
    try:
        auditor_main()
    except SystemExit:
        pass
    finally:
        here.disable()
        for profile in profiles:
            profile.create_stats()
        stats = pstats.Stats(here)
        for profile in profiles:
            if profile is not here and profile.stats:  # type: ignore[attr-defined]
                stats.add(profile)
        stats.dump_stats(out)


if __name__ == "__main__":
    main()
