"""What an event means for the address is the pack's data (events.yaml `move`, `abroad`), so a
pack's own, differently named move event is handled as a move everywhere: the start form,
the write functions, the visit's screens and the printed 住民異動届."""

import shutil
from datetime import date

import pytest

from catalog.tests.helpers import PACK_DIR
from counter import services
from counter.forms import StartVisitForm
from counter.models import Visit
from counter.packet import packet_data
from counter.tests.factories import elderly_couple
from printing.layouts.idou import needs_idou
from printing.pdf import render_packet
from printing.tests import raster

EVENTS = """\
events:
  - id: hikkoshi_soto
    move: out
    name: 市外への引越し
    subjects: moving
  - id: hikkoshi_umi
    move: in
    abroad: true
    name: 海外からの引越し
    subjects: moving
"""


@pytest.fixture
def city_pack(tmp_path, settings):
    """An overlay that declares two move events under names the code has never seen."""
    shutil.copytree(PACK_DIR, tmp_path / "default")
    city = tmp_path / "city"
    city.mkdir()
    (city / "pack.yaml").write_text('name: 引越し市\nversion: "1"\nbase: ../default\n')
    (city / "events.yaml").write_text(EVENTS)
    settings.CATALOG_DIR = city
    yield city
    settings.CATALOG_DIR = PACK_DIR


def test_the_shipped_move_events_say_what_they_mean():
    v = Visit(events=["tenshutsu_abroad"])
    assert (v.move, v.moves_out, v.abroad, v.leaves_address) == ("out", True, True, True)
    v = Visit(events=["tenkyo", "school_entry"])
    assert (v.moves_within, v.new_address_in_city, v.abroad) == (True, True, False)
    v = Visit(events=["death"])
    assert (v.move, v.moves, v.leaves_address) == (None, False, False)


@pytest.mark.django_db
def test_a_pack_s_own_move_out_event_moves_the_household_and_prints_as_a_move(clerk, city_pack):
    hh, _head, _wife = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["hikkoshi_soto"],
                                 event_date=date(2026, 6, 15), household=hh)  # fmt: skip
    assert visit.moves_out and not visit.abroad
    # As for 転出: everybody is marked as moving, and the register's address becomes the old one.
    assert all(vp.moving for vp in visit.people.all())
    assert visit.old_address == hh.as_address()
    data = packet_data(visit)
    assert (data.move, data.abroad, data.leaving) == ("out", False, True)
    assert needs_idou(data)
    text = "\n".join(raster.page_texts(render_packet(data)))
    assert "住民異動届" in text and "転出予定日" in text


@pytest.mark.django_db
def test_a_pack_s_own_move_in_from_abroad_is_accepted_for_a_newcomer(city_pack):
    form = StartVisitForm({"events": ["hikkoshi_umi"], "event_date": "R8.6.15"}, newcomer=True)
    assert form.is_valid(), form.errors
    visit = Visit(events=["hikkoshi_umi"])
    assert visit.moves_in and visit.abroad and not visit.leaves_address
    # Two moves at once are refused whatever they are called.
    form = StartVisitForm({"events": ["hikkoshi_soto", "tenkyo"], "event_date": "R8.6.15"})
    assert not form.is_valid() and "1つだけ" in str(form.errors["events"])
