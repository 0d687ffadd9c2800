"""The shared example scenarios give exactly their expected procedures (as check-scenarios does)."""

from pathlib import Path

import pytest
from django.conf import settings

from catalog.navigator import navigate
from catalog.scenario import load_scenario
from catalog.tests.helpers import key, pack

SCENARIOS = Path(settings.BASE_DIR).parent / "shared" / "scenarios"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_scenario_gives_its_expected_procedures(path):
    sc = load_scenario(path, pack())
    results = navigate(pack(), sc.case)
    got = {key(r) for r in results if r.status == "applies"}
    got_nc = {key(r) for r in results if r.status == "needs_check"}
    assert got == set(sc.expect.get("procedures") or [])
    if "needs_check" in sc.expect:
        assert got_nc == set(sc.expect["needs_check"] or [])


def test_there_are_public_scenarios_to_check():
    assert len(list(SCENARIOS.glob("*.yaml"))) >= 7
