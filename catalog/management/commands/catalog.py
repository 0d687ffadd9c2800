"""`madoguchi catalog check|export|import|diff`: catalog packs as files a city hands on.

    madoguchi catalog check [PATH]            every problem with file and line; exit 1 if any
    madoguchi catalog export [PATH] -o FILE   the pack (an overlay merged with its base) as one YAML
    madoguchi catalog import FILE -o DIR      an export back into a pack folder
    madoguchi catalog diff A B                what B does differently from A (folders or exports)

PATH defaults to the pack the counter runs on: settings.CATALOG_DIR, or the tenant's
(`madoguchi --tenant CODE catalog check`).
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from catalog.exchange import (
    ExchangeError,
    diff_packs,
    export_pack,
    import_pack,
    left_out,
    open_pack,
)
from catalog.pack import PackError, check_pack, default_dir, load_pack


class Command(BaseCommand):
    help = "カタログ（手続の規則のパック）を検査・書き出し・読み込み・比較します。"
    # Files in, files out: no database, so no system checks to pay for.
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{check,export,import,diff}"
        )
        check = sub.add_parser("check", help="すべての問題をファイル名と行で表示する")
        check.add_argument("path", nargs="?", help="カタログのフォルダ（省略時は使用中のもの）")
        export = sub.add_parser("export", help="1つのYAMLファイルに書き出す")
        export.add_argument("path", nargs="?", help="カタログのフォルダ（省略時は使用中のもの）")
        export.add_argument("-o", "--output", required=True, help="書き出すファイル（.yaml）")
        imp = sub.add_parser("import", help="書き出しファイルをカタログのフォルダに戻す")
        imp.add_argument("file", help="書き出しファイル")
        imp.add_argument("-o", "--output", required=True, help="作るフォルダ（空か新しいもの）")
        diff = sub.add_parser("diff", help="2つのカタログの違いを表示する")
        diff.add_argument("a", help="比べる元（フォルダか書き出しファイル）")
        diff.add_argument("b", help="比べる先（フォルダか書き出しファイル）")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _path(self, path) -> Path:
        return Path(path) if path else default_dir()  # the current tenant's (--tenant)

    def _check(self, path=None, **_):
        root = self._path(path)
        problems = check_pack(root)
        for p in problems:
            mark = "（当てはまらない規則）" if p.kind == "never" else ""
            self.stdout.write(f"{p}{mark}")
        if problems:
            raise CommandError(f"{root}: 問題が{len(problems)}件あります", returncode=1)
        pack = load_pack(root)
        rules = sum(len(p.variants) for p in pack.procedures.values())
        self.stdout.write(
            f"問題はありません: {pack.name} {pack.version}（担当課 {len(pack.departments)}・"
            f"届出 {len(pack.events)}・事実 {len(pack.facts)}・手続 {len(pack.procedures)}・"
            f"規則 {rules}・ファイル {len(pack.files)}）"
        )

    def _export(self, path=None, output=None, **_):
        pack = self._load(self._path(path))
        export_pack(pack, Path(output))
        for path in left_out(pack):
            self.stdout.write(f"書き出していません（YAMLではないファイル）: {path}")
        self.stdout.write(f"{output} に書き出しました: {pack.name} {pack.version}")

    def _import(self, file=None, output=None, **_):
        try:
            folder = import_pack(Path(file), Path(output))
        except ExchangeError as e:
            raise CommandError(str(e), returncode=2) from None
        problems = check_pack(folder)
        for p in problems:
            self.stdout.write(str(p))
        if any(p.kind == "error" for p in problems):
            raise CommandError(f"{folder}: 読み込んだカタログに問題が{len(problems)}件あります")
        pack = load_pack(folder)
        self.stdout.write(f"{folder} に読み込みました: {pack.name} {pack.version}")

    def _diff(self, a=None, b=None, **_):
        self.stdout.write("\n".join(diff_packs(self._load(Path(a)), self._load(Path(b)))))

    def _load(self, path: Path):
        try:
            return open_pack(path)
        except PackError as e:
            more = (
                f"（ほか{len(e.problems) - 1}件。catalog check で一覧）"
                if len(e.problems) > 1
                else ""
            )
            raise CommandError(f"カタログを読み込めません: {e}{more}") from None
        except ExchangeError as e:
            raise CommandError(str(e), returncode=2) from None
