"""The compiled form of catalog rules: nodes that evaluate with three-valued logic.

Every node evaluates with the three-valued logic of life-events.md §2: True, False, or
None for unknown. Kleene's logic is monotone, so a result that is True or False with some
facts unknown stays so whatever they turn out to be; only None results can change, and
only through the unknown facts they report. The navigator's open questions rely on that.

Each node can also explain itself (`why`): the Japanese phrases of the facts that made
its value, and the (person, fact) pairs still unknown. Phrases are nominal
(「マイナンバーカードあり」「65歳以上（68歳）」) so that the navigator can join them and
end with 「のため」.

catalog.rules compiles rule text into these; catalog.lint and catalog.describe read them.
"""

import operator

from lib import age as agelib


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
