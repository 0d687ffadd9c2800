from datetime import date

import pytest

from accounts.models import Department


@pytest.fixture
def kaigo_clerk(demo_staff):
    """A second main-office specialist, of 介護保険課."""
    return demo_staff["kaigo"]


@pytest.fixture
def hoken(demo_staff):
    return Department.objects.get(code="hoken_nenkin")


@pytest.fixture
def branch_visit(branch_clerk):
    """An elderly couple moving out, at the 端野支所 counter: 国保 and 後期高齢 questions open."""
    from counter import services
    from counter.tests.factories import elderly_couple

    hh, _head, _wife = elderly_couple()
    return services.start_visit(
        by=branch_clerk,
        office=branch_clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
    )


@pytest.fixture
def requested(branch_visit, branch_clerk, hoken):
    from remote import services

    return services.request_consultation(branch_visit, by=branch_clerk, department=hoken)
