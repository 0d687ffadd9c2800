"""The data dictionary writes each value as forms want it: 和暦 or 西暦, full-width, kana, ticks."""

from datetime import date

from printing import dictionary as dd
from printing.dictionary import Ctx, Format

from .fixtures import family_of_four, foreign_couple


def _ctx(data, person_key):
    proc = next(p for p in data.procedures if p.person == person_key)
    return Ctx(data, proc)


def test_a_japanese_residents_birth_date_is_in_wareki_with_full_width_digits():
    data = family_of_four()
    assert dd.render("subject.birth_date", _ctx(data, "grandma")) == "昭和２６年３月３日"


def test_the_first_year_of_an_era_is_gannen_unless_the_municipality_says_otherwise():
    data = family_of_four(issued_on=date(2019, 5, 1))
    assert dd.render("visit.issued_on", Ctx(data)) == "令和元年５月１日"
    data.gannen = False
    assert dd.render("visit.issued_on", Ctx(data)) == "令和１年５月１日"


def test_a_foreign_residents_dates_are_in_seireki_but_the_form_may_ask_for_wareki():
    data = foreign_couple()
    ctx = _ctx(data, "a")
    assert dd.render("subject.birth_date", ctx) == "１９９３年４月４日"
    assert dd.render("subject.birth_date", ctx, Format(date="wareki")) == "平成５年４月４日"
    assert dd.render("subject.birth_date", ctx, Format(digits="half")) == "1993年4月4日"


def test_kana_is_katakana_or_hiragana_as_the_box_asks():
    ctx = _ctx(family_of_four(), "father")
    assert dd.render("subject.kana", ctx) == "カサイ\u3000タツジ"
    assert dd.render("subject.kana", ctx, Format(kana="hiragana")) == "かさい\u3000たつじ"


def test_address_parts_and_numbers_print_with_full_width_digits():
    ctx = _ctx(family_of_four(), "grandma")
    assert dd.render("address.banchi", ctx) == "３－１２"
    assert dd.render("address.zip", ctx) == "〒０９０－００２４"
    assert dd.render("subject.koki_no", ctx) == "１２３４５６７８"
    assert dd.render("old_address.city", ctx) == "札幌市中央区"


def test_an_interview_answer_ticks_its_choice_and_an_unknown_one_ticks_nothing():
    data = family_of_four()
    ctx = _ctx(data, "grandma")
    assert dd.ticked("subject.health_insurance", ctx, "koki") is True
    assert dd.ticked("subject.health_insurance", ctx, "kokuho") is False
    assert dd.ticked("subject.public_servant", ctx) is None  # not asked: the box stays empty
    assert dd.ticked("household.wants_daycare", ctx, "true") is True


def test_every_interview_fact_of_the_pack_is_in_the_dictionary_for_each_person_role():
    from catalog.pack import default_pack

    for fact in default_pack().facts.values():
        if fact.scope == "person":
            assert {f"applicant.{fact.id}", f"subject.{fact.id}", f"person.{fact.id}"} <= set(
                dd.fields()
            ) or fact.id in ("birth_date", "sex", "nationality", "relation"), fact.id
        else:
            assert f"household.{fact.id}" in dd.fields(), fact.id
