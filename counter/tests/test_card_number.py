"""The 個人番号 from the card (issue 12, "the number only where the procedure needs it"): read
in the same card session, with the one PIN, only when the visit's events can lead to a form
that prints it; kept encrypted on the newcomer; shown masked; printed in the 12 boxes of that
person's own forms only; audited as read and as printed, never as digits."""

import json
import re
import unicodedata
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import AuditEntry
from counter import card, services
from counter.models import Packet, Visit
from counter.tests.factories import household, resident
from lib import cardsim
from printing.tests.raster import page_texts
from residents import mynumber

NUMBER = "123456789018"  # the demo card's (lib.cardsim.demo_card)
SPACED = "1234 5678 9018"


@pytest.fixture
def reader(settings):
    settings.CARD_READER = "simulated:number"
    r = card.simulated_reader("simulated:number")
    r.present = True
    r.insert(cardsim.demo_card())
    return r


def _visit(client, events="tennyu", token="t-number", date="R8.4.10", household=None):
    url = reverse("counter:visit_start", args=[household.id]) if household else None
    client.post(
        url or reverse("counter:visit_new"),
        {"events": events, "event_date": date, "token": token},
    )
    return Visit.objects.get(start_token=token)


@pytest.fixture
def tennyu(clerk_client):
    return _visit(clerk_client)


def _read(client, visit, pin="1234"):
    return client.post(
        reverse("counter:card_read", args=[visit.number]), {"pin": pin}, HTTP_HX_REQUEST="true"
    )


def _fill(html, scope="#newcomer"):
    m = re.search(r"data-fill=\"([^\"]*)\" data-fill-scope=['\"]" + re.escape(scope), html)
    return json.loads(unescape(m[1])) if m else None


def _add(client, visit, person, token, **changes):
    """The row as the card filled it, with the reading typed, sent with 追加."""
    person = dict(person, surname_kana="カサイ", given_kana="タツジ", relation="世帯主")
    person.update(token=token, **changes)
    client.post(reverse("counter:person_add", args=[visit.number]), person)
    return visit.people.order_by("-id").first()


def _no_digits(text: str) -> bool:
    plain = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    return NUMBER not in plain


def _audit_text() -> str:
    return json.dumps([e.detail for e in AuditEntry.objects.all()], ensure_ascii=False)


# -- read and kept --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tennyu_read_keeps_the_number_encrypted_on_the_person(clerk_client, tennyu, reader):
    r = _read(clerk_client, tennyu)
    html = r.content.decode()
    assert reader.card.number_read() and reader.card.pins_sent() == 1
    assert "カードから読んだ個人番号を印字します" in html and _no_digits(html)
    vp = _add(clerk_client, tennyu, _fill(html), "t-add")
    assert vp.card_read and vp.mynumber_enc
    with connection.cursor() as c:
        c.execute("SELECT mynumber_enc FROM counter_visitperson WHERE id = %s", [vp.id])
        (stored,) = c.fetchone()
    assert NUMBER not in stored and mynumber.decrypt(stored) == NUMBER
    read = AuditEntry.objects.get(action="card.read")
    assert read.detail["outcome"] == "ok" and read.detail["number"] is True
    assert AuditEntry.objects.filter(action="card.number_kept", visit_id=tennyu.id).exists()
    assert _no_digits(_audit_text())


@pytest.mark.django_db
def test_the_page_shows_the_number_masked_and_never_its_digits(clerk_client, tennyu, reader):
    vp = _add(clerk_client, tennyu, _fill(_read(clerk_client, tennyu).content.decode()), "t-add")
    page = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    row = page[page.index(f'data-person="{vp.key}"') :]
    assert "個人番号：読取済（＊＊＊＊ ＊＊＊＊ 9018）" in row[: row.index("</tr>")]
    assert _no_digits(page)
    # Nor on the screens and answers the visit is seen through afterwards.
    for name in ("counter:visit", "counter:person_edit"):
        args = [tennyu.number] + ([vp.key] if name == "counter:person_edit" else [])
        assert _no_digits(clerk_client.get(reverse(name, args=args)).content.decode())


@pytest.mark.django_db
def test_a_row_typed_over_for_someone_else_does_not_get_the_number(clerk_client, tennyu, reader):
    person = _fill(_read(clerk_client, tennyu).content.decode())
    vp = _add(clerk_client, tennyu, person, "t-add", birth_date="H2.8.3", sex="2")
    assert vp.card_read and not vp.mynumber_enc


@pytest.mark.django_db
def test_a_number_signed_for_another_visit_or_forged_is_not_kept(clerk_client, tennyu, reader):
    other = _visit(clerk_client, token="t-other", date="R8.4.11")
    person = _fill(_read(clerk_client, other).content.decode())
    vp = _add(clerk_client, tennyu, person, "t-add")
    assert vp.card_read and not vp.mynumber_enc
    forged = dict(person, card_number=mynumber.encrypt(NUMBER))  # a bare token, unsigned
    vp = _add(clerk_client, tennyu, forged, "t-add-2", relation="妻")
    assert not vp.mynumber_enc


@pytest.mark.django_db
def test_correcting_the_birth_date_drops_the_cards_number(clerk_client, tennyu, reader):
    vp = _add(clerk_client, tennyu, _fill(_read(clerk_client, tennyu).content.decode()), "t-add")
    edit = reverse("counter:person_edit", args=[tennyu.number, vp.key])
    clerk_client.post(
        edit,
        {"surname": "葛西", "given_name": "辰治", "surname_kana": "カサイ", "given_kana": "タツジ",
         "sex": "1", "birth_date": "S63.5.13", "relation": "世帯主", "nationality": "JP"},
    )  # fmt: skip
    vp.refresh_from_db()
    assert vp.birth_date == date(1988, 5, 13) and not vp.mynumber_enc


# -- read only where a form needs it -----------------------------------------------------------


@pytest.mark.django_db
def test_a_visit_whose_events_lead_to_no_such_form_never_reads_the_number(clerk_client, reader):
    assert not card.needs_number(["tenkyo"])  # 転居: no form with a 個人番号 cell
    hh = household(town="北4条東", banchi="3-12")
    resident(hh, "北見　一郎", "キタミ　イチロウ", date(1960, 1, 1), "世帯主")
    visit = _visit(clerk_client, events="tenkyo", token="t-tenkyo", household=hh)
    html = _read(clerk_client, visit).content.decode()
    assert "カードを読みました" in html
    assert reader.card.files_read == {0x0002} and not reader.card.number_read()
    assert _fill(html)["card_number"] == ""
    assert "number" not in AuditEntry.objects.get(action="card.read").detail


@pytest.mark.django_db
def test_a_wrong_pin_spends_one_try_and_reads_nothing(clerk_client, tennyu, reader):
    html = _read(clerk_client, tennyu, "4321").content.decode()
    assert "あと 2 回" in html
    assert reader.card.tries == 2 and reader.card.pins_sent() == 1
    assert reader.card.files_read == set()
    _read(clerk_client, tennyu)
    # The right PIN next: one more VERIFY, the two files read under it.
    assert reader.card.pins_sent() == 2 and reader.card.number_read()


# -- the home screen ---------------------------------------------------------------------------


def _home(client):
    return client.post(reverse("counter:card_home"), {"pin": "1234"}, HTTP_HX_REQUEST="true")


def _start_form(html):
    form = html[html.index('id="card-tennyu"') :]
    values = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    values.update(events="tennyu", event_date="R8.4.10")
    return values


@pytest.mark.django_db
def test_the_home_read_that_starts_a_tennyu_holds_only_the_token(clerk_client, reader):
    html = _home(clerk_client).content.decode()
    assert reader.card.pins_sent() == 1 and reader.card.number_read()
    held = clerk_client.session[card.HELD]
    assert mynumber.decrypt(held["mynumber_enc"]) == NUMBER
    assert _no_digits(json.dumps(held)) and _no_digits(html)
    r = clerk_client.post(reverse("counter:visit_new"), _start_form(html))
    visit = Visit.objects.get()
    page = clerk_client.get(r["Location"]).content.decode()
    assert _no_digits(page)
    vp = _add(clerk_client, visit, _fill(page), "t-home")
    assert mynumber.decrypt(vp.mynumber_enc) == NUMBER
    assert reader.card.pins_sent() == 1  # the card was not read again


@pytest.mark.django_db
def test_a_holder_found_in_the_register_has_no_number_read(clerk_client, reader):
    hh = household(town="北4条東", banchi="3-12")
    resident(hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主")
    html = _home(clerk_client).content.decode()
    assert "住民記録から見つかった方" in html
    assert not reader.card.number_read() and reader.card.files_read == {0x0002}
    assert card.HELD not in clerk_client.session


@pytest.mark.django_db
def test_a_holder_from_this_city_has_no_number_read(clerk_client, reader):
    reader.insert(cardsim.demo_card(address="北海道北見市北四条東３丁目１２番地"))
    _home(clerk_client)
    assert not reader.card.number_read()


# -- printed on that person's forms only ------------------------------------------------------


def _family(client, clerk, visit, reader):
    """The father from his card (his number read); the mother and a child typed."""
    father = _add(client, visit, _fill(_read(client, visit).content.decode()), "t-f")
    typed = {"surname_kana": "カサイ", "nationality": "JP", "from_card": ""}
    client.post(
        reverse("counter:person_add", args=[visit.number]),
        dict(typed, surname="葛西", given_name="美咲", given_kana="ミサキ", sex="2",
             birth_date="H2.8.3", relation="妻", token="t-m"),
    )  # fmt: skip
    client.post(
        reverse("counter:person_add", args=[visit.number]),
        dict(typed, surname="葛西", given_name="陽菜", given_kana="ヒナ", sex="2",
             birth_date="R2.6.1", relation="子", token="t-c"),
    )  # fmt: skip
    father, mother, child = visit.people.order_by("order", "id")
    for fact, value, people in (
        ("health_insurance", "kokuho", [father, mother, child]),
        ("joins_spouse_insurance", False, [father, mother, child]),
        ("main_earner", True, [father]),
        ("main_earner", False, [mother]),
        ("public_servant", False, [father, mother]),
    ):
        services.record_answers(visit, by=clerk, fact=fact, value=value, people=people)
    return father, mother, child


def _form_pages(pdf: bytes) -> dict[str, str]:
    """Each page's text, by the title it carries, digits and spaces folded."""
    out = {}
    for text in page_texts(pdf):
        plain = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
        for title in ("国民健康保険", "児童手当", "子ども医療費", "個人番号カード", "住民異動届"):
            if title in plain[:200]:
                out[title] = out.get(title, "") + plain
    return out


@pytest.mark.django_db
def test_the_packet_prints_the_number_on_his_own_forms_only(clerk_client, clerk, tennyu, reader):
    father, mother, child = _family(clerk_client, clerk, tennyu, reader)
    assert father.mynumber_enc and not mother.mynumber_enc
    r = clerk_client.get(reverse("counter:packet", args=[tennyu.number]))
    assert r["Content-Type"] == "application/pdf"
    pdf = r.content
    pages = _form_pages(pdf)
    # His 国保 row (and the 世帯主 grid: he joins too) and his 児童手当 claim.
    assert NUMBER in pages["国民健康保険"]
    assert NUMBER in pages["児童手当"]
    # Not on his child's 子ども医療費 form, where he is the 保護者, nor anywhere else.
    assert NUMBER not in pages["子ども医療費"]
    for title, text in pages.items():
        if title not in ("国民健康保険", "児童手当"):
            assert NUMBER not in text, title
    # Kept encrypted, as the number is; served as printed.
    packet = Packet.objects.get(visit=tennyu)
    assert packet.sealed and not bytes(packet.pdf).startswith(b"%PDF")
    assert packet.content() == pdf
    printed = AuditEntry.objects.filter(action="visit.printed").last()
    assert set(printed.detail["mynumber_forms"]) == {"kokuho_kanyu", "jidoteate_nintei@p1"}
    assert _no_digits(_audit_text())
    # A reprint is the same stored packet, and its digest is keyed, not a hash of the digits.
    assert clerk_client.get(reverse("counter:packet", args=[tennyu.number])).content == pdf
    assert Packet.objects.filter(visit=tennyu).count() == 1


@pytest.mark.django_db
def test_without_a_number_the_cells_stay_empty_and_the_packet_plain(
    clerk_client, clerk, tennyu, reader
):
    father, _mother, _child = _family(clerk_client, clerk, tennyu, reader)
    father.mynumber_enc = ""
    father.save(update_fields=["mynumber_enc"])
    pdf = clerk_client.get(reverse("counter:packet", args=[tennyu.number])).content
    assert NUMBER not in "".join(_form_pages(pdf).values())
    packet = Packet.objects.get(visit=tennyu)
    assert not packet.sealed and bytes(packet.pdf).startswith(b"%PDF")
    printed = AuditEntry.objects.filter(action="visit.printed")
    assert not any("mynumber_forms" in e.detail for e in printed)


# -- the counter PC's bridge -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bridge_never_brings_a_number_and_the_page_says_so(clerk_client, tennyu, settings):
    settings.CARD_BRIDGE_URL = "http://127.0.0.1:8765"
    settings.CARD_READER = ""
    page = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    assert "カードリーダー連携では個人番号は読み取りません" in page
    posted = {
        "via": "bridge",
        "outcome": "ok",
        "name": "葛西\u3000辰治",
        "address": "北海道札幌市中央区北一条西２丁目１番地",
        "birth_date": "1988-05-12",
        "sex": "1",
        "number": NUMBER,  # not a field of the bridge's answer: never taken
    }
    html = clerk_client.post(reverse("counter:card_read", args=[tennyu.number]), posted)
    html = html.content.decode()
    assert _fill(html)["card_number"] == "" and _no_digits(html)
    vp = _add(clerk_client, tennyu, _fill(html), "t-bridge")
    assert vp.card_read and not vp.mynumber_enc
    assert "number" not in AuditEntry.objects.get(action="card.read").detail


@pytest.mark.django_db
def test_the_departments_and_core_systems_get_no_digits(
    clerk_client, clerk, tennyu, reader, hoken_clerk, client, django_capture_on_commit_callbacks
):
    from backoffice.export import tasks_csv
    from backoffice.models import Task
    from backoffice.services import task_payload

    _family(clerk_client, clerk, tennyu, reader)
    clerk_client.get(reverse("counter:packet", args=[tennyu.number]))
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(tennyu, by=clerk)
    tasks = list(Task.objects.filter(visit=tennyu))
    assert any(t.procedure == "kokuho_kanyu" for t in tasks)
    shown = type("Shown", (), {"hidden": False, "protected": False})()
    payloads = json.dumps([task_payload(t, shown) for t in tasks], ensure_ascii=False)
    assert _no_digits(payloads)
    assert _no_digits(tasks_csv(tasks, protection_of=lambda t: shown))
    board = clerk_client.get(reverse("backoffice:board", args=[tennyu.number]))
    assert board.status_code == 200 and _no_digits(board.content.decode())
    client.force_login(hoken_clerk)
    mine = [t for t in tasks if t.department.code == hoken_clerk.staff.department.code]
    assert mine
    for t in mine:
        r = client.get(reverse("backoffice:task", args=[t.pk]))
        assert r.status_code == 200 and _no_digits(r.content.decode())
