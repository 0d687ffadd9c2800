"""What the interview still needs to ask: only answers that can change some result.

Two kinds of catalog data settle a fact of a person without asking (facts.yaml):

- `only_if`: a rule saying when the fact can hold at all (妊娠中 from 12 and not for a man,
  要介護認定 from 40, 公務員 from 15, 印鑑登録がこの市にある not for one moving in).
  Where the rule is false for the person, the fact is taken as no.
- `one_per_household`: once a member has the fact (生計中心者), the others are taken as no.

`settle` fills those in before any procedure rule runs, so the list of procedures and the
questions always agree. `worth_asking` then checks a question by running the navigator
again with each possible answer (and with none): a fact whose answer cannot change any
procedure's result for anyone is not asked.
"""

from dataclasses import replace


def _no(fact):
    return frozenset() if fact.type == "set" else False


def settle(pack, env, views) -> None:
    """Set every unknown fact the pack's data already decides (see the module docstring).

    Repeats until nothing changes, since one settled fact may settle another's rule.
    """
    limited = [f for f in pack.facts.values() if f.only_if_rule is not None]
    single = [f for f in pack.facts.values() if f.one_per_household]
    if not limited and not single:
        return
    outer, event = env.p, env.event
    env.event = None
    try:
        changed = True
        while changed:
            changed = False
            for fact in limited:
                targets = views if fact.scope == "person" else [None]
                for view in targets:
                    facts = env.h if view is None else view
                    if facts.get(fact.id) is not None:
                        continue
                    env.p = view
                    if fact.only_if_rule.ev(env) is False:
                        facts[fact.id] = _no(fact)
                        changed = True
            for fact in single:
                if any(v.get(fact.id) is True for v in views):
                    for v in views:
                        if v.get(fact.id) is None:
                            v[fact.id] = False
                            changed = True
    finally:
        env.p, env.event = outer, event


def answers(fact) -> list | None:
    """Every answer a fact can have, or None when they cannot be listed (dates, text)."""
    if fact.type == "bool":
        return [True, False]
    if fact.type == "enum":
        return list(fact.choices)
    if fact.type == "set":
        return [frozenset(), *(frozenset([c]) for c in fact.choices), frozenset(fact.choices)]
    return None


def _signature(results) -> frozenset:
    return frozenset((r.id, r.person, r.status) for r in results)


def worth_asking(pack, case, key, baseline, run) -> bool:
    """Whether answering `key` = (person id or None, fact) can change some procedure's result.

    `baseline` is run(pack, case) as it stands; `run` is the navigator.
    """
    pid, fact_id = key
    values = answers(pack.facts[fact_id])
    if values is None:
        return True
    seen = {_signature(baseline)}
    for value in values:
        seen.add(_signature(run(pack, _with(case, pid, fact_id, value))))
        if len(seen) > 1:
            return True
    return False


def _with(case, pid, fact_id, value):
    if pid is None:
        return replace(case, household={**case.household, fact_id: value})
    people = [
        replace(p, facts={**p.facts, fact_id: value}) if p.id == pid else p for p in case.people
    ]
    return replace(case, people=people)
