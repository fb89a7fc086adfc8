"""The requirement schema: standards/schema/requirement.schema.json, whose check and duration
definitions are generated from the rule kinds' declarations (auditor/engine/kinds/).

`python -m auditor.standards.schema` rewrites the file; a test fails when it drifts. Lint validates
with `requirement_schema()`, which takes those definitions from the declarations themselves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from auditor.paths import standards_dir

GENERATED = (
    "$defs.check and $defs.duration are generated from the rule kinds' declarations "
    "(auditor/engine/kinds/): run `python -m auditor.standards.schema`, do not edit them here."
)


def schema_file(root: Path | None = None) -> Path:
    return (root or standards_dir()) / "schema" / "requirement.schema.json"


def requirement_schema(root: Path | None = None) -> dict[str, Any]:
    from auditor.engine.kinds.schema import check_schema, duration_schema

    schema = json.loads(schema_file(root).read_text(encoding="utf-8"))
    schema["$comment"] = GENERATED
    schema["$defs"]["duration"] = duration_schema()
    schema["$defs"]["check"] = check_schema()
    return schema


def render(root: Path | None = None) -> str:
    return json.dumps(requirement_schema(root), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    target = schema_file(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    target.write_text(render(), encoding="utf-8")
    print(target)
