"""An accepted 転出 of the elderly couple (counter.tests.factories): its tasks are
市民課 (届, 印鑑), 保険年金課 (国保, 後期), 介護保険課, and 要確認 ones for 子育て支援課 and 上下水道課."""

from datetime import date

import pytest

from counter import services
from counter.tests.factories import elderly_couple


@pytest.fixture
def open_visit(clerk):
    hh, head, wife = elderly_couple()
    return services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
    )


@pytest.fixture
def accepted_visit(clerk, open_visit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(open_visit, by=clerk)
    open_visit.refresh_from_db()
    return open_visit


@pytest.fixture
def hoken_client(client, hoken_clerk):
    client.force_login(hoken_clerk)
    return client
