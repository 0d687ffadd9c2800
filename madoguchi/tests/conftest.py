import pytest


@pytest.fixture(scope="session")
def serve_db(tmp_path_factory):
    """A migrated, seeded database of the suite's engine for real `serve` processes."""
    from queues.tests.servers import ScratchDatabase

    db = ScratchDatabase(tmp_path_factory.mktemp("serve"))
    yield db
    db.drop()
