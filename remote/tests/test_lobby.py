"""The lobby: a branch asks, one specialist of that department admits or declines."""

import threading

import pytest
from django.urls import reverse

from remote import services
from remote.models import Consultation, ConsultationEvent


@pytest.mark.django_db
def test_a_branch_request_waits_in_that_departments_lobby_only(
    client, requested, hoken_clerk, kaigo_clerk
):
    client.force_login(hoken_clerk)
    assert requested.visit.number in client.get(reverse("remote:lobby")).content.decode()
    client.force_login(kaigo_clerk)
    assert requested.visit.number not in client.get(reverse("remote:lobby")).content.decode()


@pytest.mark.django_db
def test_the_branch_clerk_requests_from_the_visit_page(client, branch_clerk, branch_visit, hoken):
    client.force_login(branch_clerk)
    client.post(reverse("remote:request", args=[branch_visit.number]), {"department": hoken.pk})
    c = Consultation.objects.get(visit=branch_visit)
    assert (c.state, c.office, c.requested_by) == (
        "requested",
        branch_clerk.staff.office,
        branch_clerk,
    )
    panel = client.get(reverse("remote:visit_panel", args=[branch_visit.number])).content.decode()
    assert "待合でお待ちいただいています" in panel
    # A second click finds the open request instead of queueing the resident twice.
    client.post(reverse("remote:request", args=[branch_visit.number]), {"department": hoken.pk})
    assert Consultation.objects.filter(visit=branch_visit).count() == 1


@pytest.mark.django_db
def test_a_main_office_visit_is_not_sent_to_the_lobby(client, clerk, hoken):
    from datetime import date

    from counter import services as counter_services

    visit = counter_services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"], event_date=date(2026, 6, 15)
    )
    client.force_login(clerk)
    response = client.post(reverse("remote:request", args=[visit.number]), {"department": hoken.pk})
    assert response.status_code == 400 and not Consultation.objects.exists()


@pytest.mark.django_db
def test_admitting_opens_the_room_and_records_who(client, requested, hoken_clerk):
    client.force_login(hoken_clerk)
    response = client.post(reverse("remote:admit", args=[requested.pk]))
    assert response["Location"] == reverse("remote:room", args=[requested.pk])
    requested.refresh_from_db()
    assert (requested.state, requested.specialist) == ("admitted", hoken_clerk)
    assert list(requested.events.values_list("kind", "by")) == [
        ("requested", requested.requested_by_id),
        ("admitted", hoken_clerk.pk),
    ]


@pytest.mark.django_db
def test_a_second_specialist_cannot_take_an_already_admitted_one(
    client, requested, hoken_clerk, demo_staff
):
    from django.contrib.auth.models import User

    from accounts.models import Staff

    colleague = User.objects.create(username="hoken2")
    Staff.objects.create(
        user=colleague,
        office=hoken_clerk.staff.office,
        department=hoken_clerk.staff.department,
        role="department",
        display_name="保険年金課 二人目",
    )
    services.admit(requested, by=hoken_clerk)
    client.force_login(colleague)
    response = client.post(reverse("remote:admit", args=[requested.pk]), follow=True)
    assert "すでに他の職員が対応" in response.content.decode()
    requested.refresh_from_db()
    assert requested.specialist == hoken_clerk
    assert requested.events.filter(kind="admitted").count() == 1
    # …and the colleague is not a party: no room for them.
    assert client.get(reverse("remote:room", args=[requested.pk])).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_specialists_admitting_at_the_same_moment_one_wins(requested, hoken_clerk, kaigo_clerk):
    barrier = threading.Barrier(2)
    results = []

    def take(user):
        from django.db import connections

        barrier.wait()
        try:
            services.admit(Consultation.objects.get(pk=requested.pk), by=user)
            results.append("won")
        except services.ConsultationConflict:
            results.append("lost")
        except Exception as e:  # a locked SQLite database counts as losing, not as a second win
            results.append(f"error {type(e).__name__}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(u,)) for u in (hoken_clerk, kaigo_clerk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1
    assert ConsultationEvent.objects.filter(consultation=requested, kind="admitted").count() == 1


@pytest.mark.django_db
def test_a_declined_request_shows_the_message_at_the_branch(
    client, requested, hoken_clerk, branch_clerk
):
    client.force_login(hoken_clerk)
    client.post(
        reverse("remote:decline", args=[requested.pk]),
        {"message": "本日は担当者が不在です。明日お越しください。"},
    )
    requested.refresh_from_db()
    assert requested.state == "declined"
    client.force_login(branch_clerk)
    panel = client.get(
        reverse("remote:visit_panel", args=[requested.visit.number])
    ).content.decode()
    assert "本日は担当者が不在です。明日お越しください。" in panel
    assert "リモート相談を依頼" in panel  # asking again is possible


@pytest.mark.django_db
def test_the_room_is_for_the_two_parties_only(client, requested, hoken_clerk, branch_clerk, clerk):
    url = reverse("remote:room", args=[requested.pk])
    client.force_login(branch_clerk)
    assert client.get(url).status_code == 403  # not admitted yet
    services.admit(requested, by=hoken_clerk)
    assert client.get(url).status_code == 200
    client.force_login(hoken_clerk)
    assert client.get(url).status_code == 200
    client.force_login(clerk)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_hanging_up_ends_it_for_both_and_records_every_step(
    client, requested, hoken_clerk, branch_clerk, django_capture_on_commit_callbacks
):
    services.admit(requested, by=hoken_clerk)
    services.mark_connected(requested, by=branch_clerk)
    assert not services.mark_connected(requested, by=hoken_clerk)  # a reconnect adds no row
    client.force_login(branch_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("remote:end", args=[requested.pk]))
    client.force_login(hoken_clerk)
    client.post(reverse("remote:end", args=[requested.pk]))  # both hang up: still one "ended"
    assert list(requested.events.values_list("kind", flat=True)) == [
        "requested",
        "admitted",
        "connected",
        "ended",
    ]
    assert client.get(reverse("remote:room", args=[requested.pk])).status_code == 403
