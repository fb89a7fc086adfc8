"""A sample's `sample.yml` is read like every YAML file of the project (config_yaml.load_yaml):
a bad manifest is one ConfigError naming its file and line, before anything is audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.demo import read_manifest, run_demo
from auditor.errors import ConfigError


def _sample(root: Path, text: str) -> Path:
    folder = root / "a-sample"
    folder.mkdir(parents=True)
    (folder / "sample.yml").write_text(text, encoding="utf-8")
    return folder / "sample.yml"


def test_the_shipped_manifests_read_as_their_files_say(tmp_path) -> None:
    from auditor.paths import data_dir

    red_mesa = data_dir("sample_data") / "red-mesa-cdf"
    assert read_manifest(red_mesa) == {
        "name": "Red Mesa Contract Detention Facility (fictional)",
        "inspection": red_mesa / "inspection.xlsx",
        "waivers": red_mesa / "waivers.yml",
        "previous": red_mesa / "previous-results.json",
    }


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: X\nname: Y\ninspection: i.xlsx\n",
            ":2: name: this key appears twice in its mapping",
        ),  # safe_load kept the last
        ("name: X\ninspection: [i.xlsx\n", ":3: "),  # not YAML
        ("name: X\n", ":1: inspection: required"),
        ("name: X\ninspection: i.xlsx\nwaiver: w.yml\n", ":3: waiver: unknown field"),
        ("name: X\ninspection: 2026-01-01\n", ":2: inspection: must be text"),
        (
            "name: X\ninspection: ../../etc/passwd\n",
            ":2: inspection: must name a file in the sample's folder",
        ),
        ("name: X\ninspection: /etc/passwd\n", ":2: inspection: must name a file in the sample's folder"),
        ("- name: X\n", ":1: expected notice, name, inspection, waivers, previous, tailoring"),
        (
            BOMB + "name: X\ninspection: i.xlsx\n",
            ":5: e: expands to more than 100,000 values through aliases",
        ),  # aliases refused before they expand
    ],
)
def test_a_bad_manifest_is_one_line_naming_file_and_line(tmp_path, text: str, expected: str) -> None:
    manifest = _sample(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        run_demo(tmp_path / "out", root=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{manifest}{expected}"), message
    assert "\n" not in message
    assert not (tmp_path / "out").exists()  # refused before anything was written
