"""events.yaml `move` and `abroad`: read into Event, and a wrong value is named for the author."""

import shutil

import pytest

from catalog.pack import PackError, load_pack
from catalog.tests.helpers import PACK_DIR


def test_the_shipped_events_declare_their_moves():
    events = load_pack(PACK_DIR).events
    moves = {e.id: (e.move, e.abroad) for e in events.values() if e.move}
    assert moves == {
        "tennyu": ("in", False),
        "tennyu_abroad": ("in", True),
        "tenshutsu": ("out", False),
        "tenshutsu_abroad": ("out", True),
        "tenkyo": ("within", False),
    }
    assert (events["death"].move, events["death"].abroad) == (None, False)


@pytest.fixture
def with_event(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "default")
    city = tmp_path / "city"
    city.mkdir()
    (city / "pack.yaml").write_text('name: t\nversion: "1"\nbase: ../default\n')

    def load(extra: str):
        (city / "events.yaml").write_text(
            f"events:\n  - id: hikkoshi\n    name: 引越し\n    subjects: moving\n{extra}"
        )
        return load_pack(city)

    return load


@pytest.mark.parametrize(
    "extra, says",
    [
        ("    move: sideways\n", "move は in・out・within のどれかです"),
        ("    move: in\n    abroad: yes please\n", "abroad は true か false"),
        ("    abroad: true\n", "move がありません"),
    ],
)
def test_a_wrong_move_is_an_error_naming_the_event(with_event, extra, says):
    with pytest.raises(PackError) as e:
        with_event(extra)
    assert "hikkoshi" in str(e.value) and says in str(e.value)


def test_an_overlay_event_may_declare_a_move(with_event):
    e = with_event("    move: within\n").events["hikkoshi"]
    assert (e.move, e.abroad) == ("within", False)
