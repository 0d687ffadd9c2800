"""The rule language of catalog packs: a small, Python-looking expression language.

    has_mynumber_card and age >= 65
    health_insurance in (kokuho, none) and koki_age < 75 and not joins_spouse_insurance
    main_earner and not public_servant and h.any(moving and child18)
    h.count(role != deceased and age >= 15) >= setting.setainushi_henko_min_remaining

A rule is parsed once with `ast` in a restricted form (never evaluated by Python) and
compiled to a tree of nodes. Every node evaluates with the three-valued logic of
life-events.md §2: True, False, or None for unknown. Kleene's logic is monotone, so a
result that is True or False with some facts unknown stays so whatever they turn out to
be; only None results can change, and only through the unknown facts they report. The
navigator's open questions rely on that.

Each node can also explain itself (`why`): the Japanese phrases of the facts that made
its value, and the (person, fact) pairs still unknown. Phrases are nominal
(「マイナンバーカードあり」「65歳以上（68歳）」) so that the navigator can join them and
end with 「のため」.
"""

import ast
import operator
from dataclasses import dataclass

from lib import age as agelib


class RuleError(Exception):
    """A rule that cannot be compiled; `line` counts from 0 inside the rule text."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


class Env:
    """What a rule sees while it runs: the current person, the household, the visit."""

    __slots__ = ("p", "h", "people", "event", "events", "date", "subjects", "marked")

    def __init__(self, h, people, events, on, subjects):
        self.p = None
        self.marked = None  # the event whose subjects the people's views hold
        self.h = h
        self.people = people
        self.event = None
        self.events = events
        self.date = on
        self.subjects = subjects


class View(dict):
    """A person's facts, normalised, plus the derived values at the event date.

    `subject` is set by the navigator for the event being evaluated (events.yaml).
    """

    __slots__ = ("id", "subject")


def _pid(env):
    return env.p.id if env.p is not None else None


# --- boolean nodes -------------------------------------------------------------------


class Node:
    __slots__ = ()

    def ev(self, env):
        raise NotImplementedError

    def why(self, env, ph: list, unk: list):
        """Append phrases explaining the value (or unknowns when None); return the value."""
        raise NotImplementedError


class Const(Node):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def ev(self, env):
        return self.value

    def why(self, env, ph, unk):
        return self.value


class FactBool(Node):
    """A yes/no fact of the person (scope person) or of the household (`h.`)."""

    __slots__ = ("name", "yes", "no", "household")

    def __init__(self, name, yes, no, household):
        self.name, self.yes, self.no, self.household = name, yes, no, household

    def ev(self, env):
        v = (env.h if self.household else env.p).get(self.name)
        return None if v is None else bool(v)

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is None:
            unk.append((None if self.household else _pid(env), self.name))
        else:
            ph.append(self.yes if v else self.no)
        return v


class SetNonEmpty(Node):
    """A set fact used alone: true when the person has any of its items."""

    __slots__ = ("name", "yes", "no", "household", "labels")

    def __init__(self, name, yes, no, household, labels):
        self.name, self.yes, self.no, self.household, self.labels = name, yes, no, household, labels

    def ev(self, env):
        v = (env.h if self.household else env.p).get(self.name)
        return None if v is None else bool(v)

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is None:
            unk.append((None if self.household else _pid(env), self.name))
        elif v:
            items = (env.h if self.household else env.p)[self.name]
            named = "・".join(self.labels.get(i, i) for i in sorted(items))
            ph.append(f"{self.yes}（{named}）")
        else:
            ph.append(self.no)
        return v


class DerivedBool(Node):
    """child18, school_age, preschool, enters_school, is_head: computed once per person."""

    __slots__ = ("name", "yes", "no", "dep")

    def __init__(self, name, yes, no, dep):
        self.name, self.yes, self.no, self.dep = name, yes, no, dep

    def ev(self, env):
        return env.p.get(self.name)

    def why(self, env, ph, unk):
        v = env.p.get(self.name)
        if v is None:
            unk.append((_pid(env), self.dep))
        else:
            ph.append(_fmt(self.yes if v else self.no, env.p))
        return v


class ChildUntil(Node):
    """child_until(N): on or before the first 3月31日 after the day the person reaches N."""

    __slots__ = ("n", "yes", "no")

    def __init__(self, n, yes, no):
        self.n, self.yes, self.no = n, yes, no

    def ev(self, env):
        birth = env.p.get("birth_date")
        if birth is None:
            return None
        last = agelib.first_march31_on_or_after(agelib.reaches_age_on(birth, self.n))
        return birth <= env.date <= last

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is None:
            unk.append((_pid(env), "birth_date"))
        else:
            ph.append(_fmt(self.yes if v else self.no, env.p, n=self.n))
        return v


class PackDerived(Node):
    """A name the pack defines with a rule of its own (derived.yaml), e.g. `parent`."""

    __slots__ = ("name", "node", "yes", "no")

    def __init__(self, name, node, yes, no):
        self.name, self.node, self.yes, self.no = name, node, yes, no

    def ev(self, env):
        return self.node.ev(env)

    def why(self, env, ph, unk):
        if not (self.yes and self.no):
            # Without its own wording the derived value explains itself by its parts.
            return self.node.why(env, ph, unk)
        v = self.node.why(env, [], unk)
        if v is not None:
            ph.append(_fmt(self.yes if v else self.no, env.p))
        return v


class Subject(Node):
    """Whether the person is a subject of the event being evaluated (events.yaml)."""

    __slots__ = ()

    def ev(self, env):
        return env.p.subject

    def why(self, env, ph, unk):
        # Being a subject is why the procedure is looked at, not a reason to show.
        return env.subjects[env.event].why(env, [], unk)


class Not(Node):
    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def ev(self, env):
        v = self.x.ev(env)
        return None if v is None else not v

    def why(self, env, ph, unk):
        v = self.x.why(env, ph, unk)
        return None if v is None else not v


class And(Node):
    __slots__ = ("xs",)

    def __init__(self, xs):
        self.xs = xs

    def ev(self, env):
        unknown = False
        for x in self.xs:
            v = x.ev(env)
            if v is False:
                return False
            if v is None:
                unknown = True
        return None if unknown else True

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is False:
            # One false part is the whole explanation.
            next(x for x in self.xs if x.ev(env) is False).why(env, ph, unk)
        elif v is True:
            for x in self.xs:
                x.why(env, ph, unk)
        else:
            for x in self.xs:
                if x.ev(env) is None:
                    x.why(env, ph, unk)
        return v


class Or(Node):
    __slots__ = ("xs",)

    def __init__(self, xs):
        self.xs = xs

    def ev(self, env):
        unknown = False
        for x in self.xs:
            v = x.ev(env)
            if v is True:
                return True
            if v is None:
                unknown = True
        return None if unknown else False

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is True:
            next(x for x in self.xs if x.ev(env) is True).why(env, ph, unk)
        elif v is False:
            for x in self.xs:
                x.why(env, ph, unk)
        else:
            for x in self.xs:
                if x.ev(env) is None:
                    x.why(env, ph, unk)
        return v


class Any(Node):
    """h.any(expr) / h.any_other(expr): some member (other than the current person)."""

    __slots__ = ("inner", "other")

    def __init__(self, inner, other):
        self.inner, self.other = inner, other

    def ev(self, env):
        outer = env.p
        result = False
        try:
            for m in env.people:
                if self.other and m is outer:
                    continue
                env.p = m
                v = self.inner.ev(env)
                if v:
                    return True
                if v is None:
                    result = None
        finally:
            env.p = outer
        return result

    def why(self, env, ph, unk):
        outer = env.p
        v = self.ev(env)
        try:
            for m in env.people:
                if self.other and m is outer:
                    continue
                env.p = m
                mv = self.inner.ev(env)
                if v is True and mv is True:
                    inner_ph: list = []
                    self.inner.why(env, inner_ph, unk)
                    ph.append(f"世帯員（{m.id}）が{'・'.join(_dedupe(inner_ph))}")
                    break
                if v is None and mv is None:
                    self.inner.why(env, [], unk)
        finally:
            env.p = outer
        if v is False:
            ph.append("該当する世帯員なし")
        return v


# --- values and comparisons ----------------------------------------------------------


class Value:
    """A non-boolean operand: a fact's value, an age, a count, the event."""

    __slots__ = ()
    unit = ""

    def val(self, env):
        raise NotImplementedError

    def unknowns(self, env, unk):
        raise NotImplementedError


class FactVal(Value):
    __slots__ = ("name", "label", "choices", "unit", "household")

    def __init__(self, name, label, choices, unit, household):
        self.name, self.label, self.choices = name, label, choices
        self.unit, self.household = unit, household

    def val(self, env):
        return (env.h if self.household else env.p).get(self.name)

    def unknowns(self, env, unk):
        unk.append((None if self.household else _pid(env), self.name))

    def describe(self, v):
        return f"{self.label}が{self.choices.get(v, v) if self.choices else v}"

    def num_phrase(self, v, bounds):
        return f"{self.label}{v}{self.unit}（{bounds}）"


class AgeVal(Value):
    """`age` (legal rule) or `koki_age` (by birthdays), precomputed in the person's view."""

    __slots__ = ("name",)
    unit = "歳"

    def __init__(self, name):
        self.name = name

    def val(self, env):
        return env.p.get(self.name)

    def unknowns(self, env, unk):
        unk.append((_pid(env), "birth_date"))

    def num_phrase(self, v, bounds):
        return f"{bounds}（{v}歳）"


class EventVal(Value):
    __slots__ = ("names",)

    def __init__(self, names):
        self.names = names

    def val(self, env):
        return env.event

    def unknowns(self, env, unk):
        pass

    def describe(self, v):
        return f"{self.names.get(v, v)}の届出"


class CountVal(Value):
    """h.count(expr): how many members satisfy expr, as an interval (sure, possible)."""

    __slots__ = ("inner", "other")
    unit = "人"

    def __init__(self, inner, other):
        self.inner, self.other = inner, other

    def val(self, env):
        outer = env.p
        lo = hi = 0
        try:
            for m in env.people:
                if self.other and m is outer:
                    continue
                env.p = m
                v = self.inner.ev(env)
                if v:
                    lo += 1
                    hi += 1
                elif v is None:
                    hi += 1
        finally:
            env.p = outer
        return (lo, hi)

    def unknowns(self, env, unk):
        outer = env.p
        try:
            for m in env.people:
                if self.other and m is outer:
                    continue
                env.p = m
                if self.inner.ev(env) is None:
                    self.inner.why(env, [], unk)
        finally:
            env.p = outer

    def num_phrase(self, v, bounds):
        return f"該当する世帯員{v[0]}人（{bounds}）"


class Member(Node):
    """enum/text/event value == x, != x, in (...), not in (...)."""

    __slots__ = ("value", "allowed", "negate")

    def __init__(self, value, allowed, negate):
        self.value, self.allowed, self.negate = value, allowed, negate

    def ev(self, env):
        v = self.value.val(env)
        if v is None:
            return None
        return (v in self.allowed) is not self.negate

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is None:
            self.value.unknowns(env, unk)
        else:
            ph.append(self.value.describe(self.value.val(env)))
        return v


class SetHas(Node):
    """`x in set_fact`: the person has that item (e.g. `shintai in disability_handbooks`)."""

    __slots__ = ("value", "item", "item_label", "negate")

    def __init__(self, value, item, item_label, negate):
        self.value, self.item, self.item_label, self.negate = value, item, item_label, negate

    def ev(self, env):
        v = self.value.val(env)
        if v is None:
            return None
        return (self.item in v) is not self.negate

    def why(self, env, ph, unk):
        v = self.ev(env)
        if v is None:
            self.value.unknowns(env, unk)
        else:
            has = self.item in self.value.val(env)
            ph.append(f"{self.value.label}に{self.item_label}{'あり' if has else 'なし'}")
        return v


class EventsHas(Node):
    """`tennyu in events`: that event is also declared in this visit."""

    __slots__ = ("event", "name", "negate")

    def __init__(self, event, name, negate):
        self.event, self.name, self.negate = event, name, negate

    def ev(self, env):
        return (self.event in env.events) is not self.negate

    def why(self, env, ph, unk):
        has = self.event in env.events
        ph.append(f"{self.name}の届出{'あり' if has else 'なし'}")
        return has is not self.negate


_OPS = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_WORDS = {">=": "以上", ">": "超", "<=": "以下", "<": "未満", "==": "", "!=": "以外"}
_NEGATE = {">=": "<", "<": ">=", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}
_FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}


def _test(op, v, c):
    """One bound, three-valued; v may be an interval (lo, hi) from h.count."""
    if v is None:
        return None
    if type(v) is tuple:
        lo, hi = v
        if op == "==":
            return (lo == hi == c) or (None if lo <= c <= hi else False)
        if op == "!=":
            return not (lo == hi == c) and (True if not lo <= c <= hi else None)
        a, b = _OPS[op](lo, c), _OPS[op](hi, c)
        return a if a == b else None
    return _OPS[op](v, c)


class NumCmp(Node):
    """A number (age, koki_age, an int fact, a count) within bounds: `20 <= age < 60`."""

    __slots__ = ("value", "bounds")

    def __init__(self, value, bounds):
        self.value, self.bounds = value, bounds

    def ev(self, env):
        v = self.value.val(env)
        unknown = False
        for op, c in self.bounds:
            t = _test(op, v, c)
            if t is False:
                return False
            if t is None:
                unknown = True
        return None if unknown else True

    def why(self, env, ph, unk):
        v = self.value.val(env)
        result = self.ev(env)
        unit = self.value.unit
        if result is None:
            self.value.unknowns(env, unk)
        elif result:
            words = "".join(f"{c}{unit}{_WORDS[op]}" for op, c in self.bounds)
            ph.append(self.value.num_phrase(v, words))
        else:
            op, c = next((op, c) for op, c in self.bounds if _test(op, v, c) is False)
            ph.append(self.value.num_phrase(v, f"{c}{unit}{_WORDS[_NEGATE[op]]}"))
        return result


def _fmt(text, view, **extra):
    if "{" not in text:
        return text
    age = view.get("age")
    return text.format(age="不明" if age is None else age, **extra)


def _dedupe(items):
    return list(dict.fromkeys(items))


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
