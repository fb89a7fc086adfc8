"""Words shared by the kinds for why a record is undecided."""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.engine import conditions


def unrecorded(check: dict[str, Any]) -> str:
    """The columns whose blank leaves a row's part open ('event or area'): those of `where`, then
    `group_by`."""
    columns = conditions.absent_columns(pd.DataFrame(), check.get("where"))
    if check.get("group_by"):
        columns.append(check["group_by"])
    return " or ".join(dict.fromkeys(columns)) or "kind"
