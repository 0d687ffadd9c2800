"""Specialists hear of a waiting request from any page: the header counts it for the
department it waits for, and remote:waiting keeps the count live (remote/notify.js)."""

import pytest
from django.urls import reverse

from remote import services


def _header_count(client, url):
    html = client.get(url).content.decode()
    head = html[html.index('<header class="top">') : html.index("</header>")]
    return head


@pytest.mark.django_db
def test_the_departments_staff_see_the_count_in_the_header_of_another_page(
    client, requested, hoken_clerk
):
    client.force_login(hoken_clerk)
    head = _header_count(client, reverse("backoffice:queue"))
    assert 'id="remote-count"' in head
    count = head[head.index('id="remote-count"') :]
    assert "hidden" not in count[: count.index(">")] and ">1</span>" in count
    assert f'data-latest="{requested.pk}"' in head


@pytest.mark.django_db
def test_another_departments_staff_see_no_count(client, requested, kaigo_clerk):
    client.force_login(kaigo_clerk)
    head = _header_count(client, reverse("backoffice:queue"))
    count = head[head.index('id="remote-count"') :]
    assert "hidden" in count[: count.index(">")] and ">0</span>" in count


@pytest.mark.django_db
def test_counter_clerks_have_no_lobby_link_nor_poll(client, requested, branch_clerk):
    client.force_login(branch_clerk)
    head = _header_count(client, reverse("counter:home"))
    assert "remote-count" not in head and "notify.js" not in head


@pytest.mark.django_db
def test_the_count_follows_admitting(client, requested, hoken_clerk):
    client.force_login(hoken_clerk)
    url = reverse("remote:waiting")
    assert client.get(url).json() == {"count": 1, "latest": requested.pk}
    services.admit(requested, by=hoken_clerk)
    assert client.get(url).json() == {"count": 0, "latest": 0}


@pytest.mark.django_db
def test_the_count_is_a_departments_only(client, requested, branch_clerk):
    client.force_login(branch_clerk)
    response = client.get(reverse("remote:waiting"))
    assert response.status_code == 403
    assert "相談の待合は担当課の職員が開きます" in response.content.decode()
