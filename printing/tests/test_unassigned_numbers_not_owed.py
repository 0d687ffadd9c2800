"""The slip's 「ご記入いただく項目」 never counts a number the office has not assigned yet."""

from printing import dictionary as dd
from printing.pdf import render_packet_with_fills

from .fixtures import HOKEN, family_of_four, foreign_couple, proc


def test_a_kokuho_number_not_yet_assigned_is_not_a_box_to_write():
    data = family_of_four()
    data.procedures.append(proc("kokuho_kanyu", "father", HOKEN, "form", "国民健康保険 資格取得届"))
    _pdf, fills = render_packet_with_fills(data)
    kokuho = next(f for f in fills if f.form == "kokuho_ido")
    # What is owed is only the previous insurer (名称・記号番号・喪失日), which the interview does
    # not ask; the 記号番号 row of the 届出人 is empty but not counted.
    assert kokuho.to_write == 3
    data.person("father").numbers["kokuho"] = "123"
    _pdf, fills = render_packet_with_fills(data)
    known = next(f for f in fills if f.form == "kokuho_ido")
    assert (known.to_write, known.prefilled) == (3, kokuho.prefilled + 1)


def test_an_unknown_basic_pension_number_is_not_a_box_to_write():
    data = foreign_couple()  # newly arrived: no 基礎年金番号 on the register
    for p in data.people:
        p.facts["pension_category"] = "none"
    data.procedures.append(proc("nenkin_shikaku", "a", HOKEN, "form", "国民年金 資格取得届"))
    _pdf, fills = render_packet_with_fills(data)
    nenkin = next(f for f in fills if f.form == "nenkin_shikaku")
    assert nenkin.to_write == 0


def test_a_known_number_counts_as_filled_and_an_unknown_fact_still_counts_as_owed():
    data = family_of_four()
    ctx = dd.Ctx(data, None, data.person("grandma"))
    assert dd.counted("person.kiso_nenkin_no", dd.render("person.kiso_nenkin_no", ctx))
    assert not dd.counted("person.kokuho_no", dd.render("person.kokuho_no", ctx))
    assert dd.counted("person.name", "")  # an unknown name is still the resident's to write
