"""The one way the project reads YAML: tailoring, waivers, import profiles and the standards.

Every such file is treated as hostile input. `load_yaml` refuses, with the file, the line and
(where it can) the field:

- a file over `max_bytes`, or one that is not a regular file (a FIFO would block for ever);
- text that is not UTF-8;
- alias bombs ("billion laughs"): more than MAX_ALIASES alias references, a document that would
  expand to more than MAX_VALUES values, or an alias inside its own anchor. PyYAML builds aliases
  as shared objects, so loading a bomb is cheap and the explosion happens later, in whatever walks
  the data (a schema check, `str()`): the limits are checked on the node graph, before any value
  is built;
- more than MAX_VALUES values or MAX_DEPTH levels of nesting, with or without aliases;
- duplicate keys in a mapping (YAML keeps the last one silently);
- values PyYAML would turn into a traceback (`2026-13-45`, a 5,000-digit number) and numbers that
  are not finite (`.nan`, `.inf`): no threshold, date or count in this project may be either.

The document keeps the line of every key and item, so callers name the line of the field they
reject (`doc.where("overrides", "MC-INTAKE-SCREEN")`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import AuditorError, ConfigError

MAX_BYTES = 1_000_000  # the largest file the project ships is under 10 KB
MAX_ALIASES = 100
MAX_VALUES = 100_000  # values after expanding aliases
MAX_DEPTH = 50

Field = tuple[str | int, ...]

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class _Refused(yaml.MarkedYAMLError):
    """A value or structure this loader refuses, at its node's position."""

    def __init__(self, problem: str, mark: yaml.Mark | None, field: Field | None = None) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.field = field


class _Loader(_BASE):  # type: ignore[valid-type, misc]
    """A safe loader whose values are finite and whose date or number errors carry a line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # e.g. 2026-13-45, or too many digits
            shown = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else node.tag
            raise _Refused(f"{shown} cannot be read ({str(exc)[:80]})", node.start_mark) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(f"{node.value} is not a finite number", node.start_mark)
        return value


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: its data, its bytes and the line of every key and item."""

    path: Path
    raw: bytes
    data: Any
    lines: Mapping[Field, int]

    def line(self, *field: str | int) -> int:
        """The line of `field` (keys and list indices from the top), or of its nearest parent."""
        parts = tuple(p if isinstance(p, int) else str(p) for p in field)
        while parts and parts not in self.lines:
            parts = parts[:-1]
        return self.lines.get(parts, 1)

    def where(self, *field: str | int) -> str:
        """`file:line` of a field, to start an error message with."""
        return f"{self.path}:{self.line(*field)}"


def load_yaml(
    path: str | Path,
    *,
    error: type[AuditorError] = ConfigError,
    max_bytes: int = MAX_BYTES,
    what: str = "file",
) -> YamlDocument:
    """Read and parse one YAML file within the limits above; any refusal raises `error`."""
    path = Path(path)
    raw = read_limited(path, error=error, max_bytes=max_bytes, what=what)
    try:
        return parse_yaml(raw, path)
    except YamlProblem as exc:
        raise error(f"{path}:{exc.line}: {exc.message}" if exc.line else f"{path}: {exc.message}") from None


def read_limited(
    path: Path, *, error: type[AuditorError] = ConfigError, max_bytes: int = MAX_BYTES, what: str = "file"
) -> bytes:
    """A regular file's bytes, refused past `max_bytes` without reading the rest."""
    try:
        if not path.is_file():
            problem = "file not found" if not path.exists() else "not a regular file"
            raise error(f"{path}: cannot read the {what}: {problem}")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise error(f"{path}: the {what} is larger than {max_bytes:,} bytes; such a file is far smaller")
    return raw


class YamlProblem(Exception):
    """Why a YAML text was refused, at its line (0 when unknown); `load_yaml` adds the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


def parse_yaml(raw: bytes, path: Path) -> YamlDocument:
    """Parse YAML bytes already read (e.g. to hash them too); raises YamlProblem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            line, f"not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8"
        ) from None
    loader = _Loader(text)
    lines: dict[Field, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(path, raw, None, lines)
        _Graph(lines).check(node)
        data = loader.construct_document(node)
    except _Refused as exc:
        raise _problem(exc, lines) from None
    except yaml.MarkedYAMLError as exc:
        raise _problem(_python_wording(text, exc), lines) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text[: exc.position].count("\n") + 1
        shown = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlProblem(line, f"not valid YAML: the character {shown} is not allowed") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise YamlProblem(0, f"not valid YAML ({' '.join(str(exc).split())})") from None
    finally:
        loader.dispose()
    return YamlDocument(path, raw, data, lines)


def _python_wording(text: str, exc: yaml.MarkedYAMLError) -> yaml.MarkedYAMLError:
    """The pure-Python parser's account of a syntax error: it says more than libyaml's."""
    if _BASE is yaml.SafeLoader:
        return exc
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as better:
        return better
    except (yaml.YAMLError, RecursionError):
        pass
    return exc


def _problem(exc: yaml.MarkedYAMLError, lines: Mapping[Field, int]) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 0
    field = getattr(exc, "field", None)
    if field is None:  # a value's error: the deepest field on its line
        field = max((f for f, n in lines.items() if n == line and f), key=len, default=None)
    named = f"{dotted(field)}: " if field else ""
    said = ", ".join(filter(None, (exc.context, exc.problem)))  # "expected …" "but found …"
    problem = exc.problem if isinstance(exc, _Refused) else f"not valid YAML: {said}"
    return YamlProblem(line, f"{named}{problem}")


def dotted(field: Field) -> str:
    """A field path as a reader writes it: `overrides.MC-INTAKE-SCREEN.limit`, `waivers[2]`."""
    out = ""
    for part in field:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Graph:
    """Walks the composed node graph once: records lines, counts aliases and expanded values."""

    def __init__(self, lines: dict[Field, int]) -> None:
        self.lines = lines
        self.sizes: dict[int, int] = {}  # id(node) → values it expands to
        self.open: set[int] = set()
        self.aliases = 0

    def check(self, root: yaml.Node) -> None:
        self._visit(root, (), 0)

    def _visit(self, node: yaml.Node, field: Field, depth: int) -> int:
        key = id(node)
        if key in self.open:
            raise _Refused("an alias refers to the node that contains it", node.start_mark, field)
        if key in self.sizes:  # a second reference to one node: an alias
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(f"more than {MAX_ALIASES} aliases (*name)", node.start_mark, field)
            return self.sizes[key]
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", node.start_mark, field)
        self.lines.setdefault(field, node.start_mark.line + 1)
        self.open.add(key)
        size = 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else None
                if name is not None and k.tag != "tag:yaml.org,2002:merge":
                    if name in seen:
                        raise _Refused("this key appears twice in its mapping", k.start_mark, (*field, name))
                    seen.add(name)
                    self.lines.setdefault((*field, name), k.start_mark.line + 1)
                    size += self._visit(v, (*field, name), depth + 1)
                else:
                    size += self._visit(k, field, depth + 1) + self._visit(v, field, depth + 1)
                self._bounded(size, node, field)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                size += self._visit(item, (*field, index), depth + 1)
                self._bounded(size, node, field)
        self.open.discard(key)
        self.sizes[key] = size
        return size

    def _bounded(self, size: int, node: yaml.Node, field: Field) -> None:
        if size > MAX_VALUES:
            how = "expands to" if self.aliases else "holds"
            via = " through aliases (*name)" if self.aliases else ""
            raise _Refused(f"{how} more than {MAX_VALUES:,} values{via}", node.start_mark, field)
