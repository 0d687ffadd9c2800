"""来庁予約 with capacity, おくやみ予約 that prepares the death visit, and the 転入予約 feed."""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from counter.models import VisitPerson
from counter.tests.factories import elderly_couple
from queues import prepare, services
from queues.models import Reservation, Slot


@pytest.fixture
def slot(honcho):
    return Slot.objects.create(
        office=honcho, purpose="death", starts_at=timezone.now() + timedelta(days=1), capacity=1
    )


@pytest.fixture
def moving_slot(honcho):
    """A slot the public form offers (おくやみ's are booked on their own form)."""
    return Slot.objects.create(
        office=honcho, purpose="moving", starts_at=timezone.now() + timedelta(days=1), capacity=1
    )


@pytest.mark.django_db
def test_a_full_slot_refuses_the_next_booking_with_a_clear_message(slot):
    services.book(slot, name="山田　太郎")
    with pytest.raises(services.SlotFull, match="満員です（定員 1 人）"):
        services.book(slot, name="佐藤　花子")
    slot.refresh_from_db()
    assert slot.booked == 1 and Reservation.objects.count() == 1


@pytest.mark.django_db
def test_the_same_booking_form_sent_twice_books_once(client, moving_slot, honcho):
    slot = moving_slot
    url = reverse("queues:book", args=["honcho"])
    token = re.search(r'name="token" value="(\w+)"', client.get(url).text).group(1)
    data = {"slot": slot.pk, "name": "山田　太郎", "phone": "0157-00-0000", "token": token}
    assert "予約を受け付けました" in client.post(url, data).text
    assert "予約を受け付けました" in client.post(url, data).text
    slot.refresh_from_db()
    assert Reservation.objects.count() == 1 and slot.booked == 1


@pytest.mark.django_db
def test_the_booking_page_says_when_the_slot_is_full(client, slot):
    services.book(slot, name="先客")
    url = reverse("queues:book", args=["honcho"])
    page = client.post(url, {"slot": slot.pk, "name": "山田", "token": "t-2"})
    assert "満員です" in page.text or "正しく選択してください" in page.text


@pytest.mark.django_db
def test_cancelling_gives_the_place_back(slot, clerk):
    r = services.book(slot, name="山田")
    services.cancel(r, by=clerk)
    services.cancel(r, by=clerk)
    slot.refresh_from_db()
    assert slot.booked == 0


@pytest.mark.django_db
def test_an_okuyami_booking_prepares_the_death_visit_of_the_household(
    client, slot, clerk_client, honcho
):
    hh, head, wife = elderly_couple()
    url = reverse("queues:book_okuyami", args=["honcho"])
    token = re.search(r'name="token" value="(\w+)"', client.get(url).text).group(1)
    page = client.post(
        url,
        {
            "slot": slot.pk,
            "name": "髙橋　花子",
            "name_kana": "タカハシ　ハナコ",
            "phone": "0157-11-2222",
            "token": token,
            "deceased_name": "髙橋　一郎",
            "deceased_kana": "タカハシ　イチロウ",
            "deceased_birth": "1945-05-01",
            "death_date": timezone.localdate().isoformat(),
            "relation": "妻",
        },
    )
    assert "おくやみ予約" in page.text
    r = Reservation.objects.get()
    assert r.kind == "okuyami" and r.details["deceased"]["birth_date"] == "1945-05-01"

    response = clerk_client.post(reverse("queues:reservation_prepare", args=[r.pk]))
    r.refresh_from_db()
    visit = r.visit
    assert response["Location"] == reverse("counter:visit", args=[visit.number])
    assert r.state == "prepared" and visit.events == ["death"] and visit.household == hh
    people = {vp.resident_id: vp for vp in visit.people.all()}
    assert people[head.pk].role == VisitPerson.Role.DECEASED
    assert people[wife.pk].applicant and visit.phone == "0157-11-2222"
    assert visit.packets.count() == 1 and r.prepare_note == ""  # printed before the family comes


@pytest.mark.django_db
def test_an_okuyami_booking_for_someone_not_registered_says_so(slot, clerk):
    r = services.book(
        slot,
        name="X",
        kind="okuyami",
        details={
            "deceased": {
                "name": "存在　しない",
                "name_kana": "ソンザイ　シナイ",
                "birth_date": "1940-01-01",
            }
        },
    )
    r = prepare.prepare_okuyami(r, by=clerk, print_packet=False)
    assert r.visit is None and "見つかりません" in r.prepare_note


NOTICE = {
    "予約番号": "MP-2026-0001",
    "来庁予定日": "2026-12-01",
    "異動年月日": "2026-11-25",
    "電話番号": "090-0000-0000",
    "転出元住所": {
        "郵便番号": "0600001",
        "都道府県": "北海道",
        "市区町村": "札幌市中央区",
        "町字": "北1条西",
        "番地": "1-1",
    },
    "転入先住所": {
        "郵便番号": "0900024",
        "都道府県": "北海道",
        "市区町村": "北見市",
        "町字": "北4条東",
        "番地": "2-3",
    },
    "世帯員": [
        {
            "氏名": "転入　太郎",
            "氏名フリガナ": "テンニュウ　タロウ",
            "生年月日": "1990-04-01",
            "性別": "1",
            "続柄": "世帯主",
        },
        {
            "氏名": "転入　次郎",
            "氏名フリガナ": "テンニュウ　ジロウ",
            "生年月日": "2022-08-08",
            "性別": "1",
            "続柄": "子",
        },
    ],
}


@pytest.mark.django_db
def test_a_moving_notice_from_a_json_file_prepares_the_tennyu_visit_once(
    tmp_path, demo_staff, capsys
):
    path = tmp_path / "notices.json"
    path.write_text(json.dumps({"notices": [NOTICE]}, ensure_ascii=False), encoding="utf-8")
    call_command("import_moving_notices", str(path), "--no-print")
    call_command("import_moving_notices", str(path), "--no-print")
    assert "取込 0 件、更新 0 件、取込済み 1 件" in capsys.readouterr().out
    r = Reservation.objects.get()
    visit = r.visit
    assert (
        r.kind == "tennyu" and visit.events == ["tennyu"] and str(visit.event_date) == "2026-11-25"
    )
    assert [(p.name, p.relation, p.applicant) for p in visit.people.all()] == [
        ("転入　太郎", "世帯主", True),
        ("転入　次郎", "子", False),
    ]
    assert visit.new_address["town"] == "北4条東" and visit.old_address["city"] == "札幌市中央区"


@pytest.mark.django_db
def test_the_resident_of_a_moving_notice_is_found_at_the_counter(tmp_path, clerk_client):
    """The announced 転入 waits under the resident's name in the counter's search box, with the
    household's own dwelling said (nobody is registered at the new address)."""
    path = tmp_path / "notices.json"
    path.write_text(json.dumps([NOTICE], ensure_ascii=False), encoding="utf-8")
    call_command("import_moving_notices", str(path), "--no-print")
    visit = Reservation.objects.get().visit
    assert visit.household_facts == {"new_dwelling": True}
    html = clerk_client.get(
        "/", {"q": "テンニュウ ジロウ"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    ).content.decode()
    assert "準備済み・受付中の来庁" in html
    assert visit.number in html and "転入　次郎" in html and "転入　太郎" not in html


@pytest.mark.django_db
def test_a_moving_notice_from_a_csv_file_groups_people_by_reservation_number(tmp_path, demo_staff):
    head = "予約番号,来庁予定日,異動年月日,電話番号,転入先町字,転入先番地,氏名,氏名フリガナ,生年月日,性別,続柄\n"
    rows = (
        "MP-9,2026-12-02,2026-11-30,,北4条東,5-6,札幌　一子,サッポロ　イチコ,1980-01-02,2,世帯主\n"
        "MP-9,2026-12-02,2026-11-30,,北4条東,5-6,札幌　二子,サッポロ　ニコ,2010-03-04,2,子\n"
    )
    path = tmp_path / "notices.csv"
    path.write_text(head + rows, encoding="utf-8")
    call_command("import_moving_notices", str(path), "--no-print")
    visit = Reservation.objects.get(external_id="MP-9").visit
    assert visit.people.count() == 2 and visit.new_address == {"town": "北4条東", "banchi": "5-6"}


@pytest.mark.django_db
def test_the_feed_api_takes_notices_with_a_core_system_token_only(client, demo_staff, clerk_client):
    from accounts.models import Department
    from backoffice.api import issue_token
    from backoffice.models import CoreSystem

    system = CoreSystem.objects.create(
        code="juki", name="住基システム", department=Department.objects.get(code="shimin")
    )
    token = issue_token(system)
    url = reverse("api:moving_notices")
    body = json.dumps({"notices": [NOTICE, {"予約番号": "MP-bad"}]}, ensure_ascii=False)
    assert clerk_client.post(url, body, content_type="application/json").status_code == 401
    response = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    results = response.json()["results"]
    assert response.status_code == 207
    assert results[0]["status"] == "created" and results[0]["visit"]
    assert results[1]["status"] == "error" and "来庁予定日" in results[1]["message"]
    again = client.post(
        url,
        json.dumps({"notices": [NOTICE]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.json()["results"][0]["status"] == "already_imported"


@pytest.mark.django_db
def test_a_prepared_reservation_arriving_gets_a_ticket_that_opens_the_prepared_visit(
    clerk_client, clerk, counters, honcho, tmp_path
):
    from queues.models import Ticket

    r, _created = prepare.import_notice(NOTICE, print_packet=False)
    for _ in range(2):  # a double click at reception: one ticket
        response = clerk_client.post(
            reverse("queues:staff_issue"), {"reservation": r.pk, "token": f"arrive-{r.pk}"}
        )
    ticket = Ticket.objects.get()
    assert response["Location"] == (
        reverse("queues:ticket_print", args=[ticket.token]) + "?from=staff"
    )
    r.refresh_from_db()
    assert ticket.reservation == r and ticket.purpose == "moving" and r.state == "arrived"
    services.call_next(counters[1], by=clerk)
    assert services.start_visit_from_ticket(ticket, by=clerk, office=honcho) == r.visit
