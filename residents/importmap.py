"""How a core system's register extract maps onto the register mirror: a YAML file that a
municipality writes without code (docs/register-import.md), and the reading of one row.

A row is read into a `Record` of the mirror's columns, or refused with a Japanese reason
(RowError). Names are stored exactly as given — IVS, non-BMP and compatibility ideographs
stay; only spaces around a field are dropped (fixed-width extracts pad them). The reasons
never repeat an address or a name: the report goes to whoever ran the import, and a row may
be a 支援措置 resident's.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from lib import wareki
from lib.kana import is_kana
from lib.text import halfwidth_input, unstorable

# The mirror's items (residents.models) with their standard names (resident-record.md).
ITEMS = {
    "person_no": "宛名番号",
    "household_no": "世帯番号",
    "name": "氏名",
    "name_kana": "氏名の振り仮名",
    "name_alpha": "氏名（アルファベット）",
    "birth_date": "生年月日",
    "sex": "性別",
    "relation": "続柄",
    "zip": "郵便番号",
    "pref": "都道府県",
    "city": "市区町村",
    "town": "町字",
    "banchi": "番地",
    "katagaki": "方書",
    "resident_since": "住民となった年月日",
    "support_measure": "支援措置",
    "nationality": "国籍・地域",
    "residence_status": "在留資格",
    "residence_expiry": "在留期間の満了日",
    "residence_card_no": "在留カード番号",
    "section_30_45": "法30条の45区分",
    "change": "異動区分",
}
ADDRESS = ("zip", "pref", "city", "town", "banchi", "katagaki")
# Lengths of the model's columns: a longer value is refused, never cut.
LIMITS = {
    "person_no": 20,
    "household_no": 20,
    "name": 100,
    "name_kana": 100,
    "name_alpha": 100,
    "relation": 30,
    "zip": 7,
    "pref": 10,
    "city": 30,
    "town": 60,
    "banchi": 60,
    "katagaki": 100,
    "nationality": 40,
    "residence_status": 40,
    "residence_card_no": 12,
    "section_30_45": 20,
}
REQUIRED = ("person_no", "household_no", "name", "birth_date", "sex", "relation", "town")
CHANGES = ("added", "changed", "removed")
SEXES = {"1": "1", "2": "2", "9": "9", "0": "0", "男": "1", "女": "2"}
CHANGE_WORDS = {
    "added": "added",
    "changed": "changed",
    "removed": "removed",
    "追加": "added",
    "変更": "changed",
    "削除": "removed",
    "消除": "removed",
}
TRUE_WORDS = {"1", "true", "yes", "y", "有", "あり", "対象", "○", "〇"}
FALSE_WORDS = {"", "0", "false", "no", "n", "無", "なし", "対象外"}
# 続柄 (resident-record.md): whole words, or chains of these with の up to four steps.
RELATION_WORDS = {"世帯主", "縁故者", "同居人"}
RELATION_STEPS = {"夫", "妻", "夫(未届)", "妻(未届)", "子", "父", "母", "兄", "姉", "弟", "妹"}
_PAD = " \t\u3000"


class MappingError(ValueError):
    """The mapping file itself is wrong: nothing is read."""


class RowError(ValueError):
    """One row refused; the message is the reason shown in the report."""


@dataclass(frozen=True)
class Record:
    """One resident as the mirror stores it (dates as ISO text, '' when empty)."""

    change: str  # added / changed / removed in a difference file; "" in a full load
    person_no: str
    household_no: str = ""
    name: str = ""
    name_kana: str = ""
    name_alpha: str = ""
    birth_date: str = ""
    sex: str = ""
    relation: str = ""
    nationality: str = "JP"
    residence_status: str = ""
    residence_expiry: str = ""
    residence_card_no: str = ""
    section_30_45: str = ""
    resident_since: str = ""
    support_measure: bool = False
    zip: str = ""
    pref: str = ""
    city: str = ""
    town: str = ""
    banchi: str = ""
    katagaki: str = ""


RESIDENT_FIELDS = (
    "name",
    "name_kana",
    "name_alpha",
    "birth_date",
    "sex",
    "relation",
    "nationality",
    "residence_status",
    "residence_expiry",
    "residence_card_no",
    "section_30_45",
    "resident_since",
    "support_measure",
)


@dataclass
class Mapping:
    """Which column holds which item, how its dates and codes are written."""

    columns: dict[str, list[str]]
    date_formats: list[str] = field(default_factory=lambda: ["wareki"])
    codes: dict[str, dict[str, object]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    format: str = ""  # csv / json; "" from the file's suffix
    encoding: str = ""  # utf-8 / cp932; "" to tell from the file
    delimiter: str = ","

    @classmethod
    def default(cls) -> "Mapping":
        """Columns named by the standard's items (ITEMS' Japanese names), as the sample is."""
        return cls(columns={item: [name] for item, name in ITEMS.items()})

    @classmethod
    def load(cls, path: str | Path) -> "Mapping":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise MappingError(f"対応表 {path} を読めません: {e}") from e
        return cls.from_dict(data)

    @classmethod
    def parse(cls, text: str | bytes) -> "Mapping":
        """A mapping sent as text (the API's `mapping` part)."""
        try:
            return cls.from_dict(yaml.safe_load(text))
        except yaml.YAMLError as e:
            raise MappingError(f"対応表を YAML として読めません: {e}") from e

    @classmethod
    def from_dict(cls, data) -> "Mapping":
        if not isinstance(data, dict):
            raise MappingError("対応表は YAML のマッピング（項目: 値）で書いてください。")
        unknown = set(data) - {"columns", "dates", "codes", "defaults", "format", "encoding",
                               "delimiter"}  # fmt: skip
        if unknown:
            raise MappingError(f"対応表に知らない項目があります: {', '.join(sorted(unknown))}")
        columns = data.get("columns") or {}
        if not isinstance(columns, dict):
            raise MappingError("columns は「項目: 列名」で書いてください。")
        bad = set(columns) - set(ITEMS)
        if bad:
            raise MappingError(
                f"columns に知らない項目があります: {', '.join(sorted(bad))}"
                f"（使える項目: {', '.join(ITEMS)}）"
            )
        merged = {item: [name] for item, name in ITEMS.items()}
        for item, source in columns.items():
            merged[item] = [str(s) for s in source] if isinstance(source, list) else [str(source)]
        dates = data.get("dates", ["wareki"])
        dates = [dates] if isinstance(dates, str) else list(dates)
        for f in dates:
            if f != "wareki" and "%" not in str(f):
                raise MappingError(f"dates の {f} は wareki か strftime の書式（%Y/%m/%d）です。")
        codes = data.get("codes") or {}
        if not isinstance(codes, dict) or not all(isinstance(v, dict) for v in codes.values()):
            raise MappingError("codes は「項目: {元の値: 値}」で書いてください。")
        defaults = {str(k): str(v) for k, v in (data.get("defaults") or {}).items()}
        if set(defaults) - set(ITEMS):
            raise MappingError("defaults に知らない項目があります。")
        fmt = str(data.get("format", "")).lower()
        if fmt not in ("", "csv", "json"):
            raise MappingError("format は csv か json です。")
        encoding = normal_encoding(data.get("encoding", ""))
        return cls(
            columns=merged,
            date_formats=[str(f) for f in dates],
            codes={item: {str(k): v for k, v in table.items()} for item, table in codes.items()},
            defaults=defaults,
            format=fmt,
            encoding=encoding,
            delimiter=str(data.get("delimiter", ",")),
        )

    # -- reading one row ------------------------------------------------------------------------

    def missing_columns(self, header: list[str], *, diff: bool) -> list[str]:
        """The required items whose columns the file's header does not have."""
        needed = ["person_no"] + (["change"] if diff else list(REQUIRED[1:]))
        return [
            f"{ITEMS[item]}（列「{'・'.join(self.columns[item])}」）"
            for item in needed
            if item not in self.defaults and not all(c in header for c in self.columns[item])
        ]

    def _value(self, row: dict, item: str) -> str:
        columns = self.columns[item]
        if len(columns) == 1:  # the common case, kept short: a million rows pass here 22 times
            v = row.get(columns[0])
            if v.__class__ is str:
                text = v.strip(_PAD)
            elif v is None:
                text = ""
            else:
                text = ("1" if v else "0") if isinstance(v, bool) else str(v).strip(_PAD)
        else:
            parts = [_text(row.get(c)) for c in columns]
            # 氏 and 名 in two columns are one name, separated as the mirror keeps it (U+3000).
            text = "\u3000".join(p for p in parts if p)
        return text or self.defaults.get(item, "")

    def _code(self, item: str, text: str):
        table = self.codes.get(item)
        if table is not None and text in table:
            return table[text]
        return text

    def _date(self, item: str, text: str) -> str:
        if not text:
            return ""
        for f in self.date_formats:
            try:
                if f == "wareki":
                    return wareki.parse_date(text).isoformat()
                return datetime.strptime(text, f).date().isoformat()
            except ValueError:
                continue
        raise RowError(f"{ITEMS[item]}を日付として読めません（{text}）")

    def read(self, row: dict, *, diff: bool) -> Record:
        """One source row as a Record; RowError with the reason when it cannot be stored."""
        v = {item: self._value(row, item) for item in ITEMS}
        if unstorable("".join(v.values())):  # one scan of the row; then name the item
            for item, text in v.items():
                if bad := unstorable(text):
                    raise RowError(f"{ITEMS[item]}に保存できない文字（{bad}）があります")
        change = ""
        if diff:
            word = self._code("change", v["change"])
            change = CHANGE_WORDS.get(str(word), "")
            if not change:
                raise RowError(
                    f"異動区分が読めません（{v['change'] or '空'}）：追加・変更・削除のいずれかです"
                )
        if not v["person_no"]:
            raise RowError("宛名番号がありません")
        for item in ("person_no", "household_no"):
            if len(v[item]) > LIMITS[item]:
                raise RowError(f"{ITEMS[item]}が長すぎます（{LIMITS[item]} 文字まで）")
        if change == "removed":
            return Record(change=change, person_no=v["person_no"])
        if not v["name"] and v["name_alpha"]:
            v["name"] = v["name_alpha"]  # a foreign resident known by the alphabet name only
        for item in REQUIRED:
            if not v[item]:
                raise RowError(f"{ITEMS[item]}がありません")
        for item, limit in LIMITS.items():
            if len(v[item]) > limit and item != "zip":
                raise RowError(f"{ITEMS[item]}が長すぎます（{limit} 文字まで）")
        sex = str(self._code("sex", v["sex"]))
        sex = SEXES.get(halfwidth_input(sex), "")
        if not sex:
            raise RowError(f"性別が読めません（{v['sex']}）")
        relation = relation_of(str(self._code("relation", v["relation"])))
        if relation is None:
            raise RowError(f"続柄が読めません（{v['relation']}）")
        zip_code = halfwidth_input(v["zip"]).replace("-", "").replace("〒", "").strip()
        if zip_code and not re.fullmatch(r"\d{7}", zip_code):
            raise RowError("郵便番号は 7 桁の数字です")
        kana = v["name_kana"]
        if kana and not is_kana(kana):
            raise RowError("氏名の振り仮名にカナ以外の文字があります")
        flag = self._code("support_measure", v["support_measure"])
        if isinstance(flag, bool):
            support = flag
        elif str(flag).lower() in TRUE_WORDS:
            support = True
        elif str(flag).lower() in FALSE_WORDS:
            support = False
        else:
            raise RowError(f"支援措置の値が読めません（{flag}）：1/0、有/無などです")
        nationality = str(self._code("nationality", v["nationality"])) or "JP"
        birth = self._date("birth_date", v["birth_date"])
        if birth > date.today().isoformat():
            raise RowError("生年月日が未来の日付です")
        if not v["pref"] or not v["city"]:
            raise RowError("住所の都道府県・市区町村がありません（対応表の defaults で補えます）")
        if not v["banchi"]:
            raise RowError("番地がありません")
        return Record(
            change=change,
            person_no=v["person_no"],
            household_no=v["household_no"],
            name=v["name"],
            name_kana=kana,
            name_alpha=v["name_alpha"],
            birth_date=birth,
            sex=sex,
            relation=relation,
            nationality=nationality,
            residence_status=str(self._code("residence_status", v["residence_status"])),
            residence_expiry=self._date("residence_expiry", v["residence_expiry"]),
            residence_card_no=v["residence_card_no"],
            section_30_45=str(self._code("section_30_45", v["section_30_45"])),
            resident_since=self._date("resident_since", v["resident_since"]),
            support_measure=support,
            zip=zip_code,
            pref=v["pref"],
            city=v["city"],
            town=v["town"],
            banchi=v["banchi"],
            katagaki=v["katagaki"],
        )


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v).strip(_PAD)


def normal_encoding(name) -> str:
    text = str(name or "").lower().replace("_", "-")
    if text in ("", "auto"):
        return ""
    if text in ("utf-8", "utf8", "utf-8-sig"):
        return "utf-8"
    if text in ("cp932", "shift-jis", "shift_jis", "sjis", "windows-31j", "ms932"):
        return "cp932"
    raise MappingError(f"文字コード {name} は使えません（utf-8 か cp932）。")


def relation_of(text: str) -> str | None:
    """The 続柄 as the mirror writes it (half-width parentheses), or None if not one."""
    text = text.replace("（", "(").replace("）", ")").strip()
    if text in RELATION_WORDS:
        return text
    steps = text.split("の")
    if 1 <= len(steps) <= 4 and all(s in RELATION_STEPS for s in steps):
        return text
    return None
