"""The dashboard's tests read the rows queues and remote write: their fixtures, shared."""

from queues.tests.conftest import counters, honcho, supervisor  # noqa: F401
from remote.tests.conftest import branch_visit, hoken, requested  # noqa: F401
