"""`madoguchi navigate SCENARIO.yaml [--json]`: the navigator on a scenario file.

--json prints FORMAT.md's object, which ../shared/tools/check-scenarios and outside checks
read; without it, a table for people. A scenario that is not valid exits 2.
"""

import json
import unicodedata

from django.core.management import BaseCommand, CommandError

from catalog.navigator import navigate
from catalog.pack import KIND_LABELS, PackError, default_pack
from catalog.scenario import ScenarioError, load_scenario
from lib.wareki import to_wareki


class Command(BaseCommand):
    help = "シナリオファイルの来庁について、必要な手続の一覧を表示します。"
    # Pure computation on files: no database, no URLs, so no system checks to pay for.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="シナリオファイル（YAML）")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="FORMAT.md の JSON で出力する"
        )

    def handle(self, *args, scenario, as_json=False, **options):
        try:
            pack = default_pack()
        except PackError as e:
            raise CommandError(f"カタログを読み込めません: {e}") from None
        try:
            sc = load_scenario(scenario, pack)
        except ScenarioError as e:
            raise CommandError(str(e), returncode=2) from None
        results = navigate(pack, sc.case)
        if as_json:
            self.stdout.write(_json_dumps({"procedures": [r.as_json() for r in results]}))
        else:
            self.stdout.write(_table(pack, sc, results))


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _width(text: str) -> int:
    return sum(
        2
        if unicodedata.east_asian_width(c) in "WF"
        else 0
        if unicodedata.combining(c) or 0xE0100 <= ord(c) <= 0xE01EF
        else 1
        for c in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _width(text))


def _table(pack, sc, results) -> str:
    names = {p["id"]: p.get("name") or p["id"] for p in sc.people}
    events = "・".join(pack.events[e].name for e in sc.case.events)
    lines = [
        sc.name,
        f"届出: {events}　異動日: {to_wareki(sc.case.date)}　カタログ: {pack.name} {pack.version}",
    ]
    title_w = max((_width(r.title) for r in results), default=0) + 2
    who_w = max((_width(names.get(r.person, "来庁ごと")) for r in results), default=0) + 2
    dept = None
    for r in results:
        if r.department != dept:
            dept = r.department
            lines += ["", f"■ {r.department_name}（{r.location}）"]
        mark = "●" if r.status == "applies" else "？"
        who = names.get(r.person, r.person) if r.person else "来庁ごと"
        due = f"期限 {to_wareki(r.deadline)}" if r.deadline else ""
        lines.append(
            f"  {mark} {_pad(r.title, title_w)}{_pad(who, who_w)}"
            f"{_pad(KIND_LABELS[r.kind], 8)}{due}".rstrip()
        )
        lines.append(f"      {r.reason}")
        if r.question:
            lines.append(f"      質問: {r.question}")
        if r.bring:
            lines.append(f"      持ち物: {'、'.join(r.bring)}")
    applies = sum(r.status == "applies" for r in results)
    lines += ["", f"該当 {applies}件・要確認 {len(results) - applies}件"]
    return "\n".join(lines)
