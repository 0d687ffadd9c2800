"""The audit screen: a supervisor finds who looked at or printed a resident, by 宛名番号 or
name, user, action and dates, page by page or as CSV; nobody else may open it, and opening
it is itself in the log."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEntry
from counter.tests.factories import household, resident
from lib import wareki

URL = reverse("counter:audit_log")
CSV_URL = reverse("counter:audit_log_csv")


@pytest.fixture
def supervisor(demo_staff):
    return demo_staff["kanri"]


@pytest.fixture
def people(db):
    kasai_hh = household()
    kasai = resident(
        kasai_hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主"
    )
    ono_hh = household()
    ono = resident(ono_hh, "小野　美咲", "オノ　ミサキ", date(1990, 8, 3), "世帯主", sex="2")
    return kasai, ono


def _as(user):
    c = Client()
    c.force_login(user)
    return c


def _rows(html: str) -> int:
    return html.count("<tr data-entry=")


def _table(html: str) -> str:
    """The result rows only: the filter's option labels name every action."""
    return html.split('id="audit-rows"', 1)[1].split("</table>", 1)[0] if _rows(html) else ""


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["shimin", "hoken", "shisho"])
def test_only_supervisors_and_administrators_may_open_it(demo_staff, people, who):
    kasai, _ono = people
    audit.record(demo_staff["shimin"], "resident.viewed", resident_id=kasai.id)
    c = _as(demo_staff[who])
    for url in (URL, CSV_URL):
        r = c.get(url, {"resident": kasai.person_no})
        body = r.content.decode()
        assert r.status_code == 403
        assert (
            kasai.name not in body and kasai.person_no not in body and "resident.viewed" not in body
        )
    assert not AuditEntry.objects.filter(action__startswith="audit.").exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client):
    r = client.get(URL)
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


@pytest.mark.django_db
def test_a_supervisor_finds_who_looked_at_a_resident_by_number(clerk, supervisor, people):
    kasai, ono = people
    audit.record(clerk, "resident.viewed", resident_id=kasai.id, where="visit")
    audit.record(clerk, "resident.viewed", resident_id=ono.id, where="visit")
    audit.record_many(clerk, "visit.printed", [kasai.id], visit=10)
    html = _as(supervisor).get(URL, {"resident": kasai.person_no}).content.decode()
    assert _rows(html) == 2
    rows = _table(html)
    assert kasai.name in rows and "申請書の印刷" in rows and "住民の表示" in rows
    assert ono.name not in html and ono.person_no not in html
    assert clerk.staff.display_name in rows


@pytest.mark.django_db
def test_a_name_in_kana_finds_the_same_entries(clerk, supervisor, people):
    kasai, ono = people
    audit.record(clerk, "resident.viewed", resident_id=kasai.id)
    audit.record(clerk, "resident.viewed", resident_id=ono.id)
    html = _as(supervisor).get(URL, {"resident": "かさい"}).content.decode()
    assert _rows(html) == 1 and kasai.person_no in html and ono.person_no not in html


@pytest.mark.django_db
def test_a_search_is_one_row_with_every_resident_it_showed(clerk, supervisor, people):
    kasai, ono = people
    others = [
        resident(household(), f"検索　太郎{i}", f"ケンサク　タロウ{i}", date(1970, 1, 1), "世帯主")
        for i in range(5)
    ]
    audit.record(clerk, "resident.searched", resident_ids=[kasai.id, ono.id] + [o.id for o in others],
                 query="検索")  # fmt: skip
    html = _as(supervisor).get(URL, {"resident": ono.person_no}).content.decode()
    assert _rows(html) == 1
    assert kasai.name in html and ono.name in html and others[-1].person_no in html
    assert "ほか 4 名" in html and "query=検索" in html


@pytest.mark.django_db
def test_filters_by_user_action_and_dates(clerk, hoken_clerk, supervisor, people):
    kasai, _ono = people
    audit.record(clerk, "resident.viewed", resident_id=kasai.id)
    audit.record(hoken_clerk, "resident.exported", resident_ids=[kasai.id])
    audit.record(hoken_clerk, "auth.login")
    c = _as(supervisor)
    html = c.get(URL, {"user": "hoken", "action": "print"}).content.decode()
    assert _rows(html) == 1 and "resident.exported" in _table(html)
    html = c.get(URL, {"action": "auth.login", "user": "hoken"}).content.decode()
    assert _rows(html) == 1 and "auth.login" in _table(html)
    today = timezone.localdate()
    yesterday = wareki.to_wareki_short(today - timedelta(days=1))
    html = c.get(URL, {"resident": kasai.person_no, "date_to": yesterday}).content.decode()
    assert _rows(html) == 0 and "条件に一致する記録はありません" in html
    html = c.get(URL, {"resident": kasai.person_no, "date_from": today.isoformat(),
                       "date_to": wareki.to_wareki(today)}).content.decode()  # fmt: skip
    # the two entries, and the screen's own look at kasai just before
    assert _rows(html) == 3 and _table(html).count("audit.viewed") == 1


@pytest.mark.django_db
def test_bad_filters_get_japanese_messages_not_an_error_page(supervisor, people):
    c = _as(supervisor)
    for params, message in [
        ({"date_from": "R8.2.30"}, "2月30日は存在しない日付です"),
        ({"date_from": "R8.4.2", "date_to": "R8.4.1"}, "期間の終わりが始まりより前です"),
        ({"resident": "ソンザイシナイ"}, "一致する住民は見つかりませんでした"),
        ({"user": "nobody"}, "正しく選択"),
        ({"action": "<script>"}, "正しく選択"),
    ]:
        r = c.get(URL, params)
        html = r.content.decode()
        assert r.status_code == 200 and message in html and "<script>" not in html, params
        assert c.get(CSV_URL, params).status_code == 200  # the screen with the message


@pytest.mark.django_db
def test_pages_of_fifty(clerk, supervisor, people):
    kasai, _ono = people
    for _ in range(60):
        audit.record(clerk, "resident.viewed", resident_id=kasai.id)
    c = _as(supervisor)
    # "look": the screen's own entries are about kasai too, and would join the list.
    query = {"resident": kasai.person_no, "action": "look"}
    first = c.get(URL, query).content.decode()
    assert _rows(first) == 50 and "60 件中 1〜50 件目" in first and 'rel="next"' in first
    second = c.get(URL, {**query, "page": 2}).content.decode()
    assert _rows(second) == 10 and 'rel="prev"' in second
    assert _rows(c.get(URL, {**query, "page": "abc"}).content.decode()) == 50


@pytest.mark.django_db
def test_the_screen_and_its_csv_are_themselves_logged_under_the_resident(supervisor, people):
    kasai, _ono = people
    c = _as(supervisor)
    c.get(URL, {"resident": kasai.person_no, "action": "look"})
    viewed = AuditEntry.objects.get(action="audit.viewed")
    assert viewed.user == supervisor and viewed.detail["resident_ids"] == [kasai.id]
    assert viewed.detail["filter"] == {"resident": kasai.person_no, "action": "look"}
    c.get(CSV_URL, {"resident": kasai.person_no})
    exported = AuditEntry.objects.get(action="audit.exported")
    assert exported.detail["resident_ids"] == [kasai.id]
    html = c.get(URL, {"resident": kasai.person_no, "action": "audit"}).content.decode()
    assert _rows(html) == 2  # the look and the export, found under the resident
    assert audit.verify() == []


@pytest.mark.django_db
def test_the_csv_lists_the_entries_with_their_residents(clerk, supervisor, people):
    kasai, ono = people
    audit.record(clerk, "resident.searched", resident_ids=[kasai.id, ono.id], query="カサイ")
    body = _as(supervisor).get(CSV_URL, {"action": "look"}).getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    searched = next(r for r in rows if r["操作の種類"] == "resident.searched")
    assert searched["住民ID"] == f"{kasai.id} {ono.id}"
    assert searched["宛名番号"] == f"{kasai.person_no} {ono.person_no}"
    assert kasai.name in searched["氏名"] and searched["職員"] == clerk.staff.display_name
    assert len(rows) == 1


@pytest.mark.django_db
def test_a_cell_that_starts_like_a_formula_is_quoted(client, supervisor, people):
    client.post(reverse("accounts:login"), {"username": "shimin", "password": "x"},
                HTTP_X_MADOGUCHI_TERMINAL="=cmd|' /C calc'!A0")  # fmt: skip
    body = _as(supervisor).get(CSV_URL, {"action": "auth.login_failed"}).getvalue().decode()
    row = next(csv.DictReader(io.StringIO(body[1:])))
    assert row["端末名（端末の申告）"] == "'=cmd|' /C calc'!A0"
