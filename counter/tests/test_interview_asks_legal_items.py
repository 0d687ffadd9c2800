"""The interview asks what the 住民異動届 records and no rule reads (本籍・筆頭者, 住民票コード,
法30条の45区分, 転出証明書 or 特例転入) only where it can apply, apart from the questions
left; the counter stores the answer and the packet prints it."""

import subprocess

import pytest
from django.urls import reverse

from counter.models import Visit


def _visit(client, event, people):
    client.post(reverse("counter:visit_new"), {"events": event, "event_date": "R8.4.10",
                                               "token": f"t-{event}"})  # fmt: skip
    visit = Visit.objects.get()
    for i, p in enumerate(people):
        data = dict(surname="葛西", surname_kana="カサイ", given_kana="テスト", nationality="JP",
                    sex="1", token=f"f{i}")  # fmt: skip
        data.update(p)
        r = client.post(reverse("counter:person_add", args=[visit.number]), data)
        assert r.status_code in (200, 302)
    return visit


def _page(client, visit):
    return client.get(reverse("counter:visit", args=[visit.number])).content.decode()


def _items(html: str) -> str:
    start = html.index('id="form-items"')
    return html[start:]


FAMILY = [
    dict(given_name="辰治", birth_date="1988-05-12", relation="世帯主"),
    dict(given_name="美咲", birth_date="1990-08-03", sex="2", relation="妻"),
]


@pytest.mark.django_db
def test_a_tennyu_asks_honseki_hittosha_code_and_the_tennyu_document_apart(clerk_client):
    visit = _visit(clerk_client, "tennyu", FAMILY)
    html = _page(clerk_client, visit)
    items = _items(html)
    for fact in ("honseki", "hittosha", "juminhyo_code", "tennyu_document"):
        assert f'data-fact="{fact}"' in items, fact
    assert 'data-fact="section_30_45"' not in html  # nobody is a foreign resident
    assert items.count('class="q" data-fact="honseki"') == 2  # each mover
    # They settle no procedure: the count of questions left is the rules' alone.
    remaining = html[html.index('id="remaining"') :][:80]
    assert "残り" in remaining and html.count('data-fact="honseki"') == 3  # group + two rows


@pytest.mark.django_db
def test_a_foreign_resident_is_asked_the_section_30_45_not_the_honseki(clerk_client):
    visit = _visit(clerk_client, "tennyu", [dict(surname="SILVA", surname_kana="", given_name="ANA",
                   given_kana="", birth_date="1990-01-01", relation="世帯主", sex="2",
                   nationality="ブラジル")])  # fmt: skip
    items = _items(_page(clerk_client, visit))
    assert 'data-fact="section_30_45"' in items
    assert 'data-fact="honseki"' not in items


def test_a_tenkyo_asks_none_of_the_tennyu_items():
    from datetime import date

    from catalog.navigator import Case, Person, form_questions
    from catalog.pack import default_pack

    people = [
        Person(
            id="p1",
            facts={
                "birth_date": date(1988, 5, 12),
                "sex": "1",
                "moving": True,
                "relation": "世帯主",
                "nationality": "JP",
                "applicant": True,
            },
        )
    ]
    asked = form_questions(default_pack(), Case(["tenkyo"], date(2026, 4, 10), {}, people))
    assert asked == []  # 本籍 and 住民票コード are the register's for someone already here
    asked = form_questions(default_pack(), Case(["tennyu"], date(2026, 4, 10), {}, people))
    assert {q.fact for q in asked} == {"honseki", "hittosha", "juminhyo_code", "tennyu_document"}


@pytest.mark.django_db
def test_the_answers_are_stored_and_printed_on_the_idou_todoke(clerk_client):
    visit = _visit(clerk_client, "tennyu", FAMILY)
    url = reverse("counter:answer", args=[visit.number])
    for fact, person, value in (("honseki", "p1", "北海道北見市北進町１丁目１番地"),
                                ("hittosha", "p1", "葛西　辰治"),
                                ("tennyu_document", "", "tokurei")):  # fmt: skip
        r = clerk_client.post(url, {"fact": fact, "person": person, "value": value,
                                    "unanswered": "1"})  # fmt: skip
        assert r.status_code == 200
    visit.refresh_from_db()
    assert visit.household_facts["tennyu_document"] == "tokurei"
    assert visit.people.get(key="p1").facts["honseki"] == "北海道北見市北進町1丁目1番地"  # NFKC
    html = _page(clerk_client, visit)
    assert 'data-fact="tennyu_document"' not in html
    assert html.count('class="q" data-fact="honseki"') == 1  # the wife's is still open
    pdf = clerk_client.get(reverse("counter:packet", args=[visit.number])).content
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    idou = next(t for t in text.split("\f") if "届出年月日" in t)
    assert "北海道北見市北進町" in idou and "特例転入" in idou
