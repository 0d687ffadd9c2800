"""An answer taken back with 「変更」 before 受付完了 reaches no department as given: the task
its procedure makes is 要確認, and the facts it carries do not hold the withdrawn answer."""

from datetime import date

import pytest

from counter import services

pytestmark = pytest.mark.django_db


def test_a_withdrawn_dog_makes_a_task_to_check_not_one_to_do(
    clerk, django_capture_on_commit_callbacks
):
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    p1 = services.add_newcomer(visit, by=clerk, data={
        "name": "葛西\u3000辰治", "name_kana": "カサイ\u3000タツジ", "birth_date": date(1988, 5, 12),
        "sex": "1", "relation": "世帯主", "nationality": "JP", "role": "member"})  # fmt: skip
    services.record_answer(visit, by=clerk, fact="owns_dog", value=True, person=p1)
    services.withdraw_answer(visit, by=clerk, fact="owns_dog", seen=True, person=p1)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)  # the 要確認 items confirmed (none held)
    task = visit.tasks.get(procedure="inu_henko", person_key="p1")
    assert task.needs_check
    assert "owns_dog" not in task.facts["person"]
