"""The synthetic demo city: households and residents coherent enough for the navigator to
run on (ages, 続柄, insurance and pension, allowances), addressed to the catalog pack's
municipality (scope.municipality(); 北見市 012084 in the default pack) on the 町字 of
the shipped list (residents/data/towns.tsv, 北見市's).

Everything comes from one random.Random(seed) drawn household by household, so a seed and
an as-of date give the same city (names, dates, My Numbers) on SQLite and PostgreSQL; only
the encrypted My Number tokens differ, because Fernet draws a random IV for each.

Speed (2 cores, SQLite): rows are built as plain tuples and written with executemany in
batches of BATCH residents, one transaction a batch; search keys are computed through
Resident.fill_keys / Household.fill_keys and memoised, since names repeat. About 1,000,000
residents in two to three minutes, of which Fernet is ~13 s (see residents.mynumber).
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.utils import timezone

from lib import mynumber as mynumber_lib
from lib.age import birthday_age, is_child18, legal_age
from residents import data
from residents import mynumber as mynumber_store
from residents.models import Household, Resident
from tenants import scope

NAMES = Path(__file__).resolve().parent / "data"  # the name pools; towns.tsv is residents'
BATCH = 10_000
DEFER_INDEXES_FROM = (
    50_000  # residents; below this, dropping and rebuilding indexes is not worth it
)
YEAR = 365.2425

# Single adults and couples dominate a northern city of 110,000; about one in three is 65+.
TEMPLATES = {
    "single_young": 11,
    "single_mid": 9,
    "single_old": 17,
    "couple_young": 4,
    "couple_mid": 9,
    "couple_old": 17,
    "family": 17,
    "single_parent": 4,
    "three_gen_elder": 3,
    "three_gen_parents": 3,
    "elder_with_child": 4,
    "head_with_parent": 2,
    "siblings": 1,
    "housemates": 1,
    "foreign_single": 1.3,
    "foreign_family": 0.6,
    "mixed_marriage": 0.5,
}
VARIANT_SHARE = 0.03  # households whose surname is written with a 異体字 or an IVS
SEIHO_SHARE = 0.025
SUPPORT_MEASURE_SHARE = 0.002
STATUS_WITH_WORK = {"技能実習", "特定技能", "技術・人文知識・国際業務", "技能"}
STATUS_WITHOUT_PERIOD = {"永住者", "特別永住者"}
BUILDINGS = [
    "コーポ",
    "ハイツ",
    "メゾン",
    "アパート",
    "レジデンス",
    "ヴィラ",
    "サンハイム",
    "グランドール",
]
BUILDING_NAMES = [
    "北見",
    "常盤",
    "春光",
    "すずらん",
    "オホーツク",
    "緑",
    "桜",
    "光",
    "泉",
    "ひまわり",
    "北斗",
    "つつじ",
    "白樺",
    "さくら",
    "ポプラ",
    "中央",
    "東",
    "ミント",
]


class RegisterInUse(Exception):
    """Other records (visits) point at the register, so --replace may not wipe it."""


@dataclass(slots=True)
class Result:
    households: int
    residents: int
    seconds: float
    reused: bool = False


@dataclass(slots=True, eq=False)
class Person:
    relation: str
    sex: str
    birth: date
    surname: tuple[str, str]  # (氏, フリガナ) or (SURNAME, "") for a foreign resident
    given: tuple[str, str] = ("", "")
    nationality: str = "JP"
    status: str = ""  # 在留資格
    job: str = "none"  # shaho, kokuho, none, student, child
    public_servant: bool = False
    spouse: Person | None = None
    unit: Unit | None = None  # the family unit this person is a child of
    main_earner: bool = False

    @property
    def foreign(self) -> bool:
        return self.nationality != "JP"


@dataclass(slots=True, eq=False)
class Unit:
    """Parents and their children living together: who supports whom, who claims 児童手当."""

    parents: list[Person]
    children: list[Person]
    earner: Person | None = None


class Pools:
    """The shipped lists, turned into what random choices need (built once per run)."""

    def __init__(self):
        sur = data.rows("surnames.tsv", NAMES)
        self.surnames = [(r[0], r[1]) for r in sur]
        self.surname_cw = _cumulative(float(r[2]) for r in sur)
        var = data.rows("surnames_variant.tsv", NAMES)
        self.variants = [(r[0], r[1]) for r in var]
        self.variant_cw = _cumulative(float(r[2]) for r in var)
        self.given: dict[tuple[str, int], list[tuple[str, str]]] = {}
        spans: dict[tuple[str, int, int], list[tuple[str, str]]] = {}
        for sex, lo, hi, name, kana in data.rows("given_names.tsv", NAMES):
            spans.setdefault((sex, int(lo), int(hi)), []).append((name, kana))
        for (sex, lo, hi), names in spans.items():
            for year in range(lo, hi + 1):
                self.given[(sex, year)] = names
        self.towns = []
        for i, (name, _kana, zip_, kind, chome, _w) in enumerate(data.rows("towns.tsv"), start=1):
            self.towns.append((name, zip_, kind, int(chome), i))
        self.town_cw = _cumulative(float(r[5]) for r in data.rows("towns.tsv"))
        self.foreign = []
        for nat, weight, surnames, male, female, statuses in data.rows("foreign.tsv", NAMES):
            st = [s.split(":") for s in statuses.split(",")]
            self.foreign.append(
                SimpleNamespace(
                    nationality=nat,
                    weight=float(weight),
                    surnames=surnames.split(","),
                    male=male.split(","),
                    female=female.split(","),
                    statuses=[s for s, _ in st],
                    status_weights=[float(w) for _, w in st],
                )
            )
        self.foreign_cw = _cumulative(float(r[1]) for r in data.rows("foreign.tsv", NAMES))
        self.templates = list(TEMPLATES)
        self.template_cw = _cumulative(TEMPLATES.values())


def _cumulative(weights) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class CityBuilder:
    """Draws households one at a time; every random choice goes through self.rng."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.pools = Pools()
        # The first households show every rare spelling, so even a tiny city has them.
        self.showcase = list(self.pools.variants)

    # --- dates -----------------------------------------------------------------------
    def birth_for_age(self, lo: int, hi: int) -> date:
        """A birth date giving completed age lo..hi today."""
        days = self.rng.randint(int(lo * YEAR) + 1, int((hi + 1) * YEAR) - 1)
        return self.today - timedelta(days=days)

    def child_birth(self, parents: list[Person], lo: int = 19, hi: int = 38) -> date | None:
        # Counting from the younger parent keeps the older one (≤ 5 years older) within 45.
        young = max(p.birth for p in parents)
        first = young + timedelta(days=int(lo * YEAR) + 2)
        last = min(self.today, young + timedelta(days=int(hi * YEAR)))
        if first > last:
            return None
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def spouse_birth(self, birth: date, spread: int = 5) -> date:
        d = birth + timedelta(days=self.rng.randint(-spread * 365, spread * 365))
        adult = self.today - timedelta(days=int(20 * YEAR))
        return min(d, adult)

    def parent_births(self, child: date, both: bool) -> tuple[date, date | None]:
        """The younger parent 19–38 years older than the child, the other 0–5 years older still."""
        young = child - timedelta(days=self.rng.randint(int(19 * YEAR) + 2, int(38 * YEAR)))
        old = young - timedelta(days=self.rng.randint(0, 5 * 365)) if both else None
        return young, old

    # --- names -----------------------------------------------------------------------
    def surname(self) -> tuple[str, str]:
        rng = self.rng
        if self.showcase:
            return self.showcase.pop(0)
        if rng.random() < VARIANT_SHARE:
            return rng.choices(self.pools.variants, cum_weights=self.pools.variant_cw)[0]
        return rng.choices(self.pools.surnames, cum_weights=self.pools.surname_cw)[0]

    def given(self, sex: str, birth: date) -> tuple[str, str]:
        # A name of the generation a few years either side, as parents' taste varies.
        year = min(max(birth.year + self.rng.randint(-4, 4), 1900), 2100)
        return self.rng.choice(self.pools.given[(sex, year)])

    def person(self, relation, sex, birth, surname) -> Person:
        return Person(relation, sex, birth, surname, self.given(sex, birth))

    def foreign_pool(self, statuses: set[str] | None = None):
        pools, cw = self.pools.foreign, self.pools.foreign_cw
        if statuses is not None:
            pools = [p for p in pools if statuses & set(p.statuses)]
            cw = _cumulative(p.weight for p in pools)
        return self.rng.choices(pools, cum_weights=cw)[0]

    def foreigner(self, pool, relation, sex, birth, status, surname=None) -> Person:
        rng = self.rng
        given = rng.choice(pool.male if sex == "1" else pool.female)
        p = Person(relation, sex, birth, (surname or rng.choice(pool.surnames), ""), (given, ""))
        p.nationality, p.status = pool.nationality, status
        return p

    def foreign_status(self, pool, allowed: set[str] | None = None) -> str:
        # Filter in list order (never set order, which changes with the hash seed).
        pairs = [
            (s, w)
            for s, w in zip(pool.statuses, pool.status_weights, strict=True)
            if allowed is None or s in allowed
        ]
        return self.rng.choices([s for s, _ in pairs], weights=[w for _, w in pairs])[0]

    # --- household templates ------------------------------------------------------------
    def household(self, kind: str) -> tuple[list[Person], list[Unit]]:
        return getattr(self, "_" + kind)()

    def _couple(self, lo, hi, *, head_female_share=0.05):
        rng = self.rng
        surname = self.surname()
        head_sex = "2" if rng.random() < head_female_share else "1"
        head = self.person("世帯主", head_sex, self.birth_for_age(lo, hi), surname)
        rel, sex = ("夫", "1") if head_sex == "2" else ("妻", "2")
        spouse = self.person(rel, sex, self.spouse_birth(head.birth), surname)
        head.spouse, spouse.spouse = spouse, head
        return head, spouse

    def _kids(self, parents: list[Person], n: int, relation: str, surname, lo=19, hi=38):
        kids = []
        for _ in range(n):
            b = self.child_birth(parents, lo, hi)
            if b is not None:
                sex = self.rng.choice("12")
                kids.append(self.person(relation, sex, b, surname))
        kids.sort(key=lambda k: k.birth)
        return kids

    def _single(self, lo, hi, female_share=0.5):
        sex = "2" if self.rng.random() < female_share else "1"
        head = self.person("世帯主", sex, self.birth_for_age(lo, hi), self.surname())
        return [head], [Unit([head], [])]

    def _single_young(self):
        return self._single(18, 39, 0.45)

    def _single_mid(self):
        return self._single(40, 64, 0.4)

    def _single_old(self):
        # Widows outnumber widowers: women live longer.
        return self._single(65, 101, 0.68)

    def _couple_young(self):
        head, spouse = self._couple(22, 39)
        return [head, spouse], [Unit([head, spouse], [])]

    def _couple_mid(self):
        head, spouse = self._couple(40, 64)
        return [head, spouse], [Unit([head, spouse], [])]

    def _couple_old(self):
        head, spouse = self._couple(65, 95, head_female_share=0.02)
        return [head, spouse], [Unit([head, spouse], [])]

    def _family(self):
        head, spouse = self._couple(25, 56)
        n = self.rng.choices((1, 2, 3, 4), weights=(38, 45, 15, 2))[0]
        kids = self._kids([head, spouse], n, "子", head.surname)
        return [head, spouse, *kids], [Unit([head, spouse], kids)]

    def _single_parent(self):
        sex = "2" if self.rng.random() < 0.85 else "1"
        head = self.person("世帯主", sex, self.birth_for_age(24, 55), self.surname())
        n = self.rng.choices((1, 2, 3), weights=(50, 38, 12))[0]
        kids = self._kids([head], n, "子", head.surname, 19, 40)
        if not kids:
            return self._single(24, 55)
        return [head, *kids], [Unit([head], kids)]

    def _three_gen_elder(self):
        """An older couple (or a widowed parent) with a married child and grandchildren."""
        rng = self.rng
        if rng.random() < 0.7:
            head, spouse = self._couple(64, 88, head_female_share=0.02)
            elders = [head, spouse]
        else:
            head = self.person(
                "世帯主", rng.choice("12"), self.birth_for_age(64, 90), self.surname()
            )
            spouse, elders = None, [head]
        b = self.child_birth(elders, 24, 38)
        child_sex = "1" if rng.random() < 0.8 else "2"
        if child_sex == "1":
            child = self.person("子", "1", b, head.surname)
            partner = self.person("子の妻", "2", self.spouse_birth(b, 4), head.surname)
        else:
            # A daughter usually takes her husband's name; their children carry it too.
            other = self.surname()
            child = self.person("子", "2", b, other)
            partner = self.person("子の夫", "1", self.spouse_birth(b, 4), other)
        child.spouse, partner.spouse = partner, child
        n = rng.choices((0, 1, 2, 3), weights=(15, 35, 38, 12))[0]
        grandkids = self._kids([child, partner], n, "子の子", child.surname)
        members = [*elders, child, partner, *grandkids]
        return members, [Unit(elders, [child]), Unit([child, partner], grandkids)]

    def _three_gen_parents(self):
        """A couple with children and the head's parent(s) moved in."""
        rng = self.rng
        head, spouse = self._couple(30, 55)
        n = rng.choices((0, 1, 2, 3), weights=(15, 35, 38, 12))[0]
        kids = self._kids([head, spouse], n, "子", head.surname)
        which = rng.choices(("both", "母", "父"), weights=(45, 40, 15))[0]
        young, old = self.parent_births(head.birth, which == "both")
        elders = []
        if which == "both":
            # Father the older of the two more often than not.
            fb, mb = (old, young) if rng.random() < 0.8 else (young, old)
            father = self.person("父", "1", fb, head.surname)
            mother = self.person("母", "2", mb, head.surname)
            father.spouse, mother.spouse = mother, father
            elders = [father, mother]
        else:
            elders = [self.person(which, "1" if which == "父" else "2", young, head.surname)]
        if any(birthday_age(e.birth, self.today) > 104 for e in elders):
            return self._family()
        members = [head, spouse, *kids, *elders]
        return members, [Unit([head, spouse], kids), Unit(elders, [head])]

    def _elder_with_child(self):
        """A widowed parent with an unmarried grown child."""
        rng = self.rng
        sex = "2" if rng.random() < 0.7 else "1"
        head = self.person("世帯主", sex, self.birth_for_age(68, 95), self.surname())
        kids = self._kids([head], 1, "子", head.surname, 22, 38)
        return [head, *kids], [Unit([head], kids)]

    def _head_with_parent(self):
        rng = self.rng
        sex = rng.choice("12")
        head = self.person("世帯主", sex, self.birth_for_age(35, 62), self.surname())
        young, _ = self.parent_births(head.birth, False)
        if birthday_age(young, self.today) > 104:
            return self._single(35, 62)
        rel = "母" if rng.random() < 0.75 else "父"
        parent = self.person(rel, "2" if rel == "母" else "1", young, head.surname)
        return [head, parent], [Unit([head], []), Unit([parent], [head])]

    def _siblings(self):
        rng = self.rng
        head = self.person("世帯主", rng.choice("12"), self.birth_for_age(30, 75), self.surname())
        b = head.birth + timedelta(days=rng.randint(-8 * 365, 8 * 365))
        b = min(b, self.today - timedelta(days=int(20 * YEAR)))
        sex = rng.choice("12")
        older = b < head.birth
        rel = {("1", True): "兄", ("2", True): "姉", ("1", False): "弟", ("2", False): "妹"}[
            (sex, older)
        ]
        sib = self.person(rel, sex, b, head.surname)
        return [head, sib], [Unit([head], []), Unit([sib], [])]

    def _housemates(self):
        rng = self.rng
        head = self.person("世帯主", rng.choice("12"), self.birth_for_age(20, 40), self.surname())
        members = [head]
        for _ in range(rng.choice((1, 1, 2))):
            b = min(
                head.birth + timedelta(days=rng.randint(-5 * 365, 5 * 365)),
                self.today - timedelta(days=int(19 * YEAR)),
            )
            members.append(self.person("同居人", rng.choice("12"), b, self.surname()))
        return members, [Unit([m], []) for m in members]

    def _foreign_single(self):
        rng = self.rng
        if rng.random() < 0.3:
            # Trainees of one employer share a flat: same nationality, same sex.
            pool = self.foreign_pool({"技能実習", "特定技能"})
            sex = rng.choice("12")
            members = []
            for i in range(rng.choice((2, 3, 3, 4))):
                status = self.foreign_status(pool, {"技能実習", "特定技能"})
                members.append(
                    self.foreigner(
                        pool,
                        "世帯主" if i == 0 else "同居人",
                        sex,
                        self.birth_for_age(20, 34),
                        status,
                    )
                )
            return members, [Unit([m], []) for m in members]
        pool = self.foreign_pool()
        status = self.foreign_status(pool)
        lo, hi = (19, 30) if status in ("留学", "技能実習") else (22, 45)
        if status == "特別永住者":
            lo, hi = 30, 90
        elif status == "永住者":
            lo, hi = 30, 70
        p = self.foreigner(pool, "世帯主", rng.choice("12"), self.birth_for_age(lo, hi), status)
        return [p], [Unit([p], [])]

    def _foreign_family(self):
        rng = self.rng
        pool = self.foreign_pool({"技術・人文知識・国際業務", "永住者", "定住者", "特別永住者"})
        status = self.foreign_status(
            pool, {"技術・人文知識・国際業務", "永住者", "定住者", "特別永住者"}
        )
        lo, hi = (40, 80) if status == "特別永住者" else (26, 50)
        head = self.foreigner(pool, "世帯主", "1", self.birth_for_age(lo, hi), status)
        family_status = {
            "技術・人文知識・国際業務": "家族滞在",
            "永住者": "永住者の配偶者等",
            "定住者": "定住者",
            "特別永住者": "特別永住者",
        }[status]
        # Vietnamese, Chinese and Korean wives keep their own surname.
        keeps = pool.nationality in ("ベトナム", "中国", "韓国")
        spouse = self.foreigner(
            pool,
            "妻",
            "2",
            self.spouse_birth(head.birth),
            family_status,
            None if keeps else head.surname[0],
        )
        head.spouse, spouse.spouse = spouse, head
        kids = []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            b = self.child_birth([head, spouse])
            if b:
                kids.append(
                    self.foreigner(pool, "子", rng.choice("12"), b, family_status, head.surname[0])
                )
        kids.sort(key=lambda k: k.birth)
        return [head, spouse, *kids], [Unit([head, spouse], kids)]

    def _mixed_marriage(self):
        rng = self.rng
        surname = self.surname()
        head = self.person("世帯主", "1", self.birth_for_age(30, 62), surname)
        pool = self.foreign_pool()
        status = "永住者" if rng.random() < 0.4 else "日本人の配偶者等"
        spouse = self.foreigner(pool, "妻", "2", self.spouse_birth(head.birth), status)
        head.spouse, spouse.spouse = spouse, head
        # Their children are Japanese nationals with the father's surname.
        kids = self._kids([head, spouse], rng.choice((0, 1, 1, 2)), "子", surname)
        return [head, spouse, *kids], [Unit([head, spouse], kids)]

    # --- work, insurance and the other facts ----------------------------------------------
    def assign_jobs(self, members: list[Person], units: list[Unit]) -> None:
        rng, today = self.rng, self.today
        for p in members:
            la = legal_age(p.birth, today)
            if la < 18:
                p.job = "child"
            elif p.status in STATUS_WITH_WORK:
                p.job = "shaho"
            elif p.status == "留学":
                p.job = "student"
            elif p.status == "家族滞在":
                p.job = "none"
            elif la <= 22 and p.relation in ("子", "子の子") and rng.random() < 0.55:
                p.job = "student"
            elif la < 60:
                if p.relation == "妻" or (p.relation == "子の妻"):
                    w = (35, 8, 57)
                elif p.relation in ("世帯主", "夫", "子の夫") or p.relation == "子":
                    w = (72, 21, 7)
                else:
                    w = (58, 20, 22)
                p.job = rng.choices(("shaho", "kokuho", "none"), weights=w)[0]
            elif la < 65:
                p.job = rng.choices(("shaho", "kokuho", "none"), weights=(45, 30, 25))[0]
            elif la < 75:
                p.job = rng.choices(("shaho", "kokuho", "none"), weights=(12, 12, 76))[0]
            else:
                p.job = "none"
            p.public_servant = p.job == "shaho" and not p.foreign and rng.random() < 0.06
        for u in units:
            for c in u.children:
                c.unit = u

    def choose_main_earner(self, members, units) -> None:
        """One 生計中心者 a household: the earner of the youngest family raising children."""
        today = self.today
        with_kids = [u for u in units if any(is_child18(c.birth, today) for c in u.children)]
        if with_kids:
            earner = with_kids[-1].earner
        else:
            earner = units[0].earner
            head = members[0]
            # An elderly head living with a working married child: the child's family earns.
            if (
                legal_age(head.birth, today) >= 65
                and len(units) > 1
                and units[1].parents[0].relation == "子"
                and units[1].earner.job in ("shaho", "kokuho")
            ):
                earner = units[1].earner
        earner.main_earner = True

    def facts(self, members: list[Person], units: list[Unit], kind: str) -> list[dict]:
        rng, today = self.rng, self.today
        ages = {id(p): (legal_age(p.birth, today), birthday_age(p.birth, today)) for p in members}
        old75 = any(b >= 75 for _, b in ages.values())
        seiho_share = SEIHO_SHARE * (
            3 if kind in ("single_mid", "single_parent", "single_old") else 1
        )
        seiho = not old75 and rng.random() < seiho_share
        if seiho:
            for p in members:
                if p.job != "child":
                    p.job, p.public_servant = "none", False
        self.assign_earners(units)
        self.choose_main_earner(members, units)
        single_parent = kind == "single_parent"

        insurance = {}
        for p in members:
            la, ba = ages[id(p)]
            if ba >= 75:  # 後期高齢者医療 starts on the 75th birthday itself
                ins = "koki"
            elif seiho:
                ins = "seiho"
            elif p.job == "shaho":
                ins = "shaho"
            else:
                sup = self.supporter(p, members[0])
                ins = (
                    "shaho"
                    if sup is not None and sup.job == "shaho" and ages[id(sup)][1] < 75
                    else "kokuho"
                )
            insurance[id(p)] = ins

        category = {}
        for p in members:
            la = ages[id(p)][0]
            category[id(p)] = (
                "2" if 20 <= la < 60 and p.job == "shaho" else "none" if not 20 <= la < 60 else "1"
            )
        for p in members:
            la = ages[id(p)][0]
            s = p.spouse
            if (
                20 <= la < 60
                and p.job != "shaho"
                and insurance[id(p)] == "shaho"
                and s is not None
                and category.get(id(s)) == "2"
            ):
                category[id(p)] = "3"  # a dependant spouse of a 第2号 is 第3号

        out = []
        for i, p in enumerate(members):
            la, ba = ages[id(p)]
            head = i == 0
            child18 = is_child18(p.birth, today)
            handbooks = self.handbooks(la)
            own_children = [c for u in units if p in u.parents for c in u.children]
            raises_child = any(is_child18(c.birth, today) for c in own_children)
            care = la >= 65 and rng.random() < _care_rate(la)
            if la >= 65:
                pension = rng.random() < 0.93
            elif la >= 60:
                pension = rng.random() < 0.2
            else:
                pension = la >= 20 and bool(handbooks) and rng.random() < 0.4
            card = rng.random() < (0.6 if la < 15 else 0.78 if la < 75 else 0.72)
            if head:
                prop = rng.random() < (
                    0.1
                    if p.foreign and p.status != "永住者"
                    else 0.7
                    if la >= 60
                    else 0.5
                    if la >= 30
                    else 0.05
                )
            else:
                prop = p.relation in ("妻", "夫") and rng.random() < 0.05
            out.append(
                {
                    "health_insurance": insurance[id(p)],
                    "pension_category": category[id(p)],
                    "receives_pension": pension,
                    "care_certified": care,
                    "disability_handbooks": handbooks,
                    "has_mynumber_card": card,
                    "has_inkan": la >= 18 and rng.random() < 0.6,
                    "child_allowance_recipient": p.main_earner
                    and not p.public_servant
                    and raises_child,
                    "child_medical_certificate": child18 and not seiho,
                    "child_support_recipient": single_parent
                    and head
                    and raises_child
                    and rng.random() < 0.8,
                    "single_parent_medical": single_parent
                    and not seiho
                    and ((head and raises_child) or (not head and child18)),
                    "main_earner": p.main_earner,
                    "public_servant": p.public_servant,
                    "owns_property": prop,
                    "owns_dog": head and rng.random() < 0.12,
                    "owns_moped": 16 <= la <= 80 and rng.random() < 0.03,
                    "water_contract_holder": head,
                    "uses_elderly_services": la >= 65
                    and rng.random()
                    < ((0.15 if len(members) == 1 else 0.04) + (0.15 if care else 0)),
                }
            )
        return out

    def assign_earners(self, units: list[Unit]) -> None:
        # Redone after a 生活保護 household has had its jobs cleared.
        for u in units:
            working = (
                [p for p in u.parents if p.job == "shaho"]
                or [p for p in u.parents if p.job == "kokuho"]
                or u.parents
            )
            u.earner = working[0]

    def supporter(self, p: Person, head: Person) -> Person | None:
        """Whose 被用者保険 a person without work of their own is a dependant on."""
        if p.job not in ("none", "student", "child"):
            return None
        if p.unit is not None and p.job in ("child", "student"):
            return p.unit.earner  # children follow the main earner of their family
        if p.spouse is not None and p.spouse.job == "shaho":
            return p.spouse
        if p.relation in ("父", "母") and self.rng.random() < 0.4:
            return head  # a parent taken on as the head's dependant
        return p.spouse

    def handbooks(self, la: int) -> list[str]:
        rng = self.rng
        rate = 0.015 if la < 18 else 0.03 if la < 65 else 0.07 if la < 75 else 0.12
        if rng.random() >= rate:
            return []
        kinds = ("shintai", "ryoiku", "seishin")
        weights = (25, 45, 30) if la < 40 else (75, 8, 17)
        first = rng.choices(kinds, weights=weights)[0]
        if rng.random() < 0.08:
            second = rng.choice([k for k in kinds if k != first])
            return sorted([first, second], key=kinds.index)
        return [first]

    # --- the address ------------------------------------------------------------------
    def address(self, kind: str, size: int) -> dict:
        rng = self.rng
        name, zip_, layout, chome_max, town_no = rng.choices(
            self.pools.towns, cum_weights=self.pools.town_cw
        )[0]
        if layout == "chiban":
            chome = 0
            banchi = f"{rng.randint(1, 999)}番地"
        else:
            chome = rng.randint(1, chome_max)
            banchi = f"{chome}丁目{rng.randint(1, 40)}番地"
        if rng.random() < 0.6:
            banchi += str(rng.randint(1, 30))
        flat_share = 0.65 if size == 1 and kind != "single_old" else 0.2
        katagaki = ""
        if rng.random() < flat_share:
            if rng.random() < 0.12:
                katagaki = f"市営{rng.choice(BUILDING_NAMES)}団地{rng.randint(1, 8)}号棟{rng.randint(1, 4)}{rng.randint(1, 6):02d}号室"
            else:
                katagaki = f"{rng.choice(BUILDINGS)}{rng.choice(BUILDING_NAMES)}{rng.randint(1, 3)}{rng.randint(1, 8):02d}号室"
        phone = (
            f"0157-0{rng.randint(1, 9)}-{rng.randint(0, 9999):04d}" if rng.random() < 0.6 else ""
        )
        return {
            "zip": zip_,
            "pref": scope.municipality()["pref"],
            "city": scope.municipality()["name"],
            "town": name,
            "town_id": f"{town_no:04d}{chome:03d}",
            "banchi": banchi,
            "katagaki": katagaki,
            # 0157-0x is not a subscriber number in use: no real line is ever shown.
            "phone": phone,
        }

    # --- one household ------------------------------------------------------------------
    def next_household(self, room: int):
        """(household fields, [(person, facts, extra fields)]) with at most `room` members."""
        rng = self.rng
        kind = rng.choices(self.pools.templates, cum_weights=self.pools.template_cw)[0]
        members, units = self.household(kind)
        if len(members) > room:
            # The last few residents of a city of exactly N people live alone.
            kind = "single_young"
            members, units = self._single(18, 90)
        self.assign_jobs(members, units)
        facts = self.facts(members, units, kind)
        address = self.address(kind, len(members))
        support = rng.random() < SUPPORT_MEASURE_SHARE
        head = members[0]
        moved_in = self.today - timedelta(
            days=rng.randint(0, int((3 if head.foreign else 45) * YEAR))
        )
        adult = head.birth + timedelta(days=int(18 * YEAR))
        moved_in = max(moved_in, min(adult, self.today))
        people = []
        for p, f in zip(members, facts, strict=True):
            extra = {
                "support_measure": support,
                "resident_since": max(p.birth, moved_in) if rng.random() < 0.85 else p.birth,
            }
            if p.foreign:
                extra["residence_status"] = p.status
                extra["section_30_45"] = (
                    "特別永住者" if p.status == "特別永住者" else "中長期在留者"
                )
                extra["residence_card_no"] = self.card_no()
                if p.status not in STATUS_WITHOUT_PERIOD:
                    extra["residence_expiry"] = self.today + timedelta(
                        days=rng.randint(30, 3 * 365)
                    )
            people.append((p, f, extra))
        return address, people

    def card_no(self) -> str:
        rng = self.rng
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        return (
            rng.choice(letters)
            + rng.choice(letters)
            + f"{rng.randrange(10**8):08d}"
            + rng.choice(letters)
            + rng.choice(letters)
        )

    def mynumber(self, seen: set[str]) -> str:
        while True:
            n = mynumber_lib.generate(self.rng)
            if n not in seen:
                seen.add(n)
                return n


def _care_rate(age: int) -> float:
    # 要介護認定率 rises steeply after 75 (about 3% at 65–69, over half at 90+).
    if age < 70:
        return 0.03
    if age < 75:
        return 0.06
    if age < 80:
        return 0.12
    if age < 85:
        return 0.27
    if age < 90:
        return 0.48
    return 0.7


# --- writing ---------------------------------------------------------------------------


class _Writer:
    """executemany into the two tables, with each field adapted the way the ORM would."""

    def __init__(self, using: str):
        self.connection = connections[using]
        self.tables = {}
        for model in (Household, Resident):
            fields = model._meta.concrete_fields
            cols = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {self.connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({marks})"
            self.tables[model] = (
                sql,
                [(f.attname, self._adapter(f), f.get_default()) for f in fields],
            )
        self.pending = {Household: [], Resident: []}

    def _adapter(self, field):
        conn = self.connection
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return conn.ops.adapt_datefield_value
        if isinstance(field, models.JSONField):
            if conn.vendor == "sqlite":
                # What JSONField stores on SQLite, without the spaces: ~40 bytes a resident.
                return _compact_json
            return lambda v: field.get_db_prep_save(v, conn)
        return None

    def add(self, model, values: dict) -> None:
        get = values.get
        self.pending[model].append(
            [
                v if adapt is None or v is None else adapt(v)
                for attname, adapt, default in self.tables[model][1]
                for v in (get(attname, default),)
            ]
        )

    def flush(self) -> None:
        with self.connection.cursor() as cur:
            for model in (Household, Resident):
                rows = self.pending[model]
                if rows:
                    cur.executemany(self.tables[model][0], rows)
                    rows.clear()


def _compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def wipe(using: str = "default") -> None:
    """Empty the register (the --replace of generate_city), refusing when visits point at it."""
    _check_unreferenced(using)
    conn = connections[using]
    # Raw DELETE: the ORM's collector would load a million ids to find nothing to cascade.
    with transaction.atomic(using=using), conn.cursor() as cur:
        for model in (Resident, Household):
            # The current tenant's register only: the other cities' stay.
            cur.execute(
                f"DELETE FROM {conn.ops.quote_name(model._meta.db_table)} WHERE tenant_id = %s",
                [scope.current_id()],
            )


def _check_unreferenced(using: str) -> None:
    conn = connections[using]
    tables = set(conn.introspection.table_names())
    for model in (Resident, Household):
        for rel in model._meta.related_objects:
            related = rel.related_model
            if related in (Resident, Household) or related._meta.db_table not in tables:
                continue
            if (
                related._default_manager.using(using)
                .filter(**{f"{rel.field.name}__isnull": False})
                .exists()
            ):
                raise RegisterInUse(
                    f"住民記録を参照している記録（{related._meta.label}）があるため、住民記録を置き換えられません"
                )


def _drop_indexes(conn) -> list[tuple[str, str]]:
    """SQLite only: drop the register's secondary indexes before a large load.

    Building an index once from the finished table is several times faster than keeping it
    up to date under a million inserts in random key order. Returns what to recreate.
    """
    if conn.vendor != "sqlite":
        return []
    with conn.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ('{Resident._meta.db_table}', '{Household._meta.db_table}')"
        )
        saved = cur.fetchall()
        for name, _sql in saved:
            cur.execute(f"DROP INDEX {conn.ops.quote_name(name)}")
    return saved


def _create_indexes(conn, saved: list[tuple[str, str]], progress: bool) -> None:
    if saved and progress:
        print("索引を作成しています…", file=sys.stderr)
    with conn.cursor() as cur:
        for _name, sql in saved:
            cur.execute(sql)


def generate_city(
    residents: int = 20_000,
    seed: int = 1,
    *,
    today: date | None = None,
    replace: bool = False,
    using: str = "default",
    progress: bool = True,
) -> Result:
    """Create a demo city of exactly `residents` people; an existing register is kept unless replace."""
    started = time.perf_counter()
    if residents < 1:
        raise ValueError("住民数は1以上を指定してください")
    existing = Resident.objects.using(using).count()
    if existing and not replace:
        return Result(Household.objects.using(using).count(), existing, 0.0, reused=True)
    conn = connections[using]
    deferred = []
    if replace:
        _check_unreferenced(using)
    if max(residents, existing) >= DEFER_INDEXES_FROM:
        deferred = _drop_indexes(conn)
    try:
        if replace:
            wipe(using)
        households, made = _fill(residents, seed, today, using, progress)
    finally:
        _create_indexes(conn, deferred, progress)
    with conn.cursor() as cur:
        for sql in conn.ops.sequence_reset_sql(no_style(), [Household, Resident]):
            cur.execute(sql)
        # Fresh statistics let the planner prefer the key indexes (see residents.search).
        if conn.vendor == "sqlite":
            cur.execute("PRAGMA analysis_limit = 1000")
            cur.execute("ANALYZE")
        elif conn.vendor == "postgresql":
            cur.execute(f"ANALYZE {conn.ops.quote_name(Resident._meta.db_table)}")
            cur.execute(f"ANALYZE {conn.ops.quote_name(Household._meta.db_table)}")
    return Result(households, made, time.perf_counter() - started)


def _fill(residents, seed, today, using, progress) -> tuple[int, int]:
    today = today or timezone.localdate()
    builder = CityBuilder(seed, today)
    writer = _Writer(using)
    conn = connections[using]
    keys_cache: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
    seen_numbers: set[str] = set()
    # Ids are the table's, shared by every tenant: the next after anyone's.
    hid = Household._base_manager.using(using).aggregate(m=models.Max("id"))["m"] or 0
    rid = Resident._base_manager.using(using).aggregate(m=models.Max("id"))["m"] or 0
    made = households = 0

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(
            total=residents,
            unit="人",
            desc=f"{scope.municipality()['name']}（デモ）",
            file=sys.stderr,
            mininterval=0.5,
            dynamic_ncols=True,
        )
    if conn.vendor == "sqlite":
        with conn.cursor() as cur:
            # A larger page cache keeps the key indexes' pages in memory while they grow.
            cur.execute("PRAGMA cache_size = -262144")
    try:
        while made < residents:
            with transaction.atomic(using=using):
                target = min(residents, made + BATCH)
                while made < target:
                    address, people = builder.next_household(residents - made)
                    hid += 1
                    households += 1
                    h = SimpleNamespace(**address)
                    Household.fill_keys(h)
                    writer.add(Household, {"id": hid, "household_no": f"{hid:010d}", **vars(h)})
                    for p, f, extra in people:
                        rid += 1
                        made += 1
                        writer.add(
                            Resident,
                            _resident_row(
                                rid, hid, p, f, extra, keys_cache, builder.mynumber(seen_numbers)
                            ),
                        )
                writer.flush()
            if bar is not None:
                bar.update(made - bar.n)
    finally:
        if bar is not None:
            bar.close()
    return households, made


def _resident_row(rid, hid, p: Person, facts, extra, keys_cache, number) -> dict:
    if p.foreign:
        name = f"{p.surname[0]} {p.given[0]}"
        kana, alpha = "", name
    else:
        name = f"{p.surname[0]}\u3000{p.given[0]}"
        kana, alpha = f"{p.surname[1]}\u3000{p.given[1]}", ""
    ck = (name, kana, alpha)
    keys = keys_cache.get(ck)
    if keys is None:
        ns = SimpleNamespace(name=name, name_kana=kana, name_alpha=alpha)
        Resident.fill_keys(ns)  # the model's own rule, so a bulk city and a saved record agree
        keys = keys_cache[ck] = (
            ns.name_key,
            ns.given_key,
            ns.kana_key,
            ns.kana_given_key,
            ns.kana_seion_key,
            ns.kana_given_seion_key,
        )
    return {
        "id": rid,
        "person_no": f"{rid:010d}",
        "household_id": hid,
        "name": name,
        "name_kana": kana,
        "name_alpha": alpha,
        "birth_date": p.birth,
        "sex": p.sex,
        "relation": p.relation,
        "nationality": p.nationality,
        # Generated numbers are valid by construction: skip encrypt()'s check, same cipher.
        "mynumber_enc": mynumber_store.cipher().encrypt(number.encode()).decode(),
        "facts": facts,
        "name_key": keys[0],
        "given_key": keys[1],
        "kana_key": keys[2],
        "kana_given_key": keys[3],
        "kana_seion_key": keys[4],
        "kana_given_seion_key": keys[5],
        **extra,
    }
