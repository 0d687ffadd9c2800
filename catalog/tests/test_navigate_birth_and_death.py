"""出生 and 死亡 (life-events.md §5)."""

import shutil

from catalog.pack import load_pack
from catalog.tests.helpers import PACK_DIR, applies, person, visit

BIRTH = "2026-09-01"
DEATH = "2026-11-20"


def _family(newborn=None, **mother):
    n = newborn or person(
        "n", "2026-08-25", role="newborn", relation="子", moving=False, unknown=["health_insurance"]
    )
    m = person(
        "m",
        "1994-02-11",
        **{
            "relation": "妻",
            "sex": "2",
            "moving": False,
            "applicant": True,
            "health_insurance": "kokuho",
            **mother,
        },
    )
    f = person(
        "f",
        "1992-10-30",
        relation="世帯主",
        moving=False,
        main_earner=True,
        health_insurance="kokuho",
    )
    return n, m, f


def test_a_light_newborn_gets_the_low_birth_weight_form():
    n = person("n", "2026-08-25", role="newborn", relation="子", moving=False, birth_weight_g=2499)
    assert "teitaiju@n" in applies(visit("birth", BIRTH, *_family(n)))


def test_a_newborn_of_2500g_does_not():
    n = person("n", "2026-08-25", role="newborn", relation="子", moving=False, birth_weight_g=2500)
    assert "teitaiju@n" not in applies(visit("birth", BIRTH, *_family(n)))


def test_jidoteate_birth_goes_to_the_main_earner_parent_unless_a_public_servant():
    n, m, f = _family()
    assert "jidoteate_birth@f" in applies(visit("birth", BIRTH, n, m, f))
    f.facts["public_servant"] = True
    assert "jidoteate_birth@f" not in applies(visit("birth", BIRTH, n, m, f))


def test_kokuho_birth_follows_the_main_earner_parents_insurance():
    n, m, f = _family()
    assert "kokuho_birth@n" in applies(visit("birth", BIRTH, n, m, f))
    f.facts["health_insurance"] = "shaho"
    assert "kokuho_birth@n" not in applies(visit("birth", BIRTH, n, m, f))


def test_shussan_ichijikin_goes_to_the_mother_on_kokuho():
    got = applies(visit("birth", BIRTH, *_family()))
    assert "shussan_ichijikin@m" in got and "shussan_ichijikin@f" not in got
    n, m, f = _family(health_insurance="shaho")
    assert "shussan_ichijikin@m" not in applies(visit("birth", BIRTH, n, m, f))


def test_jido_fuyo_birth_goes_to_the_applicant_of_a_single_parent_household():
    n, m, _ = _family()
    assert "jido_fuyo_birth@m" in applies(visit("birth", BIRTH, n, m, single_parent=True))


def _deceased(**facts):
    return person("d", "1950-01-01", role="deceased", relation="世帯主", moving=False, **facts)


def test_setainushi_henko_when_two_members_of_15_or_more_remain():
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    s = person("s", "2010-01-01", relation="子", moving=False)
    assert "setainushi_henko@d" in applies(visit("death", DEATH, _deceased(), w, s))


def test_no_setainushi_henko_when_the_new_head_is_self_evident():
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    s = person("s", "2012-01-01", relation="子", moving=False)  # 14
    assert "setainushi_henko@d" not in applies(visit("death", DEATH, _deceased(), w, s))


def test_a_city_can_ask_for_setainushi_henko_even_when_self_evident(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "pack")
    meta = tmp_path / "pack" / "pack.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(
            "setainushi_henko_min_remaining: 2", "setainushi_henko_min_remaining: 1"
        ),
        encoding="utf-8",
    )
    city = load_pack(tmp_path / "pack")
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    assert "setainushi_henko@d" in applies(visit("death", DEATH, _deceased(), w), city)


def test_kokuho_deceased_gets_the_kokuho_procedures():
    w = person("w", "1952-01-01", relation="妻", moving=False, applicant=True)
    got = applies(visit("death", DEATH, _deceased(health_insurance="kokuho"), w, refund_due=True))
    assert {
        "kokuho_soshitsu_death@d",
        "kokuho_sosaihi@d",
        "hokenryo_seisan@d",
        "kogaku_ryoyohi@d",
    } <= got
    assert not {"koki_soshitsu@d", "koki_sosaihi@d"} & got


def test_a_parent_dying_with_a_child_and_a_surviving_parent_leads_to_single_parent_support():
    d = person("d", "1985-01-01", role="deceased", relation="世帯主", moving=False)
    w = person("w", "1986-01-01", relation="妻", moving=False, applicant=True)
    c = person("c", "2016-01-01", relation="子", moving=False)
    got = applies(visit("death", DEATH, d, w, c))
    assert {"hitorioya_after_death@d", "fukuji_inzoku@d"} <= got


def test_someone_living_alone_gets_no_spouse_guidance():
    assert "fukuji_inzoku@d" not in applies(visit("death", DEATH, _deceased(applicant=True)))


def test_a_deceased_wife_leaves_the_head_as_surviving_spouse():
    d = person("d", "1955-01-01", role="deceased", relation="妻", moving=False)
    h = person("h", "1950-01-01", relation="世帯主", moving=False, applicant=True)
    assert "fukuji_inzoku@d" in applies(visit("death", DEATH, d, h))


def test_income_this_year_calls_for_the_final_tax_return():
    got = applies(visit("death", DEATH, _deceased(had_income=True, applicant=True)))
    assert "junkakutei@d" in got


def test_every_death_procedure_is_listed_for_the_deceased():
    d = _deceased(has_inkan=True, owns_dog=True, owns_farmland=True, applicant=True)
    got = applies(visit("death", DEATH, d, municipal_housing=True))
    assert got and all(k.endswith("@d") for k in got)
