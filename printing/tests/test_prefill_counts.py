"""Per form, how many boxes the counter filled and how many the resident must write."""

from printing.pdf import render_packet_with_fills
from printing.slip import fill_total_line

from . import raster
from .fixtures import family_of_four

# The cells of the ruled forms that the interview does not ask, left to the resident.
OWED = {
    "mynacard_henko": 1,  # 届出人の本人との関係
    "koki_ido": 3,  # 負担区分等証明書, 前の保険者, 届出人の本人との関係
    "kaigo_ido": 3,  # 受給資格証明書, 入所施設, 届出人の本人との関係
    "jidoteate_nintei": 9,  # 配偶者 (氏名・同居別居), 児童の同居別居 ×2, 口座 ×5
    "kodomo_iryo": 9,  # 保険者名・記号番号・被保険者・資格取得日, 口座 ×5
    "inu_henko": 10,  # the dog's particulars and numbers
    "hoiku": 8,  # 勤務先, 第1〜第3希望, 開始日, 兄弟姉妹, 送迎, 保育を必要とする事由
}


def test_every_printed_form_is_counted_and_only_what_is_not_asked_is_left_to_write():
    data = family_of_four()
    data.people[4].has_mynumber_card = False  # the one fact the demo leaves unanswered
    _pdf, fills = render_packet_with_fills(data)
    assert [f.form for f in fills][:2] == ["jumin_ido", "mynacard_henko"]
    assert len(fills) == 12  # the 住民異動届 and eleven forms
    assert [(f.form, f.to_write) for f in fills if f.to_write != OWED.get(f.form, 0)] == []
    assert all(f.signatures == 1 for f in fills)
    assert all(f.prefilled >= 8 for f in fills)


def test_an_unanswered_fact_counts_as_a_box_the_resident_must_write():
    data = family_of_four()
    data.people[0].facts.pop("public_servant")
    _pdf, fills = render_packet_with_fills(data)
    jidoteate = next(f for f in fills if f.form == "jidoteate_nintei")
    assert jidoteate.to_write == OWED["jidoteate_nintei"] + 1


def test_the_guidance_slip_shows_the_total(family_pdf):
    _pdf, fills = render_packet_with_fills(family_of_four())
    first = raster.page_texts(family_pdf)[0]
    assert fill_total_line(fills) in first
    assert "窓口で記入済み" in first and "ほかに署名 12か所" in first
