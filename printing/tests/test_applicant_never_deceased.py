"""The packet's 申請者 is never the deceased, even when the data marks them."""

from .fixtures import family_of_four


def test_a_deceased_marked_applicant_gives_way_to_the_first_living_member():
    data = family_of_four()
    first, second = data.people[0], data.people[1]
    assert data.applicant is first
    first.facts["role"] = "deceased"
    assert data.applicant is second


def test_a_living_applicant_stays_the_applicant():
    data = family_of_four()
    data.people[0].applicant = False
    data.people[2].applicant = True
    data.people[0].facts["role"] = "deceased"
    assert data.applicant is data.people[2]
