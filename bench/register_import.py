"""Benchmark of loading the register from the core system (residents.importer).

    .venv/bin/python bench/register_import.py --json                       # 1,000,000 residents
    .venv/bin/python bench/register_import.py --residents 200000 --json    # a quicker run
    .venv/bin/python bench/register_import.py --database-url postgres://…/madoguchi_x --json

For each database (a fresh SQLite file; and PostgreSQL when --database-url is given, its
residents emptied first): a full load of N residents into an empty register, the same file
again (nothing changes), and a 5,000-row difference (異動分: added, changed, removed). The
files are generated once into var/bench/ (synthetic). The baseline, measured in the same run,
is the plain parse of the same file (csv.reader over every row); the ratio says how many
times that the import takes. Peak RSS of the worker says whether memory stayed bounded.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
HEADER = ["異動区分", "宛名番号", "世帯番号", "氏名", "氏名の振り仮名", "生年月日", "性別", "続柄",
          "郵便番号", "都道府県", "市区町村", "町字", "番地", "方書", "住民となった年月日", "支援措置"]  # fmt: skip
SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("髙橋", "タカハシ"), ("田中", "タナカ"),
            ("山﨑", "ヤマザキ"), ("渡邊", "ワタナベ"), ("伊藤", "イトウ"), ("葛\U000e0100西", "カサイ")]  # fmt: skip
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("健一", "ケンイチ"), ("美咲", "ミサキ"),
         ("翔", "ショウ"), ("陽菜", "ヒナ"), ("大輔", "ダイスケ"), ("葵", "アオイ")]  # fmt: skip
TOWNS = ["北4条東", "春光町", "寿町", "本町", "端野町", "常呂町", "留辺蘂町", "美山町"]


def _row(i: int, rng: random.Random, change="", moved=False):
    household = i // 2 + 1
    # The name is drawn per person from a seed of their own, so a changed row differs in town.
    rng = random.Random(i) if change != "追加" else rng
    surname, skana = SURNAMES[household % len(SURNAMES)]
    given, gkana = GIVEN[rng.randrange(len(GIVEN))]
    town = TOWNS[(household + (3 if moved else 0)) % len(TOWNS)]
    return [change, f"{i:010d}", f"H{household:09d}", f"{surname}\u3000{given}",
            f"{skana}\u3000{gkana}", f"S{rng.randrange(20, 64)}.{rng.randrange(1, 13)}."
            f"{rng.randrange(1, 29)}", "12"[i % 2], "世帯主" if i % 2 == 0 else "妻",
            "0900024", "北海道", "北見市", town, f"{household % 20 + 1}丁目{household % 50 + 1}番地",
            "", "R2.4.1", "1" if household % 997 == 0 else "0"]  # fmt: skip


def write_files(n: int, diff_rows: int) -> tuple[Path, Path]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    full, diff = BENCH_DIR / f"register-{n}.csv", BENCH_DIR / f"register-{n}-diff.csv"
    if not full.exists():
        rng = random.Random(1)
        with open(full, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for i in range(n):
                w.writerow(_row(i, rng))
    if not diff.exists():
        rng = random.Random(2)
        third = diff_rows // 3
        with open(diff, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for k in range(third):  # 転入: new people in new households
                w.writerow(_row(n + 2 * k, rng, "追加"))
            for h in sorted(rng.sample(range(n // 2), third)):  # 転居: a household moves
                w.writerow(_row(2 * h, random.Random(1), "変更", moved=True))
            removed = set()
            while len(removed) < diff_rows - 2 * third:  # 転出
                removed.add(2 * rng.randrange(n // 2) + 1)
            for i in sorted(removed):
                w.writerow(["削除", f"{i:010d}"] + [""] * (len(HEADER) - 2))
    return full, diff


def worker(n: int, full: Path, diff: Path) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from residents.importer import run_import

    call_command("migrate", verbosity=0, skip_checks=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("TRUNCATE residents_resident, residents_household CASCADE")

    started = time.perf_counter()
    with open(full, encoding="utf-8", newline="") as f:
        rows = sum(1 for _ in csv.reader(f)) - 1
    parse = time.perf_counter() - started

    def timed(path, mode):
        t = time.perf_counter()
        report = run_import(path, mode=mode)
        assert report.rejected_count == 0, report.rejected[:5]
        return time.perf_counter() - t, report

    load, first = timed(full, "full")
    again, second = timed(full, "full")
    diff_s, diff_report = timed(diff, "diff")
    diff_lines = diff_report.rows
    return {
        "database": connection.vendor,
        "residents": rows,
        "baseline_csv_parse_s": round(parse, 2),
        "full_load_s": round(load, 1),
        "full_load_rows_per_s": round(rows / load),
        "full_load_vs_parse": round(load / parse, 1),
        "full_load_changes": first.changes,
        "same_file_again_s": round(again, 1),
        "same_file_again_rows_per_s": round(rows / again),
        "same_file_again_changes": second.changes,
        "diff_rows": diff_lines,
        "diff_s": round(diff_s, 2),
        "diff_rows_per_s": round(diff_lines / diff_s),
        "diff_counts": diff_report.residents | {"households": diff_report.households},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--diff-rows", type=int, default=5000)
    parser.add_argument("--database-url", default="", help="also on this PostgreSQL database")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(int(args.worker[0]), Path(args.worker[1]), Path(args.worker[2]))))
        return
    full, diff = write_files(args.residents, args.diff_rows)
    scratch = BENCH_DIR / f"register-{args.residents}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    urls = [f"sqlite:///{scratch}"] + ([args.database_url] if args.database_url else [])
    results = []
    for url in urls:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(args.residents), str(full), str(diff)],
            env=os.environ | {"DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(
            json.dumps(results[-1], ensure_ascii=False), file=sys.stderr
        )  # kept if a later one fails
    if args.json:
        print(json.dumps({"bench": "register_import", "results": results}, ensure_ascii=False))
    else:
        for r in results:
            print(r)


if __name__ == "__main__":
    main()
