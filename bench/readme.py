"""Each benchmark writes its own section of bench/README.md and leaves the others alone."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(section: str) -> None:
    """Replace the section whose `## Title` opens `section`, or append it."""
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    title = section.splitlines()[0]
    start = text.find(title + "\n")
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + section.rstrip() + "\n" + (text[end:] if end >= 0 else "")
    README.write_text(text.rstrip() + "\n", encoding="utf-8")
