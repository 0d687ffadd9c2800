"""Scenario files (../shared/scenarios/FORMAT.md): one visit written as data.

`load_scenario` turns a file into a navigator Case plus the identity data forms print,
and refuses anything FORMAT.md calls invalid with a ScenarioError naming the line.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from catalog import yamlio
from catalog.navigator import Case, Person
from catalog.pack import Pack, default_pack
from lib.wareki import DateParseError, parse_date

# Identity data the navigator ignores and `madoguchi packet` prints.
PERSON_IDENTITY = {
    "id",
    "name",
    "name_kana",
    "name_alpha",
    "mynumber",
    "honseki",
    "hittosha",
    "phone",
    "email",
    "occupation",
    "residence_status",
    "residence_expiry",
    "residence_card_no",
    "note",
}
HOUSEHOLD_IDENTITY = {"address", "old_address", "phone", "email", "note"}
TOP_LEVEL = ("name", "event", "date", "household", "people", "expect", "note", "description")


class ScenarioError(Exception):
    """A scenario that is not valid; str() is `FILE N行目: 何が悪いか`."""

    def __init__(self, file, line: int, message: str):
        self.file, self.line, self.message = str(file), line, message
        where = f"{file} {line}行目" if line else str(file)
        super().__init__(f"{where}: {message}")


@dataclass
class Scenario:
    path: Path
    name: str
    case: Case
    household: dict  # every household field given, identity data included
    people: list[dict]  # every person's fields given, id first
    expect: dict = field(default_factory=dict)


def load_scenario(path, pack: Pack | None = None) -> Scenario:
    path = Path(path)
    pack = pack or default_pack()
    try:
        doc = yamlio.load(path)
    except OSError as e:
        raise ScenarioError(path, 0, f"ファイルが読めません（{e.strerror}）") from None
    except yamlio.YamlProblem as e:
        raise ScenarioError(path, e.line, e.message) from None
    return _Reader(path, pack).scenario(doc)


class _Reader:
    def __init__(self, path: Path, pack: Pack):
        self.path, self.pack = path, pack

    def fail(self, where, message, key=None):
        if key is not None and hasattr(where, "line_of"):
            line = where.line_of(key)
        else:
            line = getattr(where, "line", 0)
        return ScenarioError(self.path, line, message)

    def scenario(self, doc) -> Scenario:
        if not isinstance(doc, dict):
            raise ScenarioError(
                self.path, getattr(doc, "line", 1), "シナリオは「項目: 値」の形で書いてください"
            )
        for key in doc:
            if key not in TOP_LEVEL:
                raise self.fail(
                    doc, f"不明な項目「{key}」です（使える項目: {', '.join(TOP_LEVEL)}）", key
                )
        events = self.events(doc)
        if "date" not in doc:
            raise self.fail(doc, "date（異動日）がありません")
        on = self.date(doc, "date")
        household = doc.get("household") or {}
        if not isinstance(household, dict):
            raise self.fail(doc, "household は「事実: 値」の形で書いてください", "household")
        hh_facts = self.facts(household, "household", HOUSEHOLD_IDENTITY)
        people_doc = doc.get("people")
        if not isinstance(people_doc, list) or not people_doc:
            raise self.fail(
                doc, "people（世帯員の一覧）がありません", "people" if "people" in doc else None
            )
        people, persons, first_line = [], [], {}
        for i, m in enumerate(people_doc):
            if not isinstance(m, dict):
                raise ScenarioError(
                    self.path, people_doc.line_of(i), "世帯員は「事実: 値」の形で書いてください"
                )
            pid = m.get("id")
            if pid in (None, "") or not isinstance(pid, (str, int)):
                raise self.fail(m, "世帯員の id がありません")
            pid = str(pid)
            if pid in first_line:
                raise self.fail(
                    m,
                    f"世帯員の id「{pid}」が2回使われています（最初は {first_line[pid]}行目）",
                    "id",
                )
            first_line[pid] = m.line_of("id")
            facts = self.facts(m, "person", PERSON_IDENTITY)
            facts.setdefault("role", "member")
            persons.append(Person(pid, facts))
            people.append({"id": pid, **{k: v for k, v in self.plain(m).items() if k != "id"}})
        applicants = [p for p in persons if p.facts.get("applicant")]
        if len(applicants) != 1:
            raise self.fail(
                doc,
                f"届出人（applicant: true）はちょうど1人にしてください（{len(applicants)}人います）",
                "people",
            )
        expect = doc.get("expect") or {}
        return Scenario(
            path=self.path,
            name=str(doc.get("name") or self.path.stem),
            case=Case(events=events, date=on, household=hh_facts, people=persons),
            household=self.plain(household),
            people=people,
            expect=self.plain(expect) if isinstance(expect, dict) else {},
        )

    def events(self, doc) -> list[str]:
        raw = doc.get("event")
        if raw in (None, "", []):
            raise self.fail(
                doc, "event（イベント）がありません", "event" if "event" in doc else None
            )
        items = raw if isinstance(raw, list) else [raw]
        for e in items:
            if e not in self.pack.events:
                known = ", ".join(self.pack.events)
                raise self.fail(
                    doc, f"「{e}」というイベントはありません（使えるイベント: {known}）", "event"
                )
        return list(dict.fromkeys(items))

    def date(self, m, key) -> date:
        raw = m[key]
        try:
            return parse_date(str(raw))
        except DateParseError as e:
            raise self.fail(m, f"{key} の日付「{raw}」が正しくありません（{e}）", key) from None

    def facts(self, m, scope, identity) -> dict:
        """The facts given, typed, with FORMAT.md's defaults for what is left out."""
        out = {}
        for key, raw in m.items():
            if key in identity:
                continue
            fact = self.pack.facts.get(key)
            if fact is None:
                raise self.fail(m, f"「{key}」という事実はありません", key)
            if fact.scope != scope:
                where = "世帯（household）" if fact.scope == "household" else "世帯員（people）"
                raise self.fail(m, f"「{key}」は{where}の事実です", key)
            out[key] = self.value(m, key, fact, raw)
        for fact in self.pack.facts.values():
            if fact.scope != scope or fact.id in m:
                continue
            # FORMAT.md: a boolean left out is false (and a set of handbooks, empty);
            # an enum is unknown, except nationality, which is JP.
            if fact.type == "bool":
                out[fact.id] = False
            elif fact.type == "set":
                out[fact.id] = frozenset()
            elif fact.id == "nationality":
                out[fact.id] = "JP"
        return out

    def value(self, m, key, fact, raw):
        if raw == "unknown" or raw is None:
            return None
        if fact.type == "bool":
            if not isinstance(raw, bool):
                raise self.fail(m, f"{key} は true か false（または unknown）で書いてください", key)
            return raw
        if fact.type == "enum":
            value = str(raw)
            if value not in fact.choices:
                raise self.fail(
                    m, f"{key} の値「{raw}」は使えません（{', '.join(fact.choices)}）", key
                )
            return value
        if fact.type == "set":
            items = raw if isinstance(raw, list) else [raw]
            for item in items:
                if str(item) not in fact.choices:
                    raise self.fail(
                        m, f"{key} の値「{item}」は使えません（{', '.join(fact.choices)}）", key
                    )
            return frozenset(str(i) for i in items)
        if fact.type == "date":
            return self.date(m, key)
        if fact.type == "int":
            if not isinstance(raw, int) or isinstance(raw, bool):
                raise self.fail(m, f"{key} は整数で書いてください", key)
            return raw
        return str(raw)

    def plain(self, m):
        """A plain dict/list copy for printing (dates typed, the rest as written)."""
        if isinstance(m, dict):
            out = {}
            for k, v in m.items():
                fact = self.pack.facts.get(k)
                if fact is not None and fact.type == "date" and v not in (None, "unknown"):
                    v = self.date(m, k)
                out[k] = self.plain(v)
            return out
        if isinstance(m, list):
            return [self.plain(v) for v in m]
        return m
