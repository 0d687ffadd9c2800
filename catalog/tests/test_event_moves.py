"""events.yaml says what an event does to the register: `move: in|out|within`, `abroad: true`.

Here small edits of a copy of the default pack, whose `move`/`abroad` lines are taken out
first, check how they are read and refused.
"""

import re
import shutil

import pytest

from catalog.pack import PackError, check_pack, load_pack
from catalog.tests.helpers import PACK_DIR


@pytest.fixture
def events(tmp_path):
    """A copy of the default pack; events(old, new) edits its events.yaml, returns the line."""
    root = tmp_path / "pack"
    shutil.copytree(PACK_DIR, root)
    path = root / "events.yaml"
    path.write_text(
        re.sub(r"(?m)^    (move|abroad): .*\n", "", path.read_text(encoding="utf-8")),
        encoding="utf-8",
    )

    def edit(old, new):
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        line = text[: text.index(old)].count("\n") + 1
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return line

    edit.root = root
    return edit


def _tennyu_abroad(extra: str) -> tuple[str, str]:
    old = "  - id: tennyu_abroad\n    name: 国外からの転入\n    subjects: moving\n"
    return old, old + extra


def test_move_and_abroad_are_read_onto_the_event(events):
    events(*_tennyu_abroad("    move: in\n    abroad: true\n"))
    events(
        "    name: 転居\n    subjects: moving\n",
        "    name: 転居\n    subjects: moving\n    move: within\n",
    )
    pack = load_pack(events.root)
    assert (pack.events["tennyu_abroad"].move, pack.events["tennyu_abroad"].abroad) == ("in", True)
    assert (pack.events["tenkyo"].move, pack.events["tenkyo"].abroad) == ("within", False)
    # An event that says nothing is no move.
    assert (pack.events["death"].move, pack.events["death"].abroad) == (None, False)


def test_the_keys_travel_in_the_merged_documents_export_writes(events):
    events(*_tennyu_abroad("    move: in\n    abroad: true\n"))
    docs = load_pack(events.root).documents["events.yaml"]["events"]
    entry = next(e for e in docs if e["id"] == "tennyu_abroad")
    assert (entry["move"], entry["abroad"]) == ("in", True)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            "    move: inward\n",
            "イベント「tennyu_abroad」の move「inward」は使えません（in, out, within）",
        ),
        (
            "    move: in\n    abroad: yes\n",
            "イベント「tennyu_abroad」の abroad「yes」は true か false",
        ),
        ("    abroad: true\n", "イベント「tennyu_abroad」は abroad: true ですが move"),
        ("    moves: in\n", "不明な項目「moves」"),
    ],
    ids=["move-value", "abroad-not-bool", "abroad-without-move", "misspelt-key"],
)
def test_a_wrong_move_or_abroad_is_refused_at_its_line(events, extra, words):
    line = events(*_tennyu_abroad(extra))
    with pytest.raises(PackError) as info:
        load_pack(events.root)
    e = info.value
    assert words in e.message and e.file.endswith("events.yaml")
    assert line < e.line <= line + 5, (line, e.line)


def test_a_wrong_move_still_lets_the_rules_that_name_the_event_compile(events):
    events(*_tennyu_abroad("    move: sideways\n"))
    problems = [p for p in check_pack(events.root) if p.kind == "error"]
    # Only the move itself: procedures of tennyu_abroad are not reported as naming no event.
    assert len(problems) == 1 and "sideways" in problems[0].message


def test_the_schema_describes_move_and_abroad():
    from catalog import yamlio
    from catalog.tests.test_pack_schema import errors

    good = "events:\n  - {id: a, name: b, subjects: moving, move: in, abroad: true}\n"
    assert errors(yamlio.loads(good), "#/$defs/events_yaml") == []
    bad = "events:\n  - {id: a, name: b, subjects: moving, move: inward, abroad: 'yes'}\n"
    assert len(errors(yamlio.loads(bad), "#/$defs/events_yaml")) == 2
