"""A trainee's answer taken back with 「変更」 is not counted as an answer in the score: the
withdrawal row (counter.models.Answer.withdrawn) records the correction, not an answer."""

from datetime import date

import pytest

from catalog.scenario import load_scenario
from counter import services
from training import scoring
from training.tests import practice

pytestmark = pytest.mark.django_db


def test_a_withdrawn_answer_is_not_scored_as_an_answer(clerk):
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    p1 = services.add_newcomer(visit, by=clerk, data={
        "name": "葛西\u3000辰治", "name_kana": "カサイ\u3000タツジ", "birth_date": date(1988, 5, 12),
        "sex": "1", "relation": "世帯主", "nationality": "JP", "role": "member"})  # fmt: skip
    services.record_answer(visit, by=clerk, fact="owns_dog", value=True, person=p1)
    services.withdraw_answer(visit, by=clerk, fact="owns_dog", seen=True, person=p1)
    services.record_answer(visit, by=clerk, fact="owns_dog", value=False, person=p1)
    assert visit.answers.count() == 3  # the history keeps all three rows

    s = scoring.score(load_scenario(practice.FAMILY), visit, actions=3, seconds=None)
    assert s["answers"] == 2
