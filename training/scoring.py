"""A practice visit scored against the navigator (`madoguchi navigate`'s answer for the
scenario): procedures missed and extra, questions asked that could not matter, the
interview's answers, the requests that changed something, and the time taken."""

from dataclasses import replace

from catalog.navigator import navigate, open_questions
from catalog.pack import default_pack
from catalog.scenario import Scenario
from counter.navigation import case_for, navigate_visit
from lib.text import strip_variation_selectors
from training.scenarios import person_name


def _norm(name: str) -> str:
    return strip_variation_selectors(name or "").replace("\u3000", "").replace(" ", "")


def match_people(scenario: Scenario, people) -> dict:
    """{visit person key: scenario person id}: by name as written, else by birth date."""
    by_name = {
        _norm(person_name(scenario, i, p)[0]): p["id"] for i, p in enumerate(scenario.people)
    }
    births: dict = {}
    for p in scenario.people:
        births.setdefault(p.get("birth_date"), []).append(p["id"])
    out, taken = {}, set()
    for vp in people:
        sid = by_name.get(_norm(vp.display_name))
        if sid is None or sid in taken:
            born = vp.resident.birth_date if vp.resident else vp.birth_date
            free = [s for s in births.get(born, []) if s not in taken]
            sid = free[0] if len(free) == 1 else None
        if sid is not None:
            out[vp.key] = sid
            taken.add(sid)
    return out


def score(scenario: Scenario, visit, *, actions: int, seconds: int | None) -> dict:
    pack = default_pack()
    people = list(visit.people.select_related("resident"))
    to_scenario = match_people(scenario, people)
    names = {p["id"]: person_name(scenario, i, p)[0] for i, p in enumerate(scenario.people)}
    names.update({vp.key: vp.display_name for vp in people if vp.key not in to_scenario})

    def title(pid):
        proc = pack.procedures.get(pid)
        return proc.title if proc else pid

    def item(pid, person):
        label = title(pid) + (f"（{names.get(person, person)}）" if person else "")
        return {"id": pid, "person": person, "label": label}

    want = {(r.id, r.person) for r in navigate(pack, scenario.case) if r.status == "applies"}
    results, _questions = navigate_visit(visit, people)
    got = {
        (r.id, to_scenario.get(r.person, r.person) if r.person else None)
        for r in results
        if r.status == "applies"
    }
    open_checks = {
        (r.id, to_scenario.get(r.person, r.person) if r.person else None)
        for r in results
        if r.status == "needs_check"
    }
    missed = sorted(want - got)
    return {
        "expected": len(want),
        "matched": len(want & got),
        "missed": [item(*k) | {"open": k in open_checks} for k in missed],
        "extra": [item(*k) for k in sorted(got - want, key=str)],
        "needless": _needless(pack, visit, people, names, to_scenario),
        "answers": visit.answers.given().filter(derived=False).count(),
        "actions": actions,
        "seconds": seconds,
    }


def _needless(pack, visit, people, names, to_scenario) -> list[dict]:
    """Answers whose question could not matter: with everything else the visit knows, the
    interview would not ask it (its answer is settled by the catalog, or changes nothing)."""
    case = case_for(visit, people)
    keys = {vp.pk: vp.key for vp in people}
    asked = []
    for a in visit.answers.given().filter(derived=False).order_by("at", "id"):  # the trainee's own
        key = (keys.get(a.person_id) if a.person_id else None, a.fact)
        if key not in asked and a.fact in pack.facts and (a.person_id is None or key[0]):
            asked.append(key)
    out = []
    for pid, fact in asked:
        # Unasked again, would the interview ask it? (catalog.navigator.open_questions:
        # only facts that leave a procedure open and whose answer can change one.)
        open_now = {(q.person, q.fact) for q in open_questions(pack, _without(case, pid, fact))}
        if (pid, fact) not in open_now:
            who = names.get(to_scenario.get(pid, pid), "") if pid else "世帯"
            out.append({"fact": fact, "person": to_scenario.get(pid, pid),
                        "label": f"{pack.facts[fact].label}（{who}）"})  # fmt: skip
    return out


def _without(case, pid, fact):
    if pid is None:
        return replace(case, household={k: v for k, v in case.household.items() if k != fact})
    people = [
        replace(p, facts={k: v for k, v in p.facts.items() if k != fact}) if p.id == pid else p
        for p in case.people
    ]
    return replace(case, people=people)
