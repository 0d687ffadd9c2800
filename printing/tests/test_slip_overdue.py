"""The guidance slip marks a procedure filed after its deadline 期限超過, with the catalog's note."""

from datetime import date

from printing.pdf import render_packet

from . import raster
from .fixtures import family_of_four

NOTE = "期限を過ぎても届出はできます。遅れた理由をお聞きします。"


def _slip(issued_on):
    data = family_of_four(issued_on=issued_on)
    for p in data.procedures:
        if p.id == "jumin_tennyu":
            p.late = NOTE
    return raster.page_texts(render_packet(data))[0]


def test_a_late_visit_shows_overdue_and_the_note_on_the_slip():
    slip = _slip(date(2026, 6, 1))  # the 転入届 was due 令和8年4月24日
    assert "【期限超過】" in slip
    assert "遅れた理由をお聞きします" in slip


def test_a_visit_in_time_shows_neither():
    slip = _slip(date(2026, 4, 24))
    assert "期限超過" not in slip and "遅れた理由" not in slip
