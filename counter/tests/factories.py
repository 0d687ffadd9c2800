"""Small register fixtures with intent: each household exists for the rule it exercises."""

from datetime import date

from residents.models import Household, Resident

_seq = iter(range(1, 10_000))


def household(**kw) -> Household:
    n = next(_seq)
    defaults = dict(
        household_no=f"H{n:07d}",
        zip="0900024",
        pref="北海道",
        city="北見市",
        town="北4条東",
        banchi=f"{n}-1",
        katagaki="",
    )
    defaults.update(kw)
    return Household.objects.create(**defaults)


def resident(
    hh: Household, name: str, kana: str, birth: date, relation: str, sex="1", **facts
) -> Resident:
    n = next(_seq)
    return Resident.objects.create(
        person_no=f"P{n:08d}",
        household=hh,
        name=name,
        name_kana=kana,
        birth_date=birth,
        sex=sex,
        relation=relation,
        facts=facts,
    )


def elderly_couple():
    """転出 of an 81-year-old 後期高齢 head with an inkan, and a 66-year-old wife on 国保."""
    hh = household()
    head = resident(
        hh,
        "髙橋　一郎",
        "タカハシ　イチロウ",
        date(1945, 5, 1),
        "世帯主",
        health_insurance="koki",
        has_inkan=True,
        has_mynumber_card=True,
        care_certified=False,
    )
    wife = resident(
        hh,
        "髙橋　花子",
        "タカハシ　ハナコ",
        date(1960, 2, 2),
        "妻",
        sex="2",
        health_insurance="kokuho",
        has_inkan=False,
        has_mynumber_card=False,
    )
    return hh, head, wife
