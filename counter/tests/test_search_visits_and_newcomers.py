"""The search box also finds a visit by its 受付番号 and the newcomers of accepted 転入 who
are not in the register yet; 最近の来庁 reads as names, 和暦 and the pack's event labels."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from counter import services
from counter.search import visit_numbers
from counter.tests.factories import elderly_couple
from lib.wareki import to_wareki_short

pytestmark = pytest.mark.django_db


def _search(client, q, **extra):
    """The results box only (as htmx asks for it), not the 最近の来庁 below it."""
    r = client.get(
        reverse("counter:home"), {"q": q, **extra}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    return r.content.decode()


@pytest.fixture
def tennyu(clerk):
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    services.add_newcomer(
        visit,
        by=clerk,
        data={
            "name": "山﨑\u3000一郎",
            "name_kana": "ヤマザキ\u3000イチロウ",
            "birth_date": date(1985, 7, 1),
            "sex": "1",
            "relation": "世帯主",
        },
    )
    return visit


def test_visit_numbers_read_a_bare_number_as_today_at_this_office():
    today = date(2026, 4, 1)
    assert visit_numbers("0456", office_code="hon", today=today) == ["20260401-HON-456"]
    assert visit_numbers("１２", office_code="HON", today=today) == ["20260401-HON-012"]
    assert visit_numbers("shi-3", office_code="HON", today=today) == ["20260401-SHI-003"]
    assert visit_numbers("R8.3.31-012", office_code="HON", today=today) == ["20260331-HON-012"]
    assert visit_numbers("20260331－HON－012", office_code="X", today=today) == ["20260331-HON-012"]
    assert visit_numbers("ヤマダ", office_code="HON", today=today) == []
    assert visit_numbers("R8.3.32-012", office_code="HON", today=today) == []


def test_the_visit_number_as_shown_finds_the_visit(clerk_client, tennyu):
    html = _search(clerk_client, tennyu.number)
    assert f'href="{reverse("counter:visit", args=[tennyu.number])}"' in html
    assert "山﨑\u3000一郎" in html and "転入" in html and "令和8年4月10日" in html


def test_todays_sequence_number_alone_finds_todays_visit(clerk_client, tennyu):
    seq = tennyu.number.rsplit("-", 1)[1]
    assert tennyu.number.startswith(f"{timezone.localdate():%Y%m%d}-")
    html = _search(clerk_client, str(int(seq)))
    assert tennyu.number in html and "見つかりませんでした" not in html


def test_the_number_with_its_day_in_wareki_finds_the_visit(clerk_client, tennyu):
    day = timezone.localdate()
    seq = tennyu.number.rsplit("-", 1)[1]
    html = _search(clerk_client, f"{to_wareki_short(day)}-{seq}")  # 「R8.4.1-001」
    assert tennyu.number in html
    assert '<p class="error" role="alert">' not in html


def test_a_visit_of_another_office_is_not_found_by_a_branch_clerk(client, branch_clerk, tennyu):
    client.force_login(branch_clerk)
    html = _search(client, tennyu.number)
    assert f'href="{reverse("counter:visit", args=[tennyu.number])}"' not in html


def test_an_accepted_newcomer_is_found_by_reading_name_and_birth_date(clerk, clerk_client, tennyu):
    assert "住民登録前の転入者（受付済）" not in _search(
        clerk_client, "ヤマザキ"
    )  # not accepted yet
    services.accept_visit(tennyu, by=clerk)
    for q in ("やまざき", "山崎", "イチロウ", "S60.7.1", "ヤマサキ イチロウ"):
        html = _search(clerk_client, q)
        assert "住民登録前の転入者" in html and "山﨑\u3000一郎" in html, q
        assert tennyu.number in html, q
    assert "山﨑\u3000一郎" not in _search(clerk_client, "ヤマサキ", exact="1")
    assert "山﨑\u3000一郎" not in _search(clerk_client, "スズキ")


def test_a_visit_still_open_is_found_by_its_newcomers(clerk, clerk_client, tennyu):
    """A 転入 prepared before the resident came (the 転入予約 feed, a pre-entry) or being taken at
    another counter: the resident's name finds it, apart from the accepted ones."""
    for q in ("やまざき", "山崎 一郎", "S60.7.1"):
        html = _search(clerk_client, q)
        assert "準備済み・受付中の来庁" in html and tennyu.number in html, q
        assert "住民登録前の転入者（受付済）" not in html, q
    services.cancel_visit(tennyu, by=clerk, reason="重複")
    assert tennyu.number not in _search(clerk_client, "やまざき")  # it waits for nobody


def test_an_accepted_visit_is_no_longer_open(clerk, clerk_client, tennyu):
    services.accept_visit(tennyu, by=clerk)
    html = _search(clerk_client, "やまざき")
    assert "準備済み・受付中の来庁" not in html and "住民登録前の転入者（受付済）" in html


def test_a_newcomer_already_in_the_register_is_not_listed_twice(clerk, clerk_client):
    hh, head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenkyo"],
        event_date=date(2026, 4, 10),
        household=hh,
    )
    services.accept_visit(visit, by=clerk)
    html = _search(clerk_client, head.name_kana.split("\u3000")[0])
    assert "住民登録前の転入者" not in html and head.name in html


def test_yamasaki_finds_a_registered_yamazaki_and_the_exact_option_does_not(clerk_client):
    from counter.tests.factories import household, resident

    resident(household(), "山崎\u3000花子", "ヤマザキ\u3000ハナコ", date(1990, 1, 1), "世帯主")
    assert "山崎\u3000花子" in _search(clerk_client, "ヤマサキ")
    assert "山崎\u3000花子" not in _search(clerk_client, "ヤマサキ", exact="1")
    page = clerk_client.get(reverse("counter:home"), {"q": "ヤマサキ", "exact": "1"})
    assert 'name="exact" value="1" checked' in page.content.decode()


def test_recent_visits_show_names_wareki_dates_and_event_labels(clerk_client, tennyu):
    html = clerk_client.get(reverse("counter:home")).content.decode()
    recent = html[html.index('id="recent-visits"') :]
    assert "山﨑\u3000一郎" in recent
    assert "令和8年4月10日" in recent and "2026-04-10" not in recent
    assert "転入" in recent and "tennyu" not in recent
