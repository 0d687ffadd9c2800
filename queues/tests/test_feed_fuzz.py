"""Seeded fuzz of the 転入予約 feed: batches of notices with parts replaced by wrong shapes,
hostile text, over-long fields, unknown offices, repeated and changed 予約番号. Never a 500;
every answer JSON with one result per notice; and nothing half-written: the rows that exist
after each batch are exactly those of the notices answered created or updated, each visit
holding all its people.

MADOGUCHI_FUZZ_SEED and MADOGUCHI_FEED_FUZZ_BATCHES make another or a longer run; a failure
names the seed and the batch to repeat it.
"""

import copy
import json
import os
import random

import pytest

from counter import services as counter_services
from counter.models import Visit, VisitPerson
from queues.models import Reservation
from queues.tests.test_reservations import NOTICE

SEED = int(os.environ.get("MADOGUCHI_FUZZ_SEED", "20260610"))
BATCHES = int(os.environ.get("MADOGUCHI_FEED_FUZZ_BATCHES", "40"))

HOSTILE = [
    None,
    "",
    0,
    -1,
    1e308,
    10**30,
    True,
    [],
    {},
    [[]],
    {"a": {}},
    "MP-X",
    "x" * 1000,
    "北" * 101,
    "\x00",
    "a\ud800b",
    "<script>alert(1)</script>",
    "2026-02-30",
    "2026/13/01",
    "９９９９－９９－９９",
    "honcho\x00",
    "tokoro",
    "\u202e\u200b",
    "𠮷野家",
]
KEYS = {
    "": [
        "予約番号",
        "来庁予定日",
        "異動年月日",
        "電話番号",
        "来庁窓口",
        "転出元住所",
        "転入先住所",
        "世帯員",
    ],
    "address": ["郵便番号", "都道府県", "市区町村", "町字", "番地", "方書", "国名", "余分"],
    "person": ["氏名", "氏名フリガナ", "生年月日", "性別", "続柄", "国籍", "余分"],
}


def mutate(rng: random.Random, n: dict) -> object:
    """A copy of the notice with one to three parts changed; sometimes not a notice at all."""
    if rng.random() < 0.08:
        return rng.choice(HOSTILE)
    n = copy.deepcopy(n)
    for _ in range(rng.randint(1, 3)):
        where = rng.choice(["", "", "address", "person"])
        if where == "":
            node = n
        elif where == "address":
            node = n.get(rng.choice(["転出元住所", "転入先住所"]))
        else:
            people = n.get("世帯員")
            node = rng.choice(people) if isinstance(people, list) and people else None
            if rng.random() < 0.1 and isinstance(people, list):
                people.append(rng.choice(HOSTILE))
        if not isinstance(node, dict):
            continue
        key = rng.choice(KEYS[where])
        if rng.random() < 0.15:
            node.pop(key, None)
        else:
            node[key] = rng.choice(HOSTILE)
    return n


def valid(rng: random.Random, number: str) -> dict:
    n = copy.deepcopy(NOTICE)
    n["予約番号"] = number
    n["来庁窓口"] = rng.choice(["honcho", "tanno", "端野支所", ""])
    n["来庁予定日"] = f"2026-12-{rng.randint(1, 28):02d}"
    n["世帯員"] = n["世帯員"][: rng.randint(1, 2)]
    return n


def snapshot():
    return {
        r.external_id: (r.visit_id, r.visit.people.count() if r.visit_id else None)
        for r in Reservation.objects.select_related("visit")
    }


@pytest.mark.django_db
def test_the_feed_survives_a_seeded_fuzz_with_nothing_half_written(feed, monkeypatch):
    monkeypatch.setattr(counter_services, "print_packet", lambda visit, by, request=None: None)
    rng = random.Random(SEED)
    numbers = [f"MP-F{i}" for i in range(12)]  # few, so numbers repeat: updates and duplicates
    statuses = set()
    for batch in range(BATCHES):
        items = []
        for _ in range(rng.randint(1, 4)):
            base = valid(rng, rng.choice(numbers))
            items.append(base if rng.random() < 0.35 else mutate(rng, base))
        body = {"notices": items} if rng.random() < 0.9 else items
        before = snapshot()
        r = feed(json.dumps(body), raw=True)  # a lone surrogate as its \ud800 escape
        at = f"seed {SEED} batch {batch}"
        assert r.status_code in (200, 207, 400), (at, r.status_code, r.content[:300])
        results = r.json()["results"]
        assert len(results) == len(items), at
        after = snapshot()
        written = set()
        for item, result in zip(items, results, strict=True):
            statuses.add(result["status"])
            if result["status"] in ("error", "conflict"):
                assert result["message"], at
                continue
            written.add(result["予約番号"])
            kept = Reservation.objects.get(external_id=result["予約番号"])
            # The visit holds exactly the people of the notice as sent.
            assert after[result["予約番号"]][1] == len(item["世帯員"]), (at, result)
            assert result["visit"] == kept.visit.number, at
        # Nothing else appeared or changed: refused notices wrote nothing.
        assert {k: v for k, v in after.items() if k not in written} == {
            k: v for k, v in before.items() if k not in written
        }, at
        assert set(after) - set(before) <= written, at
        # No visit without its reservation, no person outside those visits.
        assert Visit.objects.count() == len(after), at
        assert VisitPerson.objects.count() == sum(n for _v, n in after.values()), at
    # The run reached every kind of answer but conflict (nobody arrives here).
    assert {"created", "updated", "already_imported", "error"} <= statuses
