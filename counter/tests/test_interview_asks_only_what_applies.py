"""The counter screen for the family of four asks only what can apply to each of them."""

import pytest
from django.urls import reverse

from counter.models import Visit

FAMILY = [
    dict(given_name="辰治", birth_date="1988-05-12", sex="1", relation="世帯主"),
    dict(given_name="美咲", birth_date="1990-08-03", sex="2", relation="妻"),
    dict(given_name="𠮷乃", birth_date="2018-06-20", sex="2", relation="子"),
    dict(given_name="髙志", birth_date="2022-01-15", sex="1", relation="子"),
]


@pytest.fixture
def family_visit(clerk_client):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-family"},
    )
    visit = Visit.objects.get()
    for i, p in enumerate(FAMILY):
        data = dict(surname="葛西", surname_kana="カサイ", given_kana="テスト", nationality="JP")
        data.update(p, token=f"f{i}")
        r = clerk_client.post(reverse("counter:person_add", args=[visit.number]), data)
        assert r.status_code in (200, 302)
    return visit


def _page(client, visit):
    return client.get(reverse("counter:visit", args=[visit.number])).content.decode()


@pytest.mark.django_db
def test_the_family_of_four_is_asked_30_questions_not_49(clerk_client, family_visit):
    html = _page(clerk_client, family_visit)
    assert "残り 30 問" in html
    assert 'data-fact="joins_spouse_insurance"' not in html
    assert 'data-fact="has_inkan"' not in html
    assert 'data-fact="care_certified"' not in html


@pytest.mark.django_db
def test_the_main_earner_answered_for_the_father_is_not_asked_of_the_mother(
    clerk_client, family_visit
):
    url = reverse("counter:answer", args=[family_visit.number])
    clerk_client.post(url, {"fact": "main_earner", "person": "p1", "value": "true"})
    html = _page(clerk_client, family_visit)
    assert 'data-fact="main_earner"' not in html
    # 30 less the answer, less the mother's 生計中心者 and 公務員 that went with it.
    assert "残り 27 問" in html
