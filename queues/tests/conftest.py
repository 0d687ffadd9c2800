import json
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Department, Office
from queues.models import Counter

# A test server's catalog: the default pack with the kiosk open day and night, every day,
# so the browser tests that take a ticket do not depend on the hour they run at.
ALWAYS_OPEN_CATALOG = str(Path(__file__).parent / "always_open")


@pytest.fixture
def honcho(demo_staff):
    return Office.objects.get(code="honcho")


@pytest.fixture
def counters(honcho):
    """本庁 1番・2番 市民課, 5番 保険年金課; 端野支所 1番."""
    shimin, hoken = (
        Department.objects.get(code="shimin"),
        Department.objects.get(code="hoken_nenkin"),
    )
    return {
        1: Counter.objects.create(office=honcho, number=1, department=shimin),
        2: Counter.objects.create(office=honcho, number=2, department=shimin),
        5: Counter.objects.create(office=honcho, number=5, department=hoken),
        "tanno": Counter.objects.create(
            office=Office.objects.get(code="tanno"), number=1, department=shimin
        ),
    }


@pytest.fixture
def supervisor(demo_staff):
    return demo_staff["kanri"]


@pytest.fixture(scope="session")
def scratch_db(tmp_path_factory):
    """A migrated, seeded database for server subprocesses (demo staff, counters 1–6)."""
    from queues.tests.servers import ScratchDatabase

    db = ScratchDatabase(tmp_path_factory.mktemp("live"))
    yield db
    db.drop()


@pytest.fixture
def asgi_server(scratch_db):
    """One application process with the in-memory channel layer, WebSockets included."""
    from queues.tests.servers import Server

    server = Server(scratch_db, env={"MADOGUCHI_CATALOG": ALWAYS_OPEN_CATALOG})
    yield server
    server.stop()


# -- the 転入予約 feed: a core system's token and a POST of a body with it ----------------------


@pytest.fixture
def feed_token(demo_staff):
    from accounts.models import Department
    from backoffice.api import issue_token
    from backoffice.models import CoreSystem

    system = CoreSystem.objects.create(
        code="juki", name="住基システム", department=Department.objects.get(code="shimin")
    )
    return issue_token(system)


@pytest.fixture
def feed(client, feed_token):
    def post(body, raw=False):
        data = body if raw else json.dumps(body, ensure_ascii=False)
        return client.post(
            reverse("api:moving_notices"),
            data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {feed_token}",
        )

    return post
