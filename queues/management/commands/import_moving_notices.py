import csv
import io
import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from queues import prepare

# Without --encoding: UTF-8 (with or without BOM) as a core system exports, else Shift_JIS as
# Windows extends it (CP932: ①, ㈱, 髙 …), which Japanese Excel writes for 「CSV（コンマ区切り）」.
# CP932 text is almost never valid UTF-8, so trying UTF-8 first cannot misread it.


class Command(BaseCommand):
    help = "転入予約（引越しワンストップ）の異動情報を CSV か JSON から取り込み、転入の来庁を準備します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help='*.json（{"notices": [...]}）か *.csv（1行1人、UTF-8 か Shift_JIS）'
        )
        parser.add_argument(
            "--encoding",
            help="文字コード（utf-8、cp932 など）。省略時は UTF-8、読めなければ Shift_JIS（CP932）",
        )
        parser.add_argument("--no-print", action="store_true", help="申請書の事前印刷をしない")

    def handle(self, *args, file, encoding, no_print, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} がありません。")
        text = _decode(path.read_bytes(), encoding, path.name)
        if path.suffix.lower() == ".csv":
            items, where = _csv_notices(text, path.name)
        else:
            items = _json_notices(text, path.name)
            where = [""] * len(items)
        results = prepare.import_notices(items, print_packet=not no_print)
        counts = {}
        for result, at in zip(results, where, strict=True):
            status = result["status"]
            counts[status] = counts.get(status, 0) + 1
            if status in ("error", "conflict"):
                self.stderr.write(f"{at}{result['message']}")
            else:
                line = f"{result['予約番号']}: {result['visit'] or '-'} {result.get('note', '')}"
                self.stdout.write(line.rstrip() + ("（更新）" if status == "updated" else ""))
        failed = counts.get("error", 0) + counts.get("conflict", 0)
        self.stdout.write(
            f"取込 {counts.get('created', 0)} 件、更新 {counts.get('updated', 0)} 件、"
            f"取込済み {counts.get('already_imported', 0)} 件、"
            f"来庁済みで反映せず {counts.get('conflict', 0)} 件、エラー {counts.get('error', 0)} 件"
        )
        if failed:
            raise CommandError(f"{failed} 件を取り込めませんでした（理由は上に表示）。")


def _decode(data: bytes, encoding: str | None, name: str) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise CommandError(
                f"文字コード {encoding} は使えません（utf-8、cp932 など）。"
            ) from None
        except UnicodeDecodeError as e:
            raise CommandError(
                f"{name} を {encoding} として読めません（{e.start + 1} バイト目）。"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        first = e.start + 1
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise CommandError(
            f"{name} の文字コードが UTF-8 でも Shift_JIS（CP932）でもありません"
            f"（UTF-8 として {first} バイト目）。--encoding で指定してください。"
        ) from None


def _json_notices(text: str, name: str) -> list:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as e:
        ended = e.pos >= len(text.rstrip())
        raise CommandError(
            f"{name} を JSON として読めません（{e.lineno} 行 {e.colno} 文字目"
            + ("でファイルが終わっています。途中で切れていないか確かめてください" if ended else "")
            + "）。"
        ) from None
    except (ValueError, RecursionError):
        raise CommandError(
            f"{name} を JSON として読めません（数値が大きすぎるか、入れ子が深すぎます）。"
        ) from None
    items = body.get("notices") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise CommandError(f'{name} は {{"notices": [...]}} かお知らせの配列にしてください。')
    return items


def _csv_notices(text: str, name: str) -> tuple[list, list]:
    """The notices and, for each, where its rows are (「CSV 2〜3行目 」) for the messages."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows, lines = [], {}
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [h for h in ("予約番号", "来庁予定日", "氏名") if h not in header]
        if missing:
            raise CommandError(
                f"{name} の1行目（見出し）に {'、'.join(missing)} がありません"
                "（docs/queue.md の見出しで書いてください）。"
            )
        for row in reader:
            if not any((v or "").strip() for k, v in row.items() if k):
                continue  # Excel's empty lines at the end
            rows.append(row)
            key = next(((v or "").strip() for k, v in row.items() if k and k.strip() == "予約番号"))
            lines.setdefault(key, []).append(reader.line_num)
    except csv.Error as e:
        raise CommandError(
            f"{name} の {reader.line_num} 行目を CSV として読めません"
            '（引用符 " の対応や、1 つの欄が長すぎないかを確かめてください）。'
        ) from e
    notices = prepare.rows_to_notices(rows)
    where = []
    for n in notices:
        at = lines.get(n["予約番号"], [])
        span = f"{at[0]}行目" if len(at) == 1 else f"{at[0]}〜{at[-1]}行目" if at else ""
        where.append(f"CSV {span} " if span else "")
    return notices, where
