"""The kiosk for everyone: やさしい日本語 with furigana on every kanji, five other languages
from the .po files, tickets only in office hours (the catalog's settings), and a ticket for
80 mm paper with the estimated wait and a QR code to the public address."""

import re
from datetime import datetime

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from queues import furigana, hours, services
from queues.models import Ticket

KIOSK = "/queue/kiosk/honcho/"
# A text each language must show, from its .po file (the Japanese is the msgid).
EXPECTED = {
    "en": ["Welcome to", "Moving", "A baby was born", "Not sure? Press here"],
    "zh-hans": ["欢迎来到", "搬家", "婴儿出生"],
    "ko": ["오신 것을 환영합니다", "이사", "아기가 태어났어요"],
    "vi": ["Chào mừng đến", "Chuyển nhà", "Em bé mới sinh"],
    "pt-br": ["Bem-vindo(a) a", "Mudança", "Nasceu um bebê"],
}


def main(html: str) -> str:
    return html[html.index('<main id="kiosk-main">') : html.index("</main>")]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_the_kiosk_speaks_the_chosen_language(client, honcho, lang):
    page = client.get(KIOSK, {"lang": lang}).text
    assert f'<html lang="{lang}">' in page
    for text in EXPECTED[lang]:
        assert text in main(page), text
    assert "ようこそ" not in main(page)  # nothing left in Japanese but the office's name


@pytest.mark.django_db
def test_every_kanji_on_the_japanese_kiosk_has_furigana(client, honcho):
    page = main(client.get(KIOSK).text)
    assert "<ruby>引越し<rt>ひっこし</rt></ruby>" in page
    outside = re.sub(r"<ruby>.*?</ruby>", "", page, flags=re.S)
    assert not furigana.KANJI.findall(outside), furigana.KANJI.findall(outside)


@pytest.mark.django_db
def test_the_language_switcher_offers_every_language(client, honcho):
    page = client.get(KIOSK).text
    for code in ("ja", "en", "zh-hans", "ko", "vi", "pt-br"):
        assert f'href="?lang={code}"' in page


@pytest.mark.django_db
def test_the_ticket_follows_the_kiosks_language(client, honcho):
    r = client.post(KIOSK, {"purpose": "birth", "token": "t-en", "lang": "en"})
    printed = client.get(r["Location"]).text
    assert "people ahead of you" in printed and "Estimated wait: about" in printed
    assert 'href="/queue/kiosk/honcho/?lang=en"' in printed


def test_the_default_pack_sets_office_hours(office_hours_of_the_pack):
    assert office_hours_of_the_pack == hours.parse("08:45-17:30", "月火水木金")


def test_office_hours_are_days_and_times():
    h = hours.parse("08:45-17:30", "月火水木金")
    tz = timezone.get_current_timezone()
    thursday = datetime(2026, 12, 3, tzinfo=tz)
    assert h.open_at(thursday.replace(hour=8, minute=45))
    assert not h.open_at(thursday.replace(hour=8, minute=44))
    assert not h.open_at(thursday.replace(hour=17, minute=30))
    assert not h.open_at(thursday.replace(day=5, hour=10))  # Saturday
    assert hours.parse("00:00-24:00", hours.DAYS).open_at(thursday.replace(hour=23, minute=59))


def test_national_holidays_and_the_new_year_are_closed_unless_the_city_opens():
    h = hours.parse("08:45-17:30", "月火水木金")
    tz = timezone.get_current_timezone()
    assert not h.open_at(datetime(2026, 11, 3, 10, tzinfo=tz))  # 文化の日, a Tuesday
    assert not h.open_at(datetime(2026, 12, 29, 10, tzinfo=tz))  # 年末年始, a Tuesday
    assert h.open_at(datetime(2026, 12, 28, 10, tzinfo=tz))
    opens = hours.parse("08:45-17:30", "月火水木金", holidays_closed=False)
    assert opens.open_at(datetime(2026, 11, 3, 10, tzinfo=tz))


def test_a_city_that_opens_on_holidays_says_so_in_its_pack(office_hours_of_the_pack, monkeypatch):
    from catalog.pack import default_pack

    assert office_hours_of_the_pack.holidays_closed
    monkeypatch.setitem(default_pack().settings, "office_holidays", "open")
    assert not hours.office_hours().holidays_closed


@pytest.mark.django_db
def test_outside_office_hours_the_kiosk_gives_no_ticket(client, honcho, monkeypatch):
    monkeypatch.setattr(hours, "office_hours", lambda: hours.parse("00:00-00:01", "月"))
    page = client.get(KIOSK).text
    assert 'id="closed"' in page and 'name="purpose"' not in page
    assert "<rt>うけつけ</rt>" in page and "00:00-00:01" in page
    response = client.post(KIOSK, {"purpose": "moving", "token": "late"})
    assert response.status_code == 200 and not Ticket.objects.exists()
    english = client.get(KIOSK, {"lang": "en"}).text
    assert "Tickets are not available at this time." in english and "Mon" in english
    # Holidays too, said in the chosen language (in Japanese with its furigana).
    assert (
        "<ruby>祝日<rt>しゅくじつ</rt></ruby>と <ruby>年末年始<rt>ねんまつねんし</rt></ruby>は"
        in page
    )
    assert "Closed on national holidays and over the New Year." in english


@pytest.mark.django_db
def test_the_ticket_shows_the_estimated_wait_in_minutes(client, honcho, counters):
    for _ in range(4):
        services.issue_ticket(office=honcho, purpose_code="moving")
    mine = services.issue_ticket(office=honcho, purpose_code="moving")
    printed = client.get(reverse("queues:ticket_print", args=[mine.token])).text
    # 4 ahead × 10 minutes (no history yet) ÷ 2 counters of 市民課 = 20 minutes.
    assert re.search(r'id="estimate">[^\n]*やく</rt></ruby> 20 <ruby>分', printed, re.S)


@pytest.mark.django_db
def test_the_qr_code_leads_to_the_public_address_not_the_kiosks(client, honcho, settings):
    settings.PUBLIC_URL = "https://madoguchi.city.example.jp"
    settings.ALLOWED_HOSTS = ["10.0.0.5"]  # the kiosk on the office network
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    printed = client.get(reverse("queues:ticket_print", args=[t.token]), HTTP_HOST="10.0.0.5").text
    wanted = f"https://madoguchi.city.example.jp/queue/t/{t.token}/"
    assert f'data-wait="{wanted}"' in printed and "10.0.0.5" not in printed
    assert segno.make(wanted, error="m").svg_inline(scale=4, border=2) in printed


def test_the_receipt_css_prints_on_80_mm_paper():
    css = open("queues/static/queues/queue.css", encoding="utf-8").read()
    page = re.search(r"@page\s*{([^}]*)}", css).group(1)
    size = re.search(r"size:\s*([^;]+);", page).group(1).split()
    # A valid size: one or two lengths (CSS Paged Media); "80mm auto" is not one.
    assert size[0] == "80mm" and all(re.fullmatch(r"\d+(\.\d+)?mm", v) for v in size)
