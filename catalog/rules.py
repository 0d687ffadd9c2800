"""The rule language of catalog packs: a small, Python-looking expression language.

    has_mynumber_card and age >= 65
    health_insurance in (kokuho, none) and koki_age < 75 and not joins_spouse_insurance
    main_earner and not public_servant and h.any(moving and child18)
    h.count(role != deceased and age >= 15) >= setting.setainushi_henko_min_remaining

A rule is parsed once with `ast` in a restricted form (never evaluated by Python) and
compiled to a tree of nodes (catalog.nodes), which evaluate with the three-valued logic
of life-events.md §2 and explain themselves in the pack's words.
"""

import ast
from dataclasses import dataclass

# The nodes are part of this module's interface: the navigator, lint and describe, and
# code written against `catalog.rules` before the nodes had a module of their own.
from catalog.nodes import (
    AgeVal,
    And,
    Any,
    ChildUntil,
    Const,
    CountVal,
    DerivedBool,
    Env,
    EventsHas,
    EventVal,
    FactBool,
    FactVal,
    Member,
    Node,
    Not,
    NumCmp,
    Or,
    PackDerived,
    SetHas,
    SetNonEmpty,
    Subject,
    Value,
    View,
)

__all__ = [
    "BUILTIN_BOOL",
    "BUILTIN_INT",
    "RESERVED",
    "AgeVal",
    "And",
    "Any",
    "ChildUntil",
    "Compiler",
    "Const",
    "CountVal",
    "DerivedBool",
    "Env",
    "EventVal",
    "EventsHas",
    "FactBool",
    "FactVal",
    "Member",
    "Node",
    "Not",
    "NumCmp",
    "Or",
    "PackDerived",
    "RuleError",
    "SetHas",
    "SetNonEmpty",
    "Subject",
    "Value",
    "View",
]


class RuleError(Exception):
    """A rule that cannot be compiled; `line` counts from 0 inside the rule text."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


# A chained comparison written with the value on the right: `65 <= age` is `age >= 65`.
_FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}


# --- the compiler --------------------------------------------------------------------


@dataclass
class Symbol:
    """A bare word that is not a fact (kokuho, 世帯主, tennyu): a value for a comparison."""

    text: str


@dataclass
class Lit:
    value: object


@dataclass
class EventsVar:
    pass


# Derived values computed once per person (navigator._view) and the fact they come from.
BUILTIN_INT = {"age": "birth_date", "koki_age": "birth_date"}
BUILTIN_BOOL = {
    "child18": "birth_date",
    "school_age": "birth_date",
    "preschool": "birth_date",
    "enters_school": "birth_date",
    "is_head": "relation",
}
RESERVED = {
    *BUILTIN_INT,
    *BUILTIN_BOOL,
    "subject",
    "event",
    "events",
    "h",
    "setting",
    "child_until",
}


class Compiler:
    """Turns rule text into nodes, checking every name against the pack.

    facts: id -> object with .type, .scope, .label, .choices (dict), .yes, .no, .unit
    phrases: builtin derived name -> (yes, no); derived: pack-defined name -> PackDerived
    """

    def __init__(self, facts, event_names, phrases, settings):
        self.facts = facts
        self.event_names = event_names
        self.phrases = phrases
        self.settings = settings
        self.derived: dict[str, PackDerived] = {}
        self.defining_subjects = False  # events.yaml: `subject` would refer to itself

    def compile(self, source, *, person: bool) -> Node:
        if isinstance(source, bool):
            return Const(source)
        if not isinstance(source, str) or not source.strip():
            raise RuleError("規則が書かれていません（式か true を書いてください）")
        text = source.strip()
        try:
            # The parentheses let a rule run over several lines of a block scalar.
            tree = ast.parse("(" + text + "\n)", mode="eval")
        except SyntaxError as e:
            # An expression cut short is reported on the closing line we added: clamp it.
            line = min((e.lineno or 1) - 1, text.count("\n"))
            raise RuleError(f"規則の書き方が正しくありません（{e.msg}）", line) from None
        return self._bool(tree.body, person)

    # Every error names the construct; `line` is where it sits in the rule text.
    def _err(self, node, message):
        return RuleError(message, getattr(node, "lineno", 1) - 1)

    def _bool(self, n, person) -> Node:
        if isinstance(n, ast.BoolOp):
            parts = [self._bool(v, person) for v in n.values]
            return And(parts) if isinstance(n.op, ast.And) else Or(parts)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
            return Not(self._bool(n.operand, person))
        if isinstance(n, ast.Constant) and isinstance(n.value, bool):
            return Const(n.value)
        if isinstance(n, ast.Compare):
            return self._compare(n, person)
        if isinstance(n, ast.Call):
            return self._call_bool(n, person)
        if isinstance(n, ast.Attribute):
            return self._household_bool(n)
        if isinstance(n, ast.Name):
            return self._name_bool(n, person)
        raise self._err(n, f"規則にこの書き方は使えません（{type(n).__name__}）")

    def _need_person(self, n, name, person):
        if not person:
            raise self._err(
                n,
                f"来庁ごとの手続きでは人についての「{name}」は使えません"
                "（h.any(...) で世帯員を調べてください）",
            )

    def _name_bool(self, n, person) -> Node:
        name = n.id
        if name in BUILTIN_BOOL:
            self._need_person(n, name, person)
            yes, no = self.phrases.get(name, (name, f"{name}以外"))
            return DerivedBool(name, yes, no, BUILTIN_BOOL[name])
        if name == "subject":
            if self.defining_subjects:
                raise self._err(n, "イベントの対象者の規則に subject は書けません")
            self._need_person(n, name, person)
            return Subject()
        if name in self.derived:
            self._need_person(n, name, person)
            return self.derived[name]
        fact = self.facts.get(name)
        if fact is None:
            raise self._err(n, f"「{name}」という事実はありません")
        if fact.scope == "household":
            raise self._err(n, f"「{name}」は世帯の事実です。h.{name} と書いてください")
        self._need_person(n, name, person)
        return self._fact_bool(n, fact, household=False)

    def _household_bool(self, n) -> Node:
        fact = self._household_fact(n)
        return self._fact_bool(n, fact, household=True)

    def _household_fact(self, n):
        if not (isinstance(n.value, ast.Name) and n.value.id == "h"):
            raise self._err(n, "「.」は h.事実 または setting.設定 の形でだけ使えます")
        fact = self.facts.get(n.attr)
        if fact is None:
            raise self._err(n, f"「{n.attr}」という事実はありません")
        if fact.scope != "household":
            raise self._err(n, f"「{n.attr}」は人の事実です。h. を付けずに書いてください")
        return fact

    def _fact_bool(self, n, fact, household) -> Node:
        if fact.type == "bool":
            return FactBool(fact.id, fact.yes, fact.no, household)
        if fact.type == "set":
            return SetNonEmpty(fact.id, fact.yes, fact.no, household, fact.choices)
        raise self._err(
            n,
            f"「{fact.id}」ははい・いいえの事実ではありません（{fact.id} == 値 のように比べてください）",
        )

    def _call_bool(self, n, person) -> Node:
        fn = self._func_name(n)
        if fn in ("h.any", "h.any_other"):
            if fn == "h.any_other":
                self._need_person(n, fn, person)
            return Any(self._one_arg_rule(n), other=fn == "h.any_other")
        if fn == "child_until":
            self._need_person(n, fn, person)
            if len(n.args) != 1 or n.keywords:
                raise self._err(n, "child_until には年齢を1つ渡してください（例: child_until(18)）")
            years = self._operand(n.args[0], person)
            if not (isinstance(years, Lit) and type(years.value) is int):
                raise self._err(n, "child_until の年齢は数で書いてください")
            yes, no = self.phrases.get("child_until", ("{n}歳年度末まで", "{n}歳年度末経過"))
            return ChildUntil(years.value, yes, no)
        raise self._err(
            n, f"「{fn}」は使えない関数です（h.any, h.any_other, h.count, child_until）"
        )

    def _func_name(self, n) -> str:
        f = n.func
        if isinstance(f, ast.Name):
            return f.id
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            return f"{f.value.id}.{f.attr}"
        raise self._err(n, "この関数の呼び方は使えません")

    def _one_arg_rule(self, n) -> Node:
        if len(n.args) != 1 or n.keywords:
            raise self._err(n, "h.any / h.count には条件を1つ渡してください")
        return self._bool(n.args[0], True)

    # Operands of comparisons ------------------------------------------------------

    def _operand(self, n, person):
        if isinstance(n, ast.Constant):
            if isinstance(n.value, bool) or not isinstance(n.value, (int, str)):
                raise self._err(n, f"この値は比較に使えません（{n.value!r}）")
            return Lit(n.value)
        if isinstance(n, (ast.Tuple, ast.List)):
            items = [self._operand(e, person) for e in n.elts]
            if not all(isinstance(i, (Lit, Symbol)) for i in items):
                raise self._err(n, "( ) の中には値だけを書いてください")
            return items
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            inner = self._operand(n.operand, person)
            if isinstance(inner, Lit) and type(inner.value) is int:
                return Lit(-inner.value)
        if isinstance(n, ast.Attribute):
            if isinstance(n.value, ast.Name) and n.value.id == "setting":
                if n.attr not in self.settings:
                    raise self._err(
                        n, f"「setting.{n.attr}」という設定はありません（pack.yaml の settings）"
                    )
                return Lit(self.settings[n.attr])
            fact = self._household_fact(n)
            return FactVal(fact.id, fact.label, fact.choices, fact.unit, True), fact
        if isinstance(n, ast.Call):
            fn = self._func_name(n)
            if fn in ("h.count", "h.count_other"):
                if fn == "h.count_other":
                    self._need_person(n, fn, person)
                return CountVal(self._one_arg_rule(n), other=fn == "h.count_other"), None
            raise self._err(n, f"「{fn}」は比較に使えない関数です（h.count）")
        if isinstance(n, ast.Name):
            name = n.id
            if name in BUILTIN_INT:
                self._need_person(n, name, person)
                return AgeVal(name), None
            if name == "event":
                return EventVal(self.event_names), "event"
            if name == "events":
                return EventsVar()
            fact = self.facts.get(name)
            if fact is not None:
                if fact.scope == "household":
                    raise self._err(n, f"「{name}」は世帯の事実です。h.{name} と書いてください")
                self._need_person(n, name, person)
                return FactVal(fact.id, fact.label, fact.choices, fact.unit, False), fact
            if name in BUILTIN_BOOL or name in self.derived or name == "subject":
                raise self._err(
                    n, f"「{name}」ははい・いいえの値です。比較せずにそのまま書いてください"
                )
            return Symbol(name)
        raise self._err(n, f"比較にこの書き方は使えません（{type(n).__name__}）")

    def _compare(self, n, person) -> Node:
        operands = [self._operand(x, person) for x in [n.left, *n.comparators]]
        ops = [type(o) for o in n.ops]
        if len(ops) == 1 and ops[0] in (ast.In, ast.NotIn):
            return self._membership(n, operands[0], operands[1], ops[0] is ast.NotIn)
        names = {
            ast.Eq: "==",
            ast.NotEq: "!=",
            ast.Lt: "<",
            ast.LtE: "<=",
            ast.Gt: ">",
            ast.GtE: ">=",
        }
        if any(o not in names for o in ops):
            raise self._err(n, "in / not in は1つの比較に1つだけ書けます")
        typed = [i for i, o in enumerate(operands) if isinstance(o, tuple)]
        if len(typed) != 1:
            what = "値どうし" if not typed else "事実どうし"
            raise self._err(n, f"{what}は比べられません（事実と値を比べてください）")
        value, info = operands[typed[0]]
        if isinstance(value, (AgeVal, CountVal)) or (
            info is not None and getattr(info, "type", None) == "int"
        ):
            bounds = []
            for i, op in enumerate(ops):
                a, b, sym = operands[i], operands[i + 1], names[op]
                if a is operands[typed[0]]:
                    other, op_text = b, sym
                elif b is operands[typed[0]]:
                    other, op_text = a, _FLIP[sym]
                else:
                    raise self._err(n, "連続した比較は、どれも同じ事実について書いてください")
                if not (isinstance(other, Lit) and type(other.value) is int):
                    raise self._err(n, "数と比べてください")
                bounds.append((op_text, other.value))
            return NumCmp(value, bounds)
        kind = info if info == "event" else getattr(info, "type", None)
        if kind == "bool":
            raise self._err(
                n, f"「{info.id}」ははい・いいえの事実です。比較せずにそのまま書いてください"
            )
        if kind == "set":
            raise self._err(n, f"「{info.id}」は「値 in {info.id}」の形で調べてください")
        if kind not in ("enum", "text", "event"):
            raise self._err(n, f"「{info.id}」（{kind}）はこの形では比べられません")
        if len(ops) != 1 or ops[0] not in (ast.Eq, ast.NotEq):
            raise self._err(n, "この事実は == か != か in で比べてください")
        other = operands[1 - typed[0]]
        if isinstance(other, list) or not isinstance(other, (Lit, Symbol)):
            raise self._err(n, "== の相手には値を1つ書いてください（複数なら in (...)）")
        allowed = self._resolve(n, info, [other])
        return Member(value, allowed, negate=ops[0] is ast.NotEq)

    def _membership(self, n, left, right, negate) -> Node:
        if isinstance(right, EventsVar):
            if not isinstance(left, Symbol) or left.text not in self.event_names:
                raise self._err(n, "「… in events」の左にはイベントIDを書いてください")
            return EventsHas(left.text, self.event_names[left.text], negate)
        if isinstance(right, tuple) and getattr(right[1], "type", None) == "set":
            value, fact = right
            (item,) = self._resolve(n, fact, [left]) if isinstance(left, (Lit, Symbol)) else (None,)
            if item is None:
                raise self._err(n, f"「… in {fact.id}」の左には値を書いてください")
            return SetHas(value, item, fact.choices.get(item, item), negate)
        if isinstance(left, tuple) and isinstance(right, list):
            value, info = left
            kind = info if info == "event" else getattr(info, "type", None)
            if kind not in ("enum", "text", "event"):
                raise self._err(n, "「事実 in (値, 値)」は選択肢か文字の事実にだけ使えます")
            return Member(value, self._resolve(n, info, right), negate)
        raise self._err(
            n,
            "in は「事実 in (値, 値)」か「値 in 集合の事実」か「イベント in events」の形で書いてください",
        )

    def _resolve(self, n, info, items) -> frozenset:
        """The written values as the facts store them, each checked against the fact's type."""
        out = []
        for item in items:
            raw = item.text if isinstance(item, Symbol) else item.value
            if info == "event":
                if raw not in self.event_names:
                    raise self._err(n, f"「{raw}」というイベントはありません")
                out.append(raw)
                continue
            if info is None or info.type not in ("enum", "text", "set"):
                kind = "数" if info is None else info.type
                raise self._err(n, f"「{raw}」はこの比較に使えません（{kind}の事実です）")
            value = str(raw)
            if info.type in ("enum", "set") and value not in info.choices:
                allowed = "、".join(info.choices)
                raise self._err(
                    n, f"「{value}」は {info.id} の値にありません（使える値: {allowed}）"
                )
            out.append(value)
        return frozenset(out)
