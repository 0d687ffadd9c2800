"""Pack.version: the label of pack.yaml plus a digest of every file the pack is made of.

A visit records the version that decided it (counter), so any change to a rule, a
wording, a setting or a 窓口 — in the pack or in an overlay's base — must change it.
"""

import re
import shutil

import pytest

from catalog.pack import load_pack
from catalog.tests.helpers import PACK_DIR

OVERLAY_DIR = PACK_DIR.parent / "overlays" / "example-city"
# Every file of the folder but its README: the pack's YAML and the form templates (forms/).
PACK_FILES = sorted(
    str(p.relative_to(PACK_DIR)) for p in PACK_DIR.rglob("*") if p.is_file() and p.suffix != ".md"
)


@pytest.fixture
def layout(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "default")
    shutil.copytree(OVERLAY_DIR, tmp_path / "overlays" / "example-city")
    return tmp_path


def _touch(path):
    path.write_text(path.read_text(encoding="utf-8") + "# 変更\n", encoding="utf-8")


def test_the_version_is_the_label_and_eight_hex_digits():
    assert re.fullmatch(r"2026\.1\+[0-9a-f]{8}", load_pack(PACK_DIR).version)


def test_the_same_files_give_the_same_version_wherever_they_are(layout):
    assert load_pack(layout / "default").version == load_pack(PACK_DIR).version
    assert load_pack(layout / "overlays" / "example-city").version == load_pack(OVERLAY_DIR).version


def test_a_change_to_any_file_of_the_pack_changes_the_version(layout):
    # One copy, every file touched in turn: each load must give a version not seen before.
    seen = {load_pack(layout / "default").version}
    for rel in PACK_FILES:
        _touch(layout / "default" / rel)
        version = load_pack(layout / "default").version
        assert version not in seen, rel
        seen.add(version)
    assert len(PACK_FILES) > 12  # the pack files and the printing app's forms/


def test_every_file_of_the_pack_is_read():
    assert sorted(str(p.relative_to(PACK_DIR)) for p in load_pack(PACK_DIR).files) == PACK_FILES


def test_the_readme_is_documentation_not_part_of_the_pack(layout):
    before = load_pack(layout / "default").version
    _touch(layout / "default" / "README.md")
    assert load_pack(layout / "default").version == before


@pytest.mark.parametrize(
    "rel",
    ["default/pack.yaml", "default/procedures/death.yaml", "overlays/example-city/pack.yaml",
     "overlays/example-city/departments.yaml", "overlays/example-city/procedures/sakura.yaml"],
)  # fmt: skip
def test_a_change_in_the_overlay_or_its_base_changes_the_overlays_version(layout, rel):
    overlay = layout / "overlays" / "example-city"
    before = load_pack(overlay).version
    _touch(layout / rel)
    assert load_pack(overlay).version != before


def test_an_overlay_reads_its_base_files_too():
    files = {p.name for p in load_pack(OVERLAY_DIR).files}
    assert {"facts.yaml", "death.yaml", "sakura.yaml"} <= files
    # Its pack.yaml, departments.yaml, procedures/sakura.yaml and guides.yaml.
    assert len(load_pack(OVERLAY_DIR).files) == len(PACK_FILES) + 4
