"""「該当なし」 answers only the checklist questions posted, as the clerk's answers; the next
newcomer row starts with the family's surname, reading and relation."""

from datetime import date

import pytest
from django.urls import reverse

from counter import services
from counter.forms import newcomer_defaults


def _visit(clerk):
    v = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    services.add_newcomer(v, by=clerk, data={
        "name": "葛西\u3000辰治", "name_kana": "カサイ\u3000タツジ", "birth_date": date(1988, 5, 12),
        "sex": "1", "relation": "世帯主", "nationality": "JP", "role": "member"})  # fmt: skip
    return v


@pytest.mark.django_db
def test_the_second_newcomer_starts_as_the_heads_wife_with_the_family_name(clerk):
    v = _visit(clerk)
    assert newcomer_defaults(v) == {
        "surname": "葛西", "surname_kana": "カサイ", "relation": "妻", "sex": "2"}  # fmt: skip


@pytest.mark.django_db
def test_none_apply_records_the_clerks_no_for_checklist_questions_only(clerk, clerk_client):
    v = _visit(clerk)
    url = reverse("counter:answer_none", args=[v.number])
    r = clerk_client.post(url, {"q": ["owns_dog:p1", "disability_handbooks:p1"]})
    assert r.status_code == 200
    p = v.people.get()
    assert p.facts["owns_dog"] is False and p.facts["disability_handbooks"] == []
    assert v.answers.filter(by=clerk, fact="owns_dog").count() == 1
    # A fact that is not a checklist one (most people have a card) is refused.
    r = clerk_client.post(url, {"q": ["has_mynumber_card:p1"]})
    assert r.status_code == 400
    assert "has_mynumber_card" not in v.people.get().facts
