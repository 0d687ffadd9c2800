"""The procedure navigator: a visit's events and facts in, the procedures to do out.

    results = navigate(pack, case)          # what applies, what needs checking, and why
    questions = open_questions(pack, case)  # what to ask next, most decisive first

Pure Python over a loaded Pack: no database, no Django. Facts use the canonical ids of
life-events.md §2; a fact missing from a person's dict (or None) is unknown.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from catalog import relevance
from catalog.nodes import Env, View
from catalog.pack import Pack, Variant
from lib import age as agelib
from lib import closed_days


@dataclass
class Person:
    id: str
    facts: dict = field(default_factory=dict)


@dataclass
class Case:
    events: list[str]
    date: date
    household: dict = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)


@dataclass
class Result:
    id: str
    person: str | None
    department: str
    department_name: str
    location: str
    kind: str
    status: str  # "applies" | "needs_check"
    deadline: date | None
    reason: str
    question: str | None
    title: str
    bring: list[str]
    form: str | None
    events: tuple[str, ...]
    # (person id or None, fact id) still unknown for a needs_check result.
    unknown: tuple[tuple[str | None, str], ...] = ()
    # What to tell the resident when the deadline has already passed (the catalog's `late`).
    late: str = ""

    def overdue_on(self, day: date) -> bool:
        """期限超過: filed on `day`, after the deadline."""
        return self.deadline is not None and self.deadline < day

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "person": self.person,
            "department": self.department,
            "department_name": self.department_name,
            "location": self.location,
            "kind": self.kind,
            "status": self.status,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "reason": self.reason,
            "question": self.question,
            "title": self.title,
            "bring": list(self.bring),
            "form": self.form,
            "events": list(self.events),
        }


@dataclass(frozen=True)
class Question:
    person: str | None  # None for a household fact
    fact: str
    text: str
    choices: list[tuple[str, str]] | None
    impact: int  # how many listed procedures the answer can settle
    label: str = ""
    help: str = ""


def _view(pack: Pack, person: Person, on: date) -> View:
    v = View(person.facts)
    v.id = person.id
    for key, normalize in pack.normalizers.items():
        if key in v:
            v[key] = normalize(v[key])
    v.setdefault("role", "member")
    birth = v.get("birth_date")
    if birth is None:
        for name in ("age", "koki_age", "child18", "school_age", "preschool", "enters_school"):
            v[name] = None
    else:
        v["age"] = agelib.legal_age(birth, on)
        v["koki_age"] = agelib.birthday_age(birth, on)
        v["child18"] = agelib.is_child18(birth, on)
        v["school_age"] = agelib.is_school_age(birth, on)
        v["preschool"] = agelib.is_preschool(birth, on)
        april1 = date(on.year, 4, 1) if on <= date(on.year, 4, 1) else date(on.year + 1, 4, 1)
        v["enters_school"] = agelib.school_entry_date(birth) == april1
    relation = v.get("relation")
    v["is_head"] = None if relation is None else relation == "世帯主"
    return v


def _env(pack: Pack, case: Case):
    for e in case.events:
        if e not in pack.events:
            raise ValueError(f"「{e}」というイベントはありません")
    views = [_view(pack, p, case.date) for p in case.people]
    household = dict(case.household)
    for key, normalize in pack.normalizers.items():
        if key in household:
            household[key] = normalize(household[key])
    subjects = {e: ev.subject_rule for e, ev in pack.events.items()}
    env = Env(household, views, frozenset(case.events), case.date, subjects)
    relevance.settle(pack, env, views)
    return env, views


def _statuses(pack: Pack, case: Case, env: Env, views):
    """{(procedure, person index or None): [(variant, status), ...]} for every hit."""
    found: dict = {}
    for event in dict.fromkeys(case.events):
        _mark_subjects(env, event, views)
        subjects = [(i, v, v.subject) for i, v in enumerate(views) if v.subject is not False]
        for var in pack.by_event[event]:
            rule = var.rule
            if var.per == "visit":
                env.p = None
                s = rule.ev(env)
                if s is not False:
                    found.setdefault((var.procedure, None), []).append((var, s))
            elif var.over == "subject":
                # Most procedures run over the event's subjects: only those are looked at.
                for i, view, is_subject in subjects:
                    env.p = view
                    s = rule.ev(env)
                    if s is not False:
                        s = s and is_subject
                        found.setdefault((var.procedure, i), []).append((var, s))
            else:
                for i, view in enumerate(views):
                    env.p = view
                    f = var.over_rule.ev(env)
                    if f is False:
                        continue
                    s = rule.ev(env)
                    if s is not False:
                        s = s and f
                        found.setdefault((var.procedure, i), []).append((var, s))
    return found


def _mark_subjects(env: Env, event: str, views) -> None:
    env.event = event
    if env.marked == event:
        return
    env.marked = event
    rule = env.subjects[event]
    for view in views:
        env.p = view
        view.subject = rule.ev(env)


def navigate(pack: Pack, case: Case) -> list[Result]:
    """Every procedure that applies or needs checking, ordered for the guidance slip."""
    env, views = _env(pack, case)
    found = _statuses(pack, case, env, views)
    results = []
    for (proc_id, index), hits in found.items():
        status = True if any(s is True for _, s in hits) else None
        chosen = [var for var, s in hits if s is status]
        results.append((proc_id, index, _result(pack, case, env, views, index, status, chosen)))
    procs, depts = pack.procedures, pack.departments
    results.sort(
        key=lambda r: (
            depts[procs[r[0]].department].order,
            procs[r[0]].order,
            -1 if r[1] is None else r[1],
        )
    )
    return [r for _, _, r in results]


def _result(pack, case, env, views, index, status, chosen: list[Variant]) -> Result:
    var = chosen[0]
    proc = pack.procedures[var.procedure]
    dept = pack.departments[proc.department]
    view = None if index is None else views[index]
    _mark_subjects(env, var.event, views)
    env.p = view
    ph: list[str] = []
    unk: list = []
    if status:
        var.rule.why(env, ph, unk)
        reason = var.reason or _because(ph) or f"{pack.events[var.event].name}の届出のため"
        question = None
    else:
        for v in chosen:
            _mark_subjects(env, v.event, views)
            env.p = view
            if v.over_rule is not None and v.over_rule.ev(env) is None:
                v.over_rule.why(env, [], unk)
            if v.rule.ev(env) is None:
                v.rule.why(env, [], unk)
        unk = list(dict.fromkeys(unk))
        reason, question = _open(pack, unk, view)
    return Result(
        id=proc.id,
        person=None if view is None else view.id,
        department=dept.id,
        department_name=dept.name,
        location=dept.location,
        kind=proc.kind,
        status="applies" if status else "needs_check",
        deadline=_deadline(var, case, env, views, view),
        reason=reason,
        question=question,
        title=var.title,
        bring=list(var.bring),
        form=var.form,
        events=tuple(v.event for v in chosen),
        unknown=tuple(unk),
        late=var.late,
    )


def _because(phrases) -> str:
    phrases = list(dict.fromkeys(p for p in phrases if p))
    return "、".join(phrases) + "のため" if phrases else ""


def _open(pack, unknown, view) -> tuple[str, str]:
    labels, questions = [], []
    for pid, fact_id in unknown:
        fact = pack.facts[fact_id]
        # Name the person only when it is someone other than the one the result is for.
        whose = f"{pid}の" if pid is not None and (view is None or pid != view.id) else ""
        labels.append(whose + fact.label)
        questions.append((f"（{pid}）" if whose else "") + fact.question)
    labels = list(dict.fromkeys(labels))
    return "・".join(labels) + "が不明のため要確認", " ".join(dict.fromkeys(questions))


def _deadline(var: Variant, case: Case, env: Env, views, view) -> date | None:
    """The period's last day, moved off the closed days (lib.closed_days: 地方自治法4条の2 4項,
    a 届出 due on a Saturday is on time the Monday after)."""
    d = var.deadline
    if d is None:
        return None
    start = case.date
    if d.start != "event":
        source = view
        fact = d.start
        if fact.startswith("subject."):
            fact = fact.removeprefix("subject.")
            _mark_subjects(env, var.event, views)
            source = next((v for v in views if v.subject is True), None)
        if source is not None and source.get(fact) is not None:
            start = source[fact]
    # The law's closed days, not the kiosk's hours: a city that opens its counter on a
    # Saturday still counts it a 休日 for deadlines (its ordinance's 地方公共団体の休日).
    return closed_days.next_open(d.due(start))


def open_questions(pack: Pack, case: Case) -> list[Question]:
    """The unknown facts whose answer can still change the result, in a stable order.

    Rules run in Kleene's three-valued logic, which is monotone: a procedure that
    applies or does not apply with some facts unknown stays so whatever they turn out to
    be. So only needs_check results can change, and only through the unknown facts their
    rules reported; of those, a fact is asked only when some answer to it changes some
    procedure's result (relevance.worth_asking). The order is the catalog's order of
    facts, then the household's order of people: answering one question never moves the
    others on the screen.
    """
    results = navigate(pack, case)
    impact: Counter = Counter()
    for r in results:
        if r.status == "needs_check":
            for key in set(r.unknown):
                impact[key] += 1
    order = {p.id: i for i, p in enumerate(case.people)}
    keys = sorted(
        (k for k in impact if relevance.worth_asking(pack, case, k, results, navigate)),
        key=lambda k: (
            pack.facts[k[1]].order,
            -1 if k[0] is None else order.get(k[0], 0),
        ),
    )
    return [
        Question(
            person=pid,
            fact=fact_id,
            text=pack.facts[fact_id].question,
            choices=pack.facts[fact_id].choice_list,
            impact=impact[(pid, fact_id)],
            label=pack.facts[fact_id].label,
            help=pack.facts[fact_id].help,
        )
        for pid, fact_id in keys
    ]


def form_questions(pack: Pack, case: Case, results: list[Result] | None = None) -> list[Question]:
    """Items a printed form records that no rule reads (facts with `forms`): asked of the
    people the form lists, where the fact's `ask_if` can hold and nothing is known yet.

    They never change a result, so they are not among `open_questions` (the clerk's count
    of questions left); the counter shows them apart, and a blank prints blank.
    """
    asked = [f for f in pack.facts.values() if f.forms]
    if not asked:
        return []
    results = navigate(pack, case) if results is None else results
    printed: dict[str, set] = {}
    for r in results:
        if r.kind == "form" and r.status == "applies" and r.form:
            printed.setdefault(r.form, set()).add(r.person)
    env, views = _env(pack, case)
    env.event = None
    out = []
    for fact in asked:
        whose = set().union(*(printed.get(f, set()) for f in fact.forms))
        if not whose:
            continue
        if fact.scope == "household":
            targets = [None]
        else:
            # A visit-wide form (the 住民異動届) lists the movers; a personal one its person.
            movers = {v.id for v in views if v.get("moving") is True}
            ids = {p for p in whose if p is not None} | (movers if None in whose else set())
            targets = [v for v in views if v.id in ids]
        for view in targets:
            facts = env.h if view is None else view
            if facts.get(fact.id) is not None:
                continue
            env.p = view
            if fact.ask_if_rule is not None and fact.ask_if_rule.ev(env) is False:
                continue
            out.append(Question(person=None if view is None else view.id, fact=fact.id,
                                text=fact.question, choices=fact.choice_list, impact=0,
                                label=fact.label, help=fact.help))  # fmt: skip
    return out
