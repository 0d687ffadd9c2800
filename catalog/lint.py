"""Rules that can never apply: what `madoguchi catalog check` finds beyond load errors.

A rule is turned into negation normal form over its atoms, then into a disjunction of
conjunctions; a conjunction is impossible when it holds a constant false, an atom and its
negation, an empty range on one number (`age >= 65 and age < 18`), or no value left for
one fact (`health_insurance == kokuho and health_insurance == koki`). The rule never
applies when every conjunction is impossible. The event a variant is evaluated for is
known, so `event == tennyu_abroad` in a procedure of `tennyu` alone is false, and the
event's subject rule (events.yaml) is part of what a per-person procedure requires.

Only what can be decided from the rule's text is found; ages against `child18` and other
derived values are taken as independent. Big rules (over _CAP conjunctions) are skipped.
"""

import math
import os

from catalog.nodes import (
    AgeVal,
    And,
    Any,
    ChildUntil,
    Const,
    CountVal,
    DerivedBool,
    EventsHas,
    EventVal,
    FactBool,
    FactVal,
    Member,
    Not,
    NumCmp,
    Or,
    PackDerived,
    SetHas,
    SetNonEmpty,
    Subject,
)
from catalog.pack import Pack, PackProblem, Variant

_CAP = 4096
_NEGATE = {">=": "<", "<": ">=", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}


class _TooBig(Exception):
    pass


def never_applies_problems(pack: Pack) -> list[PackProblem]:
    """One problem per YAML entry whose rule is impossible for every event it names."""
    entries: dict[tuple[str, int], list[Variant]] = {}
    for proc in pack.procedures.values():
        for v in proc.variants:
            entries.setdefault((v.file, v.line), []).append(v)
    problems = []
    for (file, line), variants in entries.items():
        reasons = [never_applies(pack, v) for v in variants]
        if all(reasons):
            v = variants[0]
            events = "・".join(pack.events[x.event].name for x in variants)
            problems.append(
                PackProblem(
                    _file(pack, file),
                    v.when_line or line,
                    f"手続「{v.procedure}」（{events}）の規則は決して当てはまりません"
                    f"（{reasons[0]}。when: {' '.join(v.when.split())}）",
                    kind="never",
                )
            )
    return problems


def _file(pack: Pack, rel: str) -> str:
    # A base's file is named relative to the overlay (../../default/...): shown resolved.
    return os.path.normpath(pack.path / rel)


def never_applies(pack: Pack, variant: Variant) -> str | None:
    """Why the variant can never apply, or None when it can (or cannot be decided)."""
    ctx = _Ctx(pack, variant.event)
    parts = [ctx.nnf(variant.rule, False)]
    if variant.per == "person":
        if variant.over == "subject":
            parts.append(ctx.nnf(pack.events[variant.event].subject_rule, False))
        elif variant.over_rule is not None:
            parts.append(ctx.nnf(variant.over_rule, False))
    return _impossible(("and", parts))


def _impossible(formula) -> str | None:
    try:
        conjunctions = _dnf(formula)
    except _TooBig:
        return None
    if conjunctions:
        return None
    # Say why with the first conjunction that fails, built again without pruning.
    return _first_reason(formula) or "条件が矛盾しています"


class _Ctx:
    def __init__(self, pack: Pack, event: str):
        self.pack, self.event = pack, event

    def nnf(self, node, neg: bool):
        """The node in negation normal form; `neg` pushes a surrounding `not` inward."""
        if isinstance(node, Const):
            return ("const", bool(node.value) != neg)
        if isinstance(node, Not):
            return self.nnf(node.x, not neg)
        if isinstance(node, (And, Or)):
            kind = "and" if isinstance(node, And) != neg else "or"
            return (kind, [self.nnf(x, neg) for x in node.xs])
        if isinstance(node, FactBool):
            return ("lit", _name(node.name, node.household), not neg)
        if isinstance(node, SetNonEmpty):
            return ("lit", _name(node.name, node.household), not neg)
        if isinstance(node, SetHas):
            key = f"{_name(node.value.name, node.value.household)} の {node.item}"
            return ("lit", key, node.negate == neg)
        if isinstance(node, DerivedBool):
            if node.name == "is_head":  # relation == 世帯主, so it meets other relation tests
                return ("mem", "relation", frozenset({"世帯主"}), neg, None)
            return ("lit", node.name, not neg)
        if isinstance(node, ChildUntil):
            return ("lit", f"child_until({node.n})", not neg)
        if isinstance(node, PackDerived):
            return self.nnf(node.node, neg)
        if isinstance(node, Subject):
            return self.nnf(self.pack.events[self.event].subject_rule, neg)
        if isinstance(node, Any):
            if _impossible(self.nnf(node.inner, False)):
                # No member can match: h.any(...) is false.
                return ("const", neg, "h.any(...) の条件に当てはまる世帯員はいません")
            return ("lit", f"h.any#{id(node)}", not neg)
        if isinstance(node, EventsHas):
            if node.event == self.event:
                name = self.pack.events[self.event].name
                holds = (not node.negate) != neg
                return ("const", holds, f"この手続の届出（{name}）は必ず events に含まれます")
            return ("lit", f"{node.event} in events", node.negate == neg)
        if isinstance(node, Member):
            if isinstance(node.value, EventVal):
                name = self.pack.events[self.event].name
                holds = ((self.event in node.allowed) != node.negate) != neg
                return (
                    "const",
                    holds,
                    f"この手続の届出（{name}）では event の条件が成り立ちません",
                )
            value = node.value
            universe = frozenset(value.choices) if value.choices else None
            return (
                "mem",
                _name(value.name, value.household),
                node.allowed,
                node.negate != neg,
                universe,
            )
        if isinstance(node, NumCmp):
            return self._num(node, neg)
        return ("lit", f"?{id(node)}", not neg)

    def _num(self, node: NumCmp, neg: bool):
        value = node.value
        if isinstance(value, CountVal) and _impossible(self.nnf(value.inner, False)):
            # Nobody can be counted: the count is 0, so the comparison is a constant.
            holds = all(_holds(op, 0, c) for op, c in node.bounds)
            return ("const", holds != neg, "h.count(...) の条件に当てはまる世帯員はいません")
        if isinstance(value, AgeVal):
            key, low = value.name, 0
        elif isinstance(value, CountVal):
            key, low = f"h.count#{id(value)}", 0
        elif isinstance(value, FactVal):
            key, low = _name(value.name, value.household), -math.inf
        else:
            return ("lit", f"?{id(node)}", not neg)
        if not neg:
            return ("and", [("num", key, op, c, low) for op, c in node.bounds])
        return ("or", [("num", key, _NEGATE[op], c, low) for op, c in node.bounds])


def _name(name, household) -> str:
    return f"h.{name}" if household else name


def _holds(op, v, c) -> bool:
    return {
        ">=": v >= c,
        ">": v > c,
        "<=": v <= c,
        "<": v < c,
        "==": v == c,
        "!=": v != c,
    }[op]


def _dnf(f) -> list[list]:
    """Conjunctions of literals whose disjunction is `f`; impossible ones are dropped."""
    kind = f[0]
    if kind == "const":
        return [[]] if f[1] else []
    if kind == "or":
        out = []
        for x in f[1]:
            out += _dnf(x)
            if len(out) > _CAP:
                raise _TooBig
        return out
    if kind == "and":
        out = [[]]
        for x in f[1]:
            out = [a + b for a in out for b in _dnf(x)]
            out = [c for c in out if _conflict(c) is None]
            if len(out) > _CAP:
                raise _TooBig
        return out
    return [[f]]


def _first_reason(f) -> str | None:
    """The conflict of one impossible conjunction, for the message."""
    if f[0] == "const":
        return None if f[1] else (f[2] if len(f) > 2 else "常に偽になる条件（false）を含みます")
    if f[0] == "or":
        return next((r for r in map(_first_reason, f[1]) if r), None)
    if f[0] == "and":
        acc = [[]]
        for x in f[1]:
            if x[0] == "const" and not x[1]:
                return _first_reason(x)
            if x[0] == "or" and all(_first_reason(y) for y in x[1]):
                return _first_reason(x)
            acc = [a + b for a in acc for b in _literals(x)][:_CAP]
        for c in acc:
            reason = _conflict(c)
            if reason:
                return reason
    return None


def _literals(f) -> list[list]:
    if f[0] == "const":
        return [[]] if f[1] else []
    if f[0] == "or":
        return [c for x in f[1] for c in _literals(x)][:_CAP]
    if f[0] == "and":
        out = [[]]
        for x in f[1]:
            out = [a + b for a in out for b in _literals(x)][:_CAP]
        return out
    return [[f]]


def _conflict(conj) -> str | None:
    """Why these literals cannot all hold at once, or None."""
    lits: dict = {}
    nums: dict = {}
    mems: dict = {}
    for lit in conj:
        kind = lit[0]
        if kind == "lit":
            _, key, positive = lit
            if lits.get(key, positive) != positive:
                return f"「{key.split('#')[0]}」とその否定を同時に求めています"
            lits[key] = positive
        elif kind == "num":
            _, key, op, c, low = lit
            n = nums.setdefault(key, {"lo": low, "hi": math.inf, "not": set(), "ops": []})
            n["ops"].append(f"{op} {c}")
            if op in (">=", ">"):
                n["lo"] = max(n["lo"], c if op == ">=" else c + 1)
            elif op in ("<=", "<"):
                n["hi"] = min(n["hi"], c if op == "<=" else c - 1)
            elif op == "==":
                n["lo"], n["hi"] = max(n["lo"], c), min(n["hi"], c)
            else:
                n["not"].add(c)
            empty = n["lo"] > n["hi"] or (n["lo"] == n["hi"] and n["lo"] in n["not"])
            if empty:
                return f"{key.split('#')[0]} の範囲が空です（{'、'.join(n['ops'])}）"
        elif kind == "mem":
            _, key, allowed, negate, universe = lit
            m = mems.setdefault(key, {"in": universe, "out": set(), "tests": []})
            m["tests"].append(
                ("not in " if negate else "in ") + "(" + ", ".join(sorted(allowed)) + ")"
            )
            if negate:
                m["out"] |= allowed
            else:
                m["in"] = allowed if m["in"] is None else m["in"] & allowed
            if m["in"] is not None and not (m["in"] - m["out"]):
                return f"{key} に当てはまる値がありません（{'、'.join(m['tests'])}）"
    return None
