"""Rules in words for the catalog browser: the pack's own labels, かつ/または, 以上/未満."""

import pytest

from catalog.describe import rule_text
from catalog.tests.helpers import pack
from catalog.tests.test_rule_language import _compiler


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("age >= 65", "65歳以上"),
        ("20 <= age < 60", "20歳以上60歳未満"),
        ("koki_age < 75", "75歳未満（誕生日で数える）"),
        ("health_insurance == kokuho", "健康保険が国民健康保険"),
        ("health_insurance in (kokuho, none)", "健康保険が国民健康保険・未加入のいずれか"),
        ("pension_category not in (2, 3)", "国民年金が第2号被保険者・第3号被保険者以外"),
        ("has_mynumber_card and age >= 65", "マイナンバーカードをお持ち かつ 65歳以上"),
        ("age >= 65 or care_certified", "65歳以上 または 要介護・要支援認定あり"),
        ("not public_servant", "公務員以外"),
        ("(age >= 65 or care_certified) and has_inkan",
         "（65歳以上 または 要介護・要支援認定あり） かつ 印鑑登録あり"),
        ("h.new_dwelling", "世帯：世帯での入居・退去"),
        ("h.any(moving and child18)",
         "世帯員に「異動する方 かつ 18歳到達後最初の3月31日までの児童」の人がいる"),
        ("h.count(age >= 15) >= 2", "世帯員のうち「15歳以上」の人が2人以上"),
        ("child_until(setting.kodomo_iryo_age)", "18歳到達後最初の3月31日まで"),
        ("shintai in disability_handbooks", "障害者手帳に身体障害者手帳あり"),
        ("tennyu in events", "同じ来庁で転入の届出あり"),
        ("not (age >= 65)", "65歳未満"),
        ("birth_weight_g < 2500", "出生時の体重が2500g未満"),
        ("parent", "世帯主またはその配偶者"),
        ("event == tennyu", "転入の届出"),
        (True, "常に該当"),
    ],
)  # fmt: skip
def test_a_rule_reads_as_japanese(rule, text):
    assert rule_text(_compiler().compile(rule, person=True)) == text


def test_every_rule_of_the_default_pack_has_words_and_no_placeholders():
    for proc in pack().procedures.values():
        for v in proc.variants:
            text = rule_text(v.rule)
            assert text and "{" not in text and "Node" not in text, (proc.id, text)
