import pytest
from django.urls import reverse

from demo.staff import DEMO_PASSWORD


@pytest.mark.django_db
def test_a_demo_clerk_logs_in_and_reaches_the_search(client, clerk):
    r = client.post(
        reverse("accounts:login"), {"username": "shimin", "password": DEMO_PASSWORD}, follow=True
    )
    assert r.status_code == 200
    assert "住民検索" in r.content.decode()
    assert r.context["user"] == clerk


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_japanese_message(client, clerk):
    r = client.post(reverse("accounts:login"), {"username": "shimin", "password": "wrong"})
    assert "ユーザー名またはパスワードが正しくありません" in r.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_counter_is_closed_to_anonymous_users(client):
    r = client.get(reverse("counter:home"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


@pytest.mark.django_db
def test_every_demo_office_and_department_has_a_login(demo_staff):
    offices = {u.staff.office.kind for u in demo_staff.values()}
    assert offices == {"main", "branch"}
    assert {"shimin", "hoken_nenkin", "kaigo", "kodomo"} <= {
        u.staff.department.code for u in demo_staff.values()
    }
