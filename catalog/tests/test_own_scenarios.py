"""Our own scenarios (catalog/tests/scenarios/): households where a rule flips.

Each file's expectations were worked out by hand from life-events.md (the day before a
birthday, a 3月31日, a 4月1日, a missing fact); ../shared/tools/check-scenarios reads the
same files through `madoguchi navigate --json`.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from catalog.navigator import navigate
from catalog.scenario import load_scenario
from catalog.tests.helpers import key, pack

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_scenario_gives_exactly_its_expected_procedures(path):
    sc = load_scenario(path, pack())
    results = navigate(pack(), sc.case)
    got = {key(r) for r in results if r.status == "applies"}
    got_nc = {key(r) for r in results if r.status == "needs_check"}
    assert got == set(sc.expect.get("procedures") or [])
    assert got_nc == set(sc.expect.get("needs_check") or [])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_needs_check_says_which_question_settles_it(path):
    sc = load_scenario(path, pack())
    for r in navigate(pack(), sc.case):
        if r.status == "needs_check":
            assert r.question and r.reason.endswith("要確認"), r
        else:
            assert r.reason.endswith("ため") and r.question is None, r


def test_every_event_has_at_least_three_scenarios_of_our_own():
    events = Counter()
    for path in FILES:
        event = yaml.safe_load(path.read_text(encoding="utf-8"))["event"]
        events.update(event if isinstance(event, list) else [event])
    assert {e: events[e] for e in pack().events if events[e] < 3} == {}


def test_file_names_start_with_their_event():
    for path in FILES:
        event = yaml.safe_load(path.read_text(encoding="utf-8"))["event"]
        first = event[0] if isinstance(event, list) else event
        assert path.stem.startswith(f"{first}-"), path.name
