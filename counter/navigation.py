"""From a visit to the navigator's case: register facts, then the interview's answers."""

from django.utils import timezone

from catalog.navigator import Case, Person, form_questions, navigate, open_questions
from catalog.pack import default_pack

# Identity items the register holds in columns rather than in Resident.facts.
IDENTITY = ("birth_date", "sex", "relation")


def person_facts(vp) -> dict:
    facts: dict = {}
    r = vp.resident
    if r is not None:
        facts.update(r.facts)
        facts.update(
            birth_date=r.birth_date,
            sex=r.sex,
            relation=r.relation,
            nationality="JP" if r.nationality == "JP" else "foreign",
        )
        if r.section_30_45:  # a column of the register, as the standard keeps it
            facts["section_30_45"] = r.section_30_45
    else:
        for item in IDENTITY:
            value = getattr(vp, item)
            if value not in (None, ""):
                facts[item] = value
        facts["nationality"] = "JP" if vp.nationality == "JP" else "foreign"
    # An answer of "わからない" is stored as None: it makes the fact unknown again.
    for fact, value in vp.facts.items():
        if value is None:
            facts.pop(fact, None)
        else:
            facts[fact] = value
    facts.update(role=vp.role, applicant=vp.applicant, moving=vp.moving)
    return facts


def register_facts(vp) -> dict:
    """Facts the register knows for this person (shown on screen, never asked)."""
    return dict(vp.resident.facts) if vp.resident else {}


def case_for(visit, people=None) -> Case:
    people = list(visit.people.select_related("resident")) if people is None else people
    household = {k: v for k, v in visit.household_facts.items() if v is not None}
    return Case(
        events=list(visit.events),
        date=visit.event_date,
        household=household,
        people=[Person(id=vp.key, facts=person_facts(vp)) for vp in people],
    )


def received_on(visit):
    """The day the counter took the visit: a deadline before it is 期限超過."""
    return timezone.localdate(visit.created_at) if visit.created_at else timezone.localdate()


def navigate_visit(visit, people=None):
    """(results, open questions) for the visit as it stands now; each result knows whether
    it is filed after its deadline (`overdue`)."""
    pack = default_pack()
    case = case_for(visit, people)
    results = navigate(pack, case)
    day = received_on(visit)
    for r in results:
        r.overdue = r.overdue_on(day)
    return results, open_questions(pack, case)


def form_items(visit, people, results) -> list:
    """What the printed forms record that the interview has not been told (本籍, 住民票
    コード…): catalog.navigator.form_questions for this visit."""
    return form_questions(default_pack(), case_for(visit, people), results)
