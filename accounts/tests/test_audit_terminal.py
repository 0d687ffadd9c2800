"""Where an entry came from is the address the server saw; the name a terminal announces
about itself (X-Madoguchi-Terminal) is kept beside it as a claim, and sealed like the rest."""

import pytest
from django.test import RequestFactory

from accounts import audit
from accounts.models import AuditEntry


def _request(**headers):
    return RequestFactory().get("/", REMOTE_ADDR="192.0.2.15", headers=headers)


@pytest.mark.django_db
def test_the_address_is_recorded_and_a_claimed_name_does_not_replace_it(clerk):
    e = audit.record(clerk, "resident.viewed", resident_id=1, request=_request(
        **{"X-Madoguchi-Terminal": "本庁1番窓口"}))  # fmt: skip
    assert e.terminal == "192.0.2.15" and e.terminal_name == "本庁1番窓口"
    assert audit.terminal_label(_request(**{"X-Madoguchi-Terminal": "本庁1番窓口"})) == (
        "192.0.2.15（本庁1番窓口）"
    )


@pytest.mark.django_db
def test_without_a_claim_only_the_address_is_kept(clerk):
    e = audit.record(clerk, "resident.viewed", resident_id=1, request=_request())
    assert (e.terminal, e.terminal_name) == ("192.0.2.15", "")
    assert audit.terminal_label(_request()) == "192.0.2.15"


@pytest.mark.django_db
def test_control_characters_in_a_claimed_name_are_dropped(clerk):
    e = audit.record(clerk, "x", request=_request(**{"X-Madoguchi-Terminal": "窓口\t3"}))
    assert e.terminal_name == "窓口3"


@pytest.mark.django_db
def test_the_claimed_name_is_part_of_the_entrys_seal(clerk):
    e = audit.record(clerk, "x", request=_request(**{"X-Madoguchi-Terminal": "窓口3"}))
    audit.record(clerk, "y")
    AuditEntry.objects.filter(pk=e.pk).update(terminal_name="窓口9")
    problems = audit.verify()
    assert problems and f"#{e.pk}" in problems[0] and "改ざん" in problems[0]
