"""What the clerk does for the family of four of the public scenario, shared by the browser
tests of the plain path and the card path: the counting page, the IME, the addresses, the
interview answered from the scenario's facts, the print and 受付完了.

Counting: a click, a choice in a select and a field typed are one action each. Ending a
typed field with Tab or Enter is part of typing it (Enter in the last field submits the row,
as Tab moves on); a reading or a town the screen fills in is not an action."""

from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from playwright.sync_api import expect

SCENARIO = Path(settings.BASE_DIR).parent / "shared" / "scenarios" / "tennyu-family-of-four.yaml"


def scenario() -> dict:
    return yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))


def hiragana(s: str) -> str:
    return s.translate({cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)})


def iso(d) -> str:
    return d.isoformat() if isinstance(d, date) else str(d)


def value(v) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


class CountingPage:
    """Wraps the page so the test counts what a clerk does by hand."""

    def __init__(self, page):
        self.page, self.clicks, self.typed = page, 0, 0
        self._cdp = None

    @property
    def actions(self) -> int:
        return self.clicks + self.typed

    def click(self, selector):
        self.clicks += 1
        self.page.click(selector)

    def fill(self, selector, text, then=None):
        """One typed field, ended with "Tab" or "Enter" when `then` says so."""
        self.typed += 1
        self.page.fill(selector, text)
        if then:
            self.page.press(selector, then)

    def select(self, selector, v):
        self.clicks += 1
        self.page.select_option(selector, v)

    def ime(self, selector, reading, text):
        """One typed field through the Japanese IME: the reading composed, then converted.
        Chromium gets the same composition events as from a real IME (DevTools protocol)."""
        self.typed += 1
        if self._cdp is None:
            self._cdp = self.page.context.new_cdp_session(self.page)
        self.page.fill(selector, "")
        self.page.focus(selector)
        n = len(reading)
        self._cdp.send(
            "Input.imeSetComposition", {"text": reading, "selectionStart": n, "selectionEnd": n}
        )
        self._cdp.send("Input.insertText", {"text": text})


def enter_person(c, p, first: bool):
    """The newcomer row for one scenario person, with what the screen already holds kept."""
    page = c.page
    surname, given = p["name"].split("\u3000")
    kana_s, kana_g = p["name_kana"].split("\u3000")
    if first:
        c.ime("#id_surname", hiragana(kana_s), surname)
    else:  # the family's surname and its reading are carried from the 世帯主
        expect(page.locator("#id_surname_kana")).to_have_value(kana_s)
    if page.input_value("#id_given_name") == "":
        c.ime("#id_given_name", hiragana(kana_g), given)
    if page.input_value("#id_given_kana") != kana_g:
        c.fill("#id_given_kana", kana_g)
    expect(page.locator("#id_surname_kana")).to_have_value(kana_s)
    expect(page.locator("#id_given_kana")).to_have_value(kana_g)
    if page.input_value("#id_sex") != str(p["sex"]):
        c.select("#id_sex", str(p["sex"]))
    if page.input_value("#id_relation") != p["relation"]:
        c.select("#id_relation", p["relation"])
    if page.input_value("#id_birth_date") == "":
        c.fill("#id_birth_date", iso(p["birth_date"]), then="Enter")
    else:  # read from the card: Enter in the last field the clerk typed adds the person
        c.page.press("#id_given_kana", "Enter")


def enter_addresses(c, sc, old=True):
    page = c.page
    addr = sc["household"]["address"]
    new = "fieldset[data-address=new_address]"
    c.fill(f"{new} input[name=zip]", addr["zip"], then="Tab")
    expect(page.locator(f"{new} input[name=town]")).to_have_value(addr["town"])
    # 番地 and 方書 in one field, as read out; the screen moves the 方書 to its own field.
    c.fill(f"{new} input[name=banchi]", f"{addr['banchi']} {addr['katagaki']}", then="Tab")
    expect(page.locator(f"{new} input[name=banchi]")).to_have_value(addr["banchi"])
    expect(page.locator(f"{new} input[name=katagaki]")).to_have_value(addr["katagaki"])
    page.wait_for_selector("#new_address-status .saved")
    if old:
        o = sc["household"]["old_address"]
        oldf = "fieldset[data-address=old_address]"
        c.fill(f"{oldf} input[name=zip]", o["zip"], then="Tab")
        # Another city's 町字 in Japan Post's spelling (北一条西 for the scenario's 北1条西).
        expect(page.locator(f"{oldf} input[name=city]")).to_have_value(o["city"])
        expect(page.locator(f"{oldf} input[name=town]")).not_to_have_value("")
        c.fill(f"{oldf} input[name=banchi]", o["banchi"], then="Tab")
        page.wait_for_selector("#old_address-status .saved")
    page.wait_for_load_state("networkidle")


# The interview's questions; not the 届書の記載事項 (#form-items: 本籍…) under them, which change
# no procedure and print blank when the resident does not know them.
QUESTION_GROUPS = "#live section[aria-labelledby=interview-h] > .qgroup"


def answer_interview(c, sc, keys) -> int:
    """Answer what the navigator asks from the scenario's facts, with the fewest clicks the
    screen offers: one answer for all when everyone's is the same, the yes of a checklist
    question for the one it applies to, then 「該当なし」 once for the checklist's rest."""
    page = c.page
    clicks = 0

    def press(selector):
        nonlocal clicks
        clicks += 1
        before = page.locator("#remaining").inner_text()
        c.click(selector)
        # expect() polls from Playwright's world (the page's CSP forbids eval()).
        expect(page.locator("#remaining")).not_to_have_text(before)

    while True:
        assert clicks < 60, "the interview does not converge"
        todo = None
        for group in page.locator(QUESTION_GROUPS).all():
            fact = group.get_attribute("data-fact")
            rows = [
                q.get_attribute("data-person") for q in group.locator(".q:not(.all-same)").all()
            ]
            values = {p: value((keys[p] if p else sc["household"]).get(fact, False)) for p in rows}
            checklist = page.locator(f"#none-apply li[data-fact={fact}]").count() > 0
            if checklist and set(values.values()) == {"false"}:
                continue  # left to 「該当なし」
            todo = (group, fact, rows, values)
            break
        if todo is None:
            break
        group, fact, rows, values = todo
        same = set(values.values())
        if len(same) == 1 and group.locator(".all-no").count() and same == {"false"}:
            press(f"#live .qgroup[data-fact={fact}] .all-no")
            continue
        if len(same) == 1 and group.locator(".all-same").count():
            v = same.pop()
            if v == "false":
                v = "-"
            press(f"#live .qgroup[data-fact={fact}] .all-same button[data-value='{v}']")
            continue
        # A yes first (the rest may then follow from it, or go to 「該当なし」).
        person = next((p for p in rows if values[p] != "false"), rows[0])
        v = values[person]
        buttons = f"#live .q[data-fact={fact}][data-person='{person}'] button"
        if v == "false" and not page.locator(f"{buttons}[data-value=false]").count():
            v = "-"  # a set fact left out of the scenario: none of its choices
        press(f"{buttons}[data-value='{v}']")
    if page.locator("#none-apply").count():
        press("#none-apply button[type=submit]")
    return clicks


def expected_procedures(sc, keys) -> set:
    by_name = {p["id"]: k for k, p in keys.items()}
    return {
        e if "@" not in e else e.split("@")[0] + "@" + by_name[e.split("@")[1]]
        for e in sc["expect"]["procedures"]
    }


def shown_procedures(page) -> set:
    return {
        r.get_attribute("data-procedure")
        for r in page.locator("#procedures tr[data-procedure]").all()
    }
