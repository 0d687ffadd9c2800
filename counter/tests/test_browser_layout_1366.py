"""At a counter PC's 1366×900: the procedure table at full width without horizontal
overflow and with each date on one line; 最近の来庁 in names, 和暦 and event labels; the
異体字 picker puts the chosen IVS variant into the name field (CSP: script from a file)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counter import services

FAMILY = [
    ("葛\U000e0100西\u3000辰治", "カサイ\u3000タツジ", 38, "1", "世帯主"),
    ("葛\U000e0100西\u3000美咲", "カサイ\u3000ミサキ", 35, "2", "妻"),
    ("葛\U000e0100西\u3000陽向", "カサイ\u3000ヒナタ", 7, "1", "子"),
    ("葛\U000e0100西\u3000湊", "カサイ\u3000ミナト", 4, "1", "子"),
]


@pytest.fixture
def tennyu_family(clerk):
    today = timezone.localdate()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=today - timedelta(days=3)
    )
    for name, kana, age, sex, relation in FAMILY:
        services.add_newcomer(
            visit,
            by=clerk,
            data={
                "name": name,
                "name_kana": kana,
                "birth_date": today.replace(year=today.year - age) - timedelta(days=40),
                "sex": sex,
                "relation": relation,
            },
        )
    return visit


def _lines(page, selector):
    """How many lines each matching element's text takes (one client rect per line)."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return [el.textContent.trim(), tops.size];
        })""",
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_procedure_table_fits_1366_at_full_width_with_dates_on_one_line(
    logged_in_page, tennyu_family
):
    page = logged_in_page
    page.goto(f"/visits/{tennyu_family.number}/")
    table = page.locator("#procedures")
    expect(table.locator("tbody tr").first).to_be_visible()
    assert page.viewport_size == {"width": 1366, "height": 900}

    box = table.bounding_box()
    main = page.locator("main").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    # Full width: the table spans (nearly) all of the page's content column.
    assert box["width"] >= 0.9 * main["width"], (box, main)
    overflow = page.evaluate(
        """() => {
            const t = document.querySelector('#procedures');
            return [t.scrollWidth, t.parentElement.clientWidth,
                    document.documentElement.scrollWidth, window.innerWidth];
        }"""
    )
    assert overflow[0] <= overflow[1] and overflow[2] <= overflow[3], overflow

    dates = [
        (text, n)
        for text, n in _lines(page, "#procedures tbody td:nth-child(4)")
        if text.startswith("令和")
    ]
    assert dates, "no procedure with a deadline was listed"
    assert all(n == 1 for _text, n in dates), dates


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recent_visits_show_names_wareki_and_event_labels(logged_in_page, tennyu_family):
    page = logged_in_page
    page.goto("/")
    recent = page.locator("#recent-visits")
    row = recent.locator("tbody tr").first
    expect(row).to_contain_text(tennyu_family.number)
    expect(row).to_contain_text("葛\U000e0100西\u3000辰治")
    expect(row).to_contain_text("転入")
    expect(row).to_contain_text("令和")
    text = recent.inner_text()
    assert "tennyu" not in text and tennyu_family.event_date.isoformat() not in text
    assert all(n == 1 for _t, n in _lines(page, "#recent-visits tbody td:nth-child(4)"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_variant_picker_inserts_an_ivs_variant_at_the_caret(logged_in_page, tennyu_family):
    page = logged_in_page
    page.goto(f"/visits/{tennyu_family.number}/")
    page.fill("#id_surname", "西")
    page.focus("#id_surname")
    page.keyboard.press("Home")
    page.click("#variant-picker summary")
    page.fill("#variant-q", "葛")
    variant = page.locator("#variant-list button[data-insert='葛\U000e0100']")
    expect(variant).to_be_visible()
    variant.click()
    assert page.input_value("#id_surname") == "葛\U000e0100西"
