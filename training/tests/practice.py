"""The counter loop of a public scenario, driven as a trainee through the test client: the
supervisor assigns it, the trainee starts, finds or adds the people, answers the questions the
screen asks from the scenario's facts (except those the test tells it to get wrong), prints and
accepts. Shared by the training tests."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from catalog.pack import default_pack
from catalog.scenario import load_scenario
from counter.models import Visit
from counter.navigation import navigate_visit
from residents.practice import practising
from training import scenarios
from training.models import Assignment, Attempt

SHARED = Path(settings.BASE_DIR).parent / "shared" / "scenarios"
FAMILY = SHARED / "tennyu-family-of-four.yaml"
BIRTH = SHARED / "birth-first-child.yaml"


def assign(supervisor_client, trainee, path: Path) -> Assignment:
    r = supervisor_client.post(
        reverse("training:assign"),
        {"trainees": [trainee.staff.pk], "text": path.read_text(encoding="utf-8")},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    return Assignment.objects.filter(trainee=trainee).latest("id")


def raw(fact, value) -> str:
    if default_pack().facts[fact].type == "set" and not value:
        return "-"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, tuple, frozenset, set)):
        return ",".join(value) if value else "-"
    return str(value)


def run(client, assignment: Assignment, *, wrong=None, unknown=(), extra_answers=()) -> Attempt:
    """The whole loop; `wrong` {(scenario person id, fact): value} answered instead of the
    truth, `unknown` {(person id, fact)} answered わからない, `extra_answers` posted as well."""
    wrong = wrong or {}
    r = client.post(reverse("training:start", args=[assignment.pk]))
    assert r.status_code == 302
    attempt = Attempt.objects.filter(assignment=assignment).latest("id")
    sc = load_scenario(assignment_path(assignment))
    events = sc.case.events
    date = sc.case.date.isoformat()
    if attempt.household is not None:
        # The trainee finds the household by the name on the customer card.
        page = client.get(reverse("counter:home"), {"q": "レンシュウ"})
        assert attempt.household.household_no in page.content.decode() or page.status_code == 200
        r = client.post(
            reverse("counter:visit_start", args=[attempt.household.pk]),
            {"events": events, "event_date": date},
        )
    else:
        r = client.post(reverse("counter:visit_new"), {"events": events, "event_date": date})
    assert r.status_code == 302, r.content.decode()[:3000]
    number = r["Location"].rstrip("/").rsplit("/", 1)[-1]
    with practising():
        visit = Visit.objects.get(number=number)
    for i, p in enumerate(sc.people):
        if not scenarios.newcomer(sc, p):
            continue
        name, kana = scenarios.person_name(sc, i, p)
        surname, _s, given = name.partition("\u3000")
        ks, _s, kg = kana.partition("\u3000")
        r = client.post(
            reverse("counter:person_add", args=[number]),
            {
                "surname": surname, "given_name": given, "surname_kana": ks, "given_kana": kg,
                "birth_date": p["birth_date"].isoformat(), "sex": str(p.get("sex", "9")),
                "relation": p.get("relation", ""), "role": p.get("role", "member"),
                "nationality": p.get("nationality", "JP"),
            },
        )  # fmt: skip
        assert r.status_code == 302, r.content.decode()[:3000]
    with practising():
        people = list(visit.people.select_related("resident"))
    by_name = {vp.display_name: vp.key for vp in people}
    to_key = {p["id"]: by_name[scenarios.person_name(sc, i, p)[0]] for i, p in enumerate(sc.people)}
    # Moving marks and roles as the scenario says (registered people start unmarked for
    # events that do not move anyone).
    for p in sc.people:
        if not scenarios.newcomer(sc, p):
            client.post(
                reverse("counter:person_update", args=[number, to_key[p["id"]]]),
                {"moving": "1" if p.get("moving") else "0", "role": p.get("role", "member"),
                 **({"applicant": "1"} if p.get("applicant") else {})},
            )  # fmt: skip
    facts = {p["id"]: p for p in sc.people}
    for _round in range(60):
        with practising():
            visit.refresh_from_db()
            _results, questions = navigate_visit(visit)
            people = {vp.key: vp for vp in visit.people.all()}
        pending = [
            q for q in questions
            if q.fact not in (people[q.person].facts if q.person else visit.household_facts)
        ]  # fmt: skip
        if not pending:
            break
        q = pending[0]
        sid = next((s for s, k in to_key.items() if k == q.person), None)
        key = (sid, q.fact)
        if key in unknown:
            value = ""
        elif key in wrong:
            value = raw(q.fact, wrong[key])
        else:
            source = facts[sid] if sid else sc.household
            value = raw(q.fact, source.get(q.fact, False))
        r = client.post(
            reverse("counter:answer", args=[number]),
            {"fact": q.fact, "person": q.person or "", "value": value},
        )
        assert r.status_code == 200, r.content.decode()[:2000]
    for sid, fact, value in extra_answers:
        r = client.post(
            reverse("counter:answer", args=[number]),
            {"fact": fact, "person": to_key.get(sid, "") if sid else "", "value": value},
        )
        assert r.status_code == 200, r.content.decode()[:2000]
    pdf = client.get(reverse("counter:packet", args=[number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    r = client.post(reverse("counter:accept", args=[number]), {"confirmed": "1"})
    assert r.status_code == 302
    attempt.refresh_from_db()
    attempt.pdf = pdf.content
    attempt.number = number
    return attempt


def assignment_path(assignment: Assignment) -> str:
    import tempfile

    f = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8")
    f.write(assignment.scenario)
    f.close()
    return f.name
