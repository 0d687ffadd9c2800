import pytest

from accounts.models import Department, Office
from queues.models import Counter


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

    server = Server(scratch_db)
    yield server
    server.stop()
