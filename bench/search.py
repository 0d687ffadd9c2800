"""Benchmark of the counter search box (residents.search) against a plain icontains scan.

    .venv/bin/python bench/search.py --json                       # 100,000 and 1,000,000 residents
    .venv/bin/python bench/search.py --residents 20000 --queries 200 --json   # a quick check

Each city is generated once into var/bench/city-<N>.sqlite3 and reused (the generation time
goes to stderr and is not measured). Queries are drawn deterministically from the data: kana
(katakana, hiragana, half-width), kanji names, birth dates in three forms, address fragments
and alphabet names. Each query is timed as a counter screen runs it: read the text, query,
fetch the first --limit hits with their households.

The baseline is the naive search: icontains over name, name_kana, name_alpha, town and
banchi, one scan of the table, same order and limit. A full scan of a million rows takes about a second, so it is
measured on an evenly spread subset of the queries (--baseline-queries), and the ratio
compares the two medians on that same subset.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import p95  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
CITY_DAY = date(2026, 4, 1)  # the generated cities do not change with the day the bench runs
CITY_SEED = 1

# What staff type at a counter, roughly: readings first, then dates, names and addresses.
KINDS = {
    "kana_surname": 18,
    "hiragana_full": 10,
    "halfwidth_kana": 5,
    "kanji_surname": 14,
    "kanji_full": 10,
    "kanji_given": 4,
    "date_wareki_short": 8,
    "date_wareki": 6,
    "date_iso": 6,
    "address": 14,
    "alphabet": 5,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", default="100000,1000000", help="city sizes, comma-separated")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=100,
        help="how many of the queries the icontains baseline runs (evenly spread)",
    )
    parser.add_argument(
        "--limit", type=int, default=50, help="hits fetched per query, as a screen shows"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for drawing the queries")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_one(args.worker, args)))
        return
    runs = []
    for n in sorted(int(x.replace("_", "")) for x in args.residents.split(",")):
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{BENCH_DIR / f'city-{n}.sqlite3'}",
            DJANGO_SETTINGS_MODULE="madoguchi.settings",
        )
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            str(n),
            "--queries",
            str(args.queries),
            "--baseline-queries",
            str(args.baseline_queries),
            "--limit",
            str(args.limit),
            "--seed",
            str(args.seed),
        ]
        out = subprocess.run(
            cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    largest = runs[-1]
    result = {
        "name": "search",
        "runs": runs,
        "residents": largest["residents"],
        "median_ms": largest["median_ms"],
        "p95_ms": largest["p95_ms"],
        "baseline_median_ms": largest["baseline_median_ms"],
        "ratio": largest["ratio"],
        "note": (
            f"baseline (icontains on name, name_kana, name_alpha, town, banchi; one table scan) measured on "
            f"{largest['baseline_queries']} of {largest['queries']} queries; ratio = baseline "
            "median / search median on that same subset; SQLite, first "
            f"{args.limit} hits with households"
        ),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for r in runs:
            print(
                f"{r['residents']:>9,} residents  {r['queries']} queries  median {r['median_ms']} ms"
                f"  p95 {r['p95_ms']} ms  |  icontains median {r['baseline_median_ms']} ms"
                f"  p95 {r['baseline_p95_ms']} ms  ({r['baseline_queries']} queries)  ×{r['ratio']}"
            )


# --- the worker: one city, in its own process (its own DATABASE_URL) ---------------------


def run_one(n: int, args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from demo.city import generate_city
    from residents.models import Resident

    call_command("migrate", verbosity=0, skip_checks=True)
    have = Resident.objects.count()
    if have != n:
        started = time.perf_counter()
        result = generate_city(n, CITY_SEED, today=CITY_DAY, replace=True, progress=True)
        print(
            f"city-{n}: generated {result.households:,} households, {result.residents:,} residents"
            f" in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    else:
        print(f"city-{n}: reusing {BENCH_DIR / f'city-{n}.sqlite3'}", file=sys.stderr)

    queries = draw_queries(n, args.queries, args.seed)
    search = [timed(lambda q=q: search_hits(q, args.limit)) for q, _kind in queries[:10]]  # warm-up
    search = [timed(lambda q=q: search_hits(q, args.limit)) for q, _kind in queries]
    step = max(1, len(queries) // max(1, args.baseline_queries))
    subset = list(range(0, len(queries), step))[: args.baseline_queries]
    baseline = [timed(lambda q=queries[i][0]: baseline_hits(q, args.limit)) for i in subset]
    ours_on_subset = [search[i] for i in subset]
    return {
        "residents": n,
        "queries": len(queries),
        "median_ms": _ms(statistics.median(search)),
        "p95_ms": _ms(p95(search)),
        "max_ms": _ms(max(search)),
        "baseline_queries": len(baseline),
        "baseline_median_ms": _ms(statistics.median(baseline)),
        "baseline_p95_ms": _ms(p95(baseline)),
        "median_ms_on_baseline_subset": _ms(statistics.median(ours_on_subset)),
        "ratio": round(statistics.median(baseline) / statistics.median(ours_on_subset), 1),
        "kinds": dict(Counter(kind for _q, kind in queries)),
    }


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def search_hits(query: str, limit: int) -> list:
    from residents.models import Resident
    from residents.search import DateParseError

    try:
        return list(Resident.objects.matching(query)[:limit])
    except DateParseError:
        return []


def baseline_hits(query: str, limit: int) -> list:
    from django.db.models import Q, Value
    from django.db.models.functions import Concat

    from residents.models import Resident

    text = query.strip()
    found = (
        Q(name__icontains=text)
        | Q(name_kana__icontains=text)
        | Q(name_alpha__icontains=text)
        | Q(household__town__icontains=text)
        | Q(household__banchi__icontains=text)
    )
    # Ordered by an expression so that SQLite scans the table once and sorts the matches:
    # with a plain order_by("kana_key") it walks the kana index instead, one random row read
    # per resident, which at 1,000,000 residents is ~5 s a query and would flatter the search.
    order = Concat("kana_key", Value(""))
    return list(
        Resident.objects.filter(found).select_related("household").order_by(order, "pk")[:limit]
    )


def draw_queries(n: int, count: int, seed: int) -> list[tuple[str, str]]:
    """`count` (query, kind) pairs built from randomly chosen residents of the city."""
    from residents.models import Resident

    rng = random.Random(seed)
    top = Resident.objects.order_by("-pk").values_list("pk", flat=True).first()
    picks = [rng.randint(1, top) for _ in range(count * 2)]
    people = Resident.objects.select_related("household").in_bulk(picks)
    foreign = list(Resident.objects.exclude(nationality="JP").values_list("pk", flat=True)[:2000])
    foreign_people = Resident.objects.in_bulk(rng.sample(foreign, min(len(foreign), count)))
    kinds, weights = list(KINDS), list(KINDS.values())
    out = []
    for pk in picks:
        if len(out) == count:
            break
        r = people.get(pk)
        if r is None:
            continue
        kind = rng.choices(kinds, weights=weights)[0]
        if kind == "alphabet":
            r = foreign_people[rng.choice(list(foreign_people))]
        elif r.nationality != "JP" and kind not in ("date_iso", "address"):
            kind = "alphabet"
        out.append((make_query(r, kind, rng), kind))
    return out


def make_query(r, kind: str, rng: random.Random) -> str:
    from lib.kana import to_hiragana
    from lib.wareki import to_wareki, to_wareki_short

    surname, _, given = r.name.partition("\u3000")
    kana_surname, _, kana_given = r.name_kana.partition("\u3000")
    if kind == "kana_surname":
        return kana_surname
    if kind == "hiragana_full":
        return to_hiragana(r.name_kana).replace("\u3000", " ")
    if kind == "halfwidth_kana":
        return to_halfwidth(kana_surname + kana_given[: rng.randint(1, max(1, len(kana_given)))])
    if kind == "kanji_surname":
        return surname
    if kind == "kanji_full":
        return f"{surname} {given}"
    if kind == "kanji_given":
        return given
    if kind == "date_wareki_short":
        return to_wareki_short(r.birth_date)
    if kind == "date_wareki":
        return to_wareki(r.birth_date)
    if kind == "date_iso":
        return r.birth_date.isoformat()
    if kind == "address":
        h = r.household
        block = h.banchi.split("番地")[0]  # 「3丁目12」 or 「123」
        choice = rng.random()
        if choice < 0.4:
            return h.town + block.split("丁目")[0] + ("丁目" if "丁目" in block else "")
        if choice < 0.8:
            return h.town + block
        return f"{h.city}{h.town}{block.replace('丁目', '-')}"
    if kind == "alphabet":
        words = r.name_alpha.split()
        return (
            " ".join(words[: rng.randint(1, len(words))]).lower()
            if rng.random() < 0.3
            else words[0]
        )
    raise ValueError(kind)


def to_halfwidth(katakana: str) -> str:
    """ｶﾀｶﾅ as an old system or a card reader sends it (the search must widen it)."""
    from lib.kana import COMPOSE, HALFWIDTH_TO_FULLWIDTH

    narrow = {full: chr(half) for half, full in HALFWIDTH_TO_FULLWIDTH.items()}
    voiced = {v: k for k, v in COMPOSE.items() if k[1] in "\u3099\u309a"}
    out = []
    for ch in katakana:
        if ch in narrow:
            out.append(narrow[ch])
        elif ch in voiced:
            base, mark = voiced[ch]
            out.append(narrow.get(base, base) + ("ﾞ" if mark == "\u3099" else "ﾟ"))
        else:
            out.append(ch)
    return "".join(out)


if __name__ == "__main__":
    main()
