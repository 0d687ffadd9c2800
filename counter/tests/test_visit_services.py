"""The counter's write functions: one visit per start form, answers saved as given, accept once."""

from datetime import date

import pytest

from accounts.models import AuditEntry
from counter import services
from counter.models import Answer, Visit
from counter.navigation import navigate_visit
from counter.tests.factories import elderly_couple


@pytest.fixture
def tenshutsu_visit(clerk):
    hh, head, wife = elderly_couple()
    return services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
        token="tok-1",
    )


@pytest.mark.django_db
def test_a_double_submitted_start_form_opens_one_visit(clerk, tenshutsu_visit):
    again = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=tenshutsu_visit.household,
        token="tok-1",
    )
    assert again.pk == tenshutsu_visit.pk
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_a_visit_from_the_register_lists_the_household_with_the_head_as_applicant(tenshutsu_visit):
    people = list(tenshutsu_visit.people.all())
    assert [p.resident.relation for p in people] == ["世帯主", "妻"]
    assert [p.applicant for p in people] == [True, False]
    assert tenshutsu_visit.old_address["town"] == "北4条東"


@pytest.mark.django_db
def test_register_facts_are_used_and_not_asked(tenshutsu_visit):
    results, questions = navigate_visit(tenshutsu_visit)
    got = {(r.id, r.person, r.status) for r in results}
    assert ("koki_tenshutsu", "p1", "applies") in got  # health_insurance=koki from the register
    assert ("inkan_haishi", "p1", "applies") in got
    assert ("kokuho_soshitsu", "p2", "applies") in got
    asked = {(q.person, q.fact) for q in questions}
    assert ("p1", "health_insurance") not in asked and ("p1", "has_inkan") not in asked


@pytest.mark.django_db
def test_an_answer_is_saved_the_moment_it_is_given_and_changes_the_list(clerk, tenshutsu_visit):
    wife = tenshutsu_visit.people.get(key="p2")
    services.record_answer(tenshutsu_visit, by=clerk, fact="owns_dog", value=True, person=wife)
    wife.refresh_from_db()
    assert wife.facts["owns_dog"] is True
    assert Answer.objects.filter(visit=tenshutsu_visit, fact="owns_dog").count() == 1
    results, _ = navigate_visit(tenshutsu_visit)
    assert ("inu_tenshutsu", "p2") in {(r.id, r.person) for r in results}


@pytest.mark.django_db
def test_a_person_who_stays_drops_out_of_the_moving_procedures(clerk, tenshutsu_visit):
    wife = tenshutsu_visit.people.get(key="p2")
    services.update_person(wife, by=clerk, moving=False)
    results, _ = navigate_visit(tenshutsu_visit)
    assert "p2" not in {r.person for r in results}


@pytest.mark.django_db
def test_accepting_twice_changes_nothing_and_locks_the_visit(clerk, tenshutsu_visit):
    first = services.accept_visit(tenshutsu_visit, by=clerk)
    second = services.accept_visit(tenshutsu_visit, by=clerk)
    assert first.accepted_at == second.accepted_at
    assert AuditEntry.objects.filter(action="visit.accepted").count() == 1
    with pytest.raises(services.VisitLocked):
        services.record_answer(
            second, by=clerk, fact="owns_dog", value=True, person=second.people.get(key="p1")
        )


@pytest.mark.django_db
def test_opening_a_household_is_one_entry_naming_every_resident(tenshutsu_visit):
    opened = AuditEntry.objects.filter(action="visit.household_opened")
    assert opened.count() == 1
    assert opened.subject_ids() == set(tenshutsu_visit.people.values_list("resident_id", flat=True))


@pytest.mark.django_db
def test_answers_given_from_two_stale_screens_are_both_kept(clerk, tenshutsu_visit):
    screen_a = tenshutsu_visit.people.get(key="p2")
    screen_b = tenshutsu_visit.people.get(key="p2")  # loaded before A's answer was saved
    services.record_answer(tenshutsu_visit, by=clerk, fact="owns_dog", value=True, person=screen_a)
    services.record_answer(
        tenshutsu_visit, by=clerk, fact="owns_moped", value=False, person=screen_b
    )
    stored = tenshutsu_visit.people.get(key="p2").facts
    assert stored["owns_dog"] is True and stored["owns_moped"] is False
