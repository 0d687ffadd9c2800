"""死亡: the deceased is never the 届出人, nor the 申請者 printed on the forms."""

from datetime import date

import pytest

from counter import services
from counter.packet import packet_data
from counter.tests.factories import elderly_couple


@pytest.fixture
def death_visit(clerk):
    hh, head, wife = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["death"], event_date=date(2026, 11, 20),
        household=hh,
    )  # fmt: skip
    return visit, visit.people.get(resident=head), visit.people.get(resident=wife)


@pytest.mark.django_db
def test_marking_the_head_deceased_hands_the_applicant_to_the_wife(clerk, death_visit):
    visit, head, wife = death_visit
    assert head.applicant  # the first member is the default 届出人
    head = services.update_person(head, by=clerk, role="deceased")
    wife.refresh_from_db()
    assert not head.applicant and wife.applicant
    data = packet_data(visit)
    assert data.applicant.key == wife.key


@pytest.mark.django_db
def test_the_deceased_cannot_be_made_the_applicant(clerk, death_visit):
    visit, head, wife = death_visit
    services.update_person(head, by=clerk, role="deceased")
    services.update_person(head, by=clerk, applicant=True)
    assert [p.key for p in visit.people.filter(applicant=True)] == [wife.key]
