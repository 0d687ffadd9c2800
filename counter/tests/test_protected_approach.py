"""A visit that moves someone to the dwelling of a 支援措置 household (perhaps the person it is
protected from): recorded once in the audit log and shown to the administrator, who may see
protected addresses, before the visit is completed. Anyone else sees exactly what they would
see if no protected household lived there: the same pages, the same responses, the same audit
rows — a difference would tell them where the household lives."""

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from counter import services
from counter.approach import APPROACHED
from counter.models import Visit
from counter.tests.factories import household, resident
from preentry.models import PreEntry
from residents.occupancy import protected_households_at

pytestmark = pytest.mark.django_db

KORPO = {"town": "北4条東", "banchi": "3-12", "katagaki": "コーポ北見 201"}
SHELTER_NAME = "保護　花子"


def _living(protected=False, **address):
    hh = household(**address)
    resident(hh, "北見　太郎", "キタミ　タロウ", date(1980, 1, 1), "世帯主")
    wife = resident(hh, SHELTER_NAME, "ホゴ　ハナコ", date(1985, 2, 2), "妻", sex="2")
    if protected:
        wife.support_measure = True
        wife.save(update_fields=["support_measure"])
    return hh


def _as(user):
    c = Client()
    c.force_login(user)
    return c


def _tennyu(clerk) -> Visit:
    return services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )


def _approaches(visit=None):
    entries = AuditEntry.objects.filter(action=APPROACHED)
    return entries.filter(visit_id=visit.id) if visit else entries


def _save(client, visit, **fields):
    return client.post(
        reverse("counter:address", args=[visit.number]),
        {"which": "new_address", **fields},
        HTTP_HX_REQUEST="true",
    )


@pytest.fixture
def supervisor(demo_staff):
    return demo_staff["kanri"]


# -- which households an address reaches --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        KORPO,
        {"town": "北4条東", "banchi": "３－１２", "katagaki": "コーポ北見２０１"},
        {"town": "北4条東", "banchi": "3丁目12番地", "katagaki": "コーポ北見201"},
        {"town": "北4条東", "banchi": "3-12", "katagaki": ""},  # 方書 omitted: maybe that flat
    ],
)
def test_the_protected_households_dwelling_is_found_as_same_dwelling_reads_it(typed):
    hh = _living(protected=True, **KORPO)
    _living(protected=False, town="北4条東", banchi="3-12", katagaki="コーポ北見 202")
    assert protected_households_at(typed) == [hh.pk]


def test_another_flat_another_banchi_or_an_unprotected_household_is_not_it():
    _living(protected=True, **KORPO)
    assert protected_households_at({**KORPO, "katagaki": "コーポ北見 202"}) == []
    assert protected_households_at({**KORPO, "banchi": "3-1", "katagaki": ""}) == []
    assert protected_households_at({"town": "北4条東", "banchi": ""}) == []
    bare = _living(protected=True, town="北5条東", banchi="7-7")  # at the bare 番地
    assert protected_households_at({"town": "北5条東", "banchi": "７－７", "katagaki": "A棟"}) == [
        bare.pk
    ]


# -- the record -----------------------------------------------------------------------------------


def test_a_new_address_at_a_protected_dwelling_is_recorded_once_without_the_address(clerk):
    hh = _living(protected=True, **KORPO)
    wife = hh.residents.get(support_measure=True)
    visit = _tennyu(clerk)
    services.set_addresses(visit, by=clerk, new_address={**KORPO, "banchi": "3丁目12番地"})
    entry = _approaches(visit).get()
    assert entry.resident_ids() == [wife.pk] and entry.visit_id == visit.id
    assert entry.detail["households"] == [hh.pk]
    assert entry.detail["stands_for"] == "visit.address_changed"
    assert entry.detail["fields"] == ["new_address"]
    text = json.dumps(entry.detail, ensure_ascii=False)
    assert "北4条東" not in text and "3丁目12番地" not in text and "コーポ" not in text
    # It is the save's one entry: no plain address change beside it.
    assert not AuditEntry.objects.filter(action="visit.address_changed", visit_id=visit.id).exists()

    # Saved again (another field, the same address): not again.
    services.set_addresses(visit, by=clerk, new_address={**KORPO, "zip": "0900024"})
    services.set_addresses(visit, by=clerk, phone="090-0000-0000")
    assert _approaches(visit).count() == 1
    # Away and back: a second approach.
    services.set_addresses(visit, by=clerk, new_address={**KORPO, "banchi": "5-5"})
    assert _approaches(visit).count() == 1
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    assert _approaches(visit).count() == 2


def test_a_household_flagged_after_the_address_was_saved_is_recorded_at_the_next_save(clerk):
    hh = _living(protected=False, **KORPO)
    visit = _tennyu(clerk)
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    assert not _approaches().exists()
    hh.residents.filter(relation="妻").update(support_measure=True)
    services.set_addresses(visit, by=clerk, new_address={**KORPO, "zip": "0900024"})
    assert _approaches(visit).count() == 1


def test_an_unprotected_household_at_the_address_is_nothing(clerk, admin):
    _living(protected=False, **KORPO)
    visit = _tennyu(clerk)
    r = _save(_as(admin), visit, **KORPO)
    assert r.status_code == 200 and "approach-banner" not in r.content.decode()
    assert not _approaches().exists()
    page = _as(admin).get(reverse("counter:visit", args=[visit.number])).content.decode()
    assert 'id="approach"' in page and "approach-banner" not in page


def test_a_move_out_of_the_city_is_not_measured_against_its_dwellings(clerk):
    hh = _living(protected=False, town="北1条東", banchi="9-9")
    _living(protected=True, **KORPO)
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"], event_date=date(2026, 4, 10),
        household=hh,
    )  # fmt: skip
    services.set_addresses(visit, by=clerk, new_address={**KORPO, "city": "札幌市中央区"})
    assert not _approaches().exists()


def test_the_visits_own_protected_household_is_not_an_approach_to_itself(clerk, admin):
    """転居 within the building: the household's own dwelling is no alert; a neighbour's is."""
    own = _living(protected=True, **KORPO)
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenkyo"], event_date=date(2026, 4, 10),
        household=own,
    )  # fmt: skip
    admin_client = _as(admin)
    # Without its 方書 the address may be its own flat: still nothing.
    r = _save(admin_client, visit, town="北4条東", banchi="3-12", katagaki="")
    assert r.status_code == 200 and "approach-banner" not in r.content.decode()
    assert not _approaches().exists()
    # A protected neighbour in the building is another household's dwelling.
    neighbour = _living(protected=True, town="北4条東", banchi="3-12", katagaki="コーポ北見 305")
    r = _save(admin_client, visit, katagaki="コーポ北見 305")
    assert "approach-banner" in r.content.decode()
    assert _approaches(visit).get().detail["households"] == [neighbour.pk]


def test_joining_a_household_that_shares_a_protected_dwelling_is_an_approach(clerk):
    joined = _living(protected=False, town="北4条東", banchi="3-12", katagaki="")
    sheltered = _living(protected=True, **KORPO)
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10),
        household=joined,
    )  # fmt: skip
    entry = _approaches(visit).get()
    assert entry.detail["stands_for"] == "visit.started"
    assert entry.detail["households"] == [sheltered.pk]
    assert entry.detail["joins_household"] is True
    assert not AuditEntry.objects.filter(action="visit.started", visit_id=visit.id).exists()


# -- what the administrator sees -----------------------------------------------------------------


def test_the_administrator_sees_the_banner_with_the_household_before_completing(clerk, admin):
    hh = _living(protected=True, **KORPO)
    visit = _tennyu(clerk)
    admin_client = _as(admin)
    r = _save(admin_client, visit, town="北4条東", banchi="３－１２")
    body = r.content.decode()
    assert "保存しました" in body and 'id="approach" hx-swap-oob="innerHTML"' in body
    assert "支援措置の対象者がいる世帯の住まい" in body
    assert reverse("counter:visit_start", args=[hh.pk]) in body
    assert f"世帯番号 {hh.household_no}" in body and SHELTER_NAME in body

    page = admin_client.get(reverse("counter:visit", args=[visit.number])).content.decode()
    assert 'id="approach-banner"' in page and reverse("counter:visit_start", args=[hh.pk]) in page
    confirm = admin_client.get(reverse("counter:accept_confirm", args=[visit.number]))
    assert 'id="approach-banner"' in confirm.content.decode()

    # Moved elsewhere: the banner goes (the save redraws it empty).
    r = _save(admin_client, visit, banchi="5-5")
    assert 'id="approach" hx-swap-oob="innerHTML"' in r.content.decode()
    assert "approach-banner" not in r.content.decode()


def test_the_administrator_lists_the_approaches_on_the_audit_screen(clerk, admin):
    _living(protected=True, **KORPO)
    visit = _tennyu(clerk)
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    home = _as(admin).get(reverse("counter:home")).content.decode()
    assert 'id="approach-list"' in home and "action=protected_address.approached" in home
    for action in (APPROACHED, "address"):  # the action, and 「支援措置の住所（すべて）」
        html = _as(admin).get(reverse("counter:audit_log"), {"action": action}).content.decode()
        rows = html.split('id="audit-rows"', 1)[1]
        assert "支援措置の世帯の住まいへの異動" in rows and SHELTER_NAME in rows
        assert reverse("counter:visit", args=[visit.number]) in rows


# -- what anyone else sees: nothing different -----------------------------------------------------


def _normal(html: str, visit: Visit) -> str:
    """A page without what differs between any two requests or visits (tokens, numbers)."""
    html = html.replace(visit.number, "NUMBER")
    html = re.sub(r'value="[0-9a-f]{32}"', 'value="TOKEN"', html)
    html = re.sub(r"/printing/sign/[^/\"]+/", "/printing/sign/SIGNED/", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", html)


def _audit_rows(client, visit):
    """The audit screen's rows about a visit, as the viewer reads them (numbers aside)."""
    html = client.get(reverse("counter:audit_log")).content.decode()
    rows = re.findall(r"<tr data-entry=.*?</tr>", html, flags=re.S)
    mine = [r for r in rows if f"来庁ID {visit.id} " in r]
    return [re.sub(r"\d+", "N", r) for r in mine]


def _as_a_clerk_would(clerk, supervisor, where: dict):
    """Type the address field by field, then open the page, as the clerk and their supervisor."""
    visit = _tennyu(clerk)
    services.add_newcomer(
        visit, by=clerk,
        data={"name": "加害　一郎", "name_kana": "カガイ　イチロウ", "birth_date": date(1975, 3, 3),
              "sex": "1", "relation": "世帯主"},
    )  # fmt: skip
    c = _as(clerk)
    responses = []
    for name, value in where.items():
        r = _save(c, visit, **{name: value}, seen="")
        responses.append((r.status_code, _normal(r.content.decode(), visit)))
    pages = [
        _normal(c.get(reverse(url, args=[visit.number])).content.decode(), visit)
        for url in ("counter:visit", "counter:accept_confirm")
    ]
    home = c.get(reverse("counter:home")).content.decode()
    home = _normal(home.split('id="recent-visits"')[0], visit)
    sup = _as(supervisor)
    audit = _audit_rows(sup, visit)
    csv_text = sup.get(reverse("counter:audit_log_csv")).getvalue().decode()
    csv_rows = [
        re.sub(r"\d+", "N", line) for line in csv_text.splitlines() if f",{visit.id}," in line
    ]
    group = sup.get(reverse("counter:audit_log"), {"action": "address"}).content.decode()
    return {
        "responses": responses,
        "pages": pages,
        "home": home,
        "audit": audit,
        "csv": csv_rows,
        "address_group": group.count("<tr data-entry="),
    }


def test_a_clerk_and_a_supervisor_see_the_same_with_or_without_the_protected_household(
    clerk, supervisor
):
    typed = {"town": "北4条東", "banchi": "3丁目12番地", "katagaki": "コーポ北見201"}
    hh = _living(protected=True, **KORPO)
    wife = hh.residents.get(support_measure=True)
    there = _as_a_clerk_would(clerk, supervisor, typed)
    assert _approaches().count() == 1  # it was recorded…

    # …and the same steps where no household lives at all.
    hh.banchi = "99-99"
    hh.save()
    elsewhere = _as_a_clerk_would(clerk, supervisor, typed)
    assert _approaches().count() == 1

    assert there["responses"] == elsewhere["responses"]
    assert all(status == 200 for status, _body in there["responses"])
    assert there["pages"] == elsewhere["pages"]
    assert there["home"] == elsewhere["home"]
    assert there["audit"] and there["audit"] == elsewhere["audit"]
    assert there["csv"] and there["csv"] == elsewhere["csv"]
    assert there["address_group"] == elsewhere["address_group"] == 0
    for page in there["pages"]:
        assert "approach" not in page and SHELTER_NAME not in page
    # Nor does the resident's number find the entry for the supervisor; it does for the admin.
    sup = _as(supervisor)
    html = sup.get(reverse("counter:audit_log"), {"resident": wife.person_no}).content.decode()
    assert "<tr data-entry=" not in html
    assert (
        "支援措置の世帯の住まいへの異動"
        not in html.split('id="audit-filter"')[1].split("</form>")[0]
    )
    r = sup.get(reverse("counter:audit_log"), {"action": APPROACHED})
    assert "<tr data-entry=" not in r.content.decode()  # not a choice of theirs


# -- the resident's pre-entry never asks ----------------------------------------------------------


def test_the_residents_pre_entry_pages_never_check(client, monkeypatch):
    _living(protected=True, **KORPO)

    def asked(*args, **kwargs):
        raise AssertionError("the pre-entry asked about protected households")

    monkeypatch.setattr("residents.occupancy.protected_households_at", asked)
    monkeypatch.setattr("counter.approach.approached", asked)
    r = client.post("/preentry/", {"easy": "0"})
    pre = PreEntry.objects.latest("pk")
    r = client.post(
        r["Location"],
        {
            "event": "tennyu",
            "event_date": "2026-04-10",
            "new_zip": "090-0024",
            "new_town": KORPO["town"],
            "new_banchi": KORPO["banchi"],
            "new_katagaki": KORPO["katagaki"],
            "old_zip": "060-0001",
            "old_pref": "北海道",
            "old_city": "札幌市中央区",
            "old_town": "北1条西",
            "old_banchi": "2-1",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/people/")
    assert client.get(r["Location"]).status_code == 200
    pre.refresh_from_db()
    assert pre.new_address["banchi"] == "3-12"
    assert not _approaches().exists()
