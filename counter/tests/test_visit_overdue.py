"""A move reported long after the 異動日: the counter's list marks 期限超過 with the catalog's note."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from counter.models import Visit


def _tennyu(client, on: date):
    client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": on.isoformat(), "token": f"t-{on}"},
    )
    visit = Visit.objects.get(event_date=on)
    client.post(
        reverse("counter:person_add", args=[visit.number]),
        {
            "surname": "山田",
            "given_name": "太郎",
            "surname_kana": "ヤマダ",
            "given_kana": "タロウ",
            "birth_date": "1980-03-02",
            "sex": "1",
            "relation": "世帯主",
            "nationality": "JP",
            "token": f"p-{on}",
        },
    )
    return client.get(reverse("counter:visit", args=[visit.number])).content.decode()


def _row(html, procedure):
    start = html.index(f'data-procedure="{procedure}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_a_deadline_passed_long_ago_is_marked_overdue_with_the_note(clerk_client):
    row = _row(_tennyu(clerk_client, date(2025, 1, 10)), "jumin_tennyu")
    assert "期限超過" in row
    assert "住民基本台帳法52条" in row  # the catalog's late-filing note
    assert "令和7年1月24日" in row


@pytest.mark.django_db
def test_a_move_reported_in_time_is_not_marked(clerk_client):
    html = _tennyu(clerk_client, timezone.localdate())
    assert "期限超過" not in _row(html, "jumin_tennyu")
