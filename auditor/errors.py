"""Errors the auditor raises, by whose fault they are.

    AuditorError                  base: every error the CLI and the web app turn into a message
    ├── WorkbookError             the input cannot be read as an inspection at all
    │   │                         (not a workbook, damaged, encrypted, no Facility sheet)
    │   └── ReadLimitError        reading the file met a limit or ended its reader (auditor.untrusted)
    ├── StandardsError            the standards data is unusable (unknown edition, lint failure)
    ├── ConfigError               a tailoring, waivers or previous-results file is unusable (exit 2)
    ├── ReportError               a report cannot be rendered or written
    ├── RegistryError             the facility registry has no such facility (or no registry)
    └── OutputError               an output cannot be written where it was asked for (exit 2)

Bad cells are not exceptions: they are Problems, gathered all at once (auditor.contracts.problems).
"""

from __future__ import annotations


class AuditorError(Exception):
    """Base of every error the auditor reports to a user; its message is one readable line."""

    exit_code = 1


class WorkbookError(AuditorError):
    """Raised when the input cannot be read as an inspection workbook or CSV folder."""


class ReadLimitError(WorkbookError):
    """Raised when reading an untrusted file needs more memory, time or output than allowed, or
    kills the child process reading it."""


class StandardsError(AuditorError):
    """Raised when the standards data cannot be loaded (unknown edition, invalid files)."""


class ConfigError(AuditorError):
    """Raised when a tailoring, waivers or previous-results file cannot be used."""

    exit_code = 2  # a usage error: the user gave a file that cannot be used as given


class ReportError(AuditorError):
    """Raised when a report cannot be rendered or written."""


class RegistryError(AuditorError):
    """Raised when the facility registry has no facility of that id, or the data folder has none."""


class OutputError(AuditorError):
    """Raised when a command cannot write where it was told to (a missing parent that cannot be
    created, a file where a folder is needed, a folder that may not be written)."""

    exit_code = 2  # a usage error: the user named a place that cannot take the output
