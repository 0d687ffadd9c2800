"""Compiled rules as Japanese sentences, for the catalog browser and `catalog diff`.

    has_mynumber_card and age >= 65      →  マイナンバーカードをお持ち かつ 65歳以上
    health_insurance in (kokuho, none)   →  健康保険が国民健康保険・未加入のいずれか

The words are the pack's own (fact labels and yes/no phrases, choice labels), so a city
that renames a fact reads its own wording. Parentheses 「（…）」 group an `or` inside an
`and` and the other way round, so the sentence reads the way the rule evaluates.
"""

import re

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

# Reason phrases end with the person's age 「（{age}歳）」: a rule has no person to show.
_AGE_NOTE = re.compile(r"（[^（）]*\{age\}[^（）]*）")
_WORDS = {">=": "以上", ">": "超", "<=": "以下", "<": "未満", "==": "", "!=": "以外"}
_NEGATE = {">=": "<", "<": ">=", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}


def rule_text(node) -> str:
    """The rule as one Japanese sentence."""
    return _text(node, parent=None)


def _phrase(text: str, **values) -> str:
    text = _AGE_NOTE.sub("", text)
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text.replace("{age}", "").strip()


def _group(node, parent) -> str:
    text = _text(node, parent)
    return f"（{text}）" if isinstance(node, (And, Or)) and type(node) is not parent else text


def _text(node, parent) -> str:
    if isinstance(node, Const):
        return "常に該当" if node.value else "該当しない（常に偽）"
    if isinstance(node, And):
        return " かつ ".join(_group(x, And) for x in node.xs)
    if isinstance(node, Or):
        return " または ".join(_group(x, Or) for x in node.xs)
    if isinstance(node, Not):
        return _negative(node.x)
    if isinstance(node, (FactBool, SetNonEmpty)):
        return _household(node.household) + node.yes
    if isinstance(node, SetHas):
        return _set_has(node, not node.negate)
    if isinstance(node, DerivedBool):
        return _phrase(node.yes)
    if isinstance(node, ChildUntil):
        return _phrase(node.yes, n=node.n)
    if isinstance(node, PackDerived):
        return _phrase(node.yes) if node.yes else _text(node.node, parent)
    if isinstance(node, Subject):
        return "届出の対象者"
    if isinstance(node, Any):
        return f"{_members(node.other)}に「{rule_text(node.inner)}」の人がいる"
    if isinstance(node, EventsHas):
        return _events_has(node, not node.negate)
    if isinstance(node, Member):
        return _member(node, node.negate)
    if isinstance(node, NumCmp):
        return _number(node.value, node.bounds)
    return type(node).__name__


def _negative(x) -> str:
    if isinstance(x, Not):
        return _text(x.x, None)
    if isinstance(x, (FactBool, SetNonEmpty)):
        return _household(x.household) + x.no
    if isinstance(x, SetHas):
        return _set_has(x, x.negate)
    if isinstance(x, DerivedBool):
        return _phrase(x.no)
    if isinstance(x, ChildUntil):
        return _phrase(x.no, n=x.n)
    if isinstance(x, PackDerived) and x.no:
        return _phrase(x.no)
    if isinstance(x, Member):
        return _member(x, not x.negate)
    if isinstance(x, EventsHas):
        return _events_has(x, x.negate)
    if isinstance(x, NumCmp) and len(x.bounds) == 1:
        op, c = x.bounds[0]
        return _number(x.value, [(_NEGATE[op], c)])
    if isinstance(x, Any):
        return f"{_members(x.other)}に「{rule_text(x.inner)}」の人がいない"
    return f"「{rule_text(x)}」ではない"


def _household(household: bool) -> str:
    return "世帯：" if household else ""


def _members(other: bool) -> str:
    return "本人以外の世帯員" if other else "世帯員"


def _set_has(node: SetHas, has: bool) -> str:
    return f"{node.value.label}に{node.item_label}{'あり' if has else 'なし'}"


def _events_has(node: EventsHas, has: bool) -> str:
    return f"同じ来庁で{node.name}の届出{'あり' if has else 'なし'}"


def _member(node: Member, negate: bool) -> str:
    value = node.value
    if isinstance(value, EventVal):
        names = "・".join(value.names.get(e, e) for e in sorted(node.allowed))
        return f"{names}の届出{'以外' if negate else ''}"
    if value.choices:
        order = list(value.choices)
        items = sorted(node.allowed, key=lambda v: order.index(v) if v in order else len(order))
        labels = [value.choices.get(v, v) for v in items]
    else:
        labels = sorted(node.allowed)
    subject = _household(value.household) + value.label
    joined = "・".join(labels)
    if negate:
        return f"{subject}が{joined}以外"
    if len(labels) == 1:
        return f"{subject}が{joined}"
    return f"{subject}が{joined}のいずれか"


def _number(value, bounds) -> str:
    unit = value.unit
    words = "".join(f"{c}{unit}{_WORDS[op]}" if op != "==" else f"{c}{unit}" for op, c in bounds)
    if isinstance(value, AgeVal):
        # koki_age counts by birthdays: the 75th birthday itself starts 後期高齢者医療.
        return words + ("（誕生日で数える）" if value.name == "koki_age" else "")
    if isinstance(value, CountVal):
        return f"{_members(value.other)}のうち「{rule_text(value.inner)}」の人が{words}"
    if isinstance(value, FactVal):
        return f"{value.label}が{words}"
    return words
