"""The training score against the navigator, on two public scenarios (../shared/scenarios):
a clean run scores every procedure; a wrong answer names the missed or the extra procedure;
a question left 「わからない」 leaves its procedure missed (要確認のまま); a question that could
not matter is named."""

import pytest
from django.test import Client
from django.urls import reverse

from training.models import Assignment
from training.tests import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def kanri(demo_staff):
    c = Client()
    c.force_login(demo_staff["kanri"])
    return c


def _ids(items):
    return {f"{m['id']}@{m['person'] or ''}" for m in items}


def test_a_clean_run_of_the_family_of_four_scores_every_procedure(
    kanri, clerk_client, clerk, django_capture_on_commit_callbacks
):
    a = practice.assign(kanri, clerk, practice.FAMILY)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = practice.run(clerk_client, a)
    attempt.refresh_from_db()
    s = attempt.score
    assert attempt.finished_at is not None
    assert s["expected"] == 11 and s["matched"] == 11
    assert s["missed"] == [] and s["extra"] == [] and s["needless"] == []
    assert s["answers"] > 0 and s["actions"] >= s["answers"]
    assert s["seconds"] is not None


def test_a_wrong_answer_names_the_missed_and_the_extra_procedure(
    kanri, clerk_client, clerk, django_capture_on_commit_callbacks
):
    a = practice.assign(kanri, clerk, practice.FAMILY)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = practice.run(
            clerk_client,
            a,
            # The dog forgotten; daycare not wanted said as wanted is not in this file, so:
            # the father's dog answered いいえ → 犬の登録変更 missed.
            wrong={("father", "owns_dog"): False},
        )
    attempt.refresh_from_db()
    s = attempt.score
    assert _ids(s["missed"]) == {"inu_henko@father"}
    assert s["extra"] == []
    page = clerk_client.get(f"/training/attempts/{attempt.pk}/").content.decode()
    assert "犬" in page  # the missed procedure's title, in the trainee's result
    # Still practising after 受付完了: the banner leads to the result.
    home = clerk_client.get("/").content.decode()
    assert f'href="/training/attempts/{attempt.pk}/"' in home


def test_the_first_child_scenario_names_extra_and_open_procedures(
    kanri, clerk_client, clerk, django_capture_on_commit_callbacks
):
    a = practice.assign(kanri, clerk, practice.BIRTH)
    with django_capture_on_commit_callbacks(execute=True):
        clean = practice.run(clerk_client, a)
    clean.refresh_from_db()
    assert clean.score["matched"] == clean.score["expected"] == 6, clean.score
    assert clean.score["missed"] == [] and clean.score["extra"] == []
    with django_capture_on_commit_callbacks(execute=True):
        attempt = practice.run(
            clerk_client,
            a,
            # The mother's insurance left わからない: 出産育児一時金 stays 要確認 (missed);
            wrong={("father", "public_servant"): True},
            unknown={("mother", "health_insurance")},
        )
    attempt.refresh_from_db()
    s = attempt.score
    missed = {f"{m['id']}@{m['person'] or ''}": m for m in s["missed"]}
    assert "shussan_ichijikin@mother" in missed and missed["shussan_ichijikin@mother"]["open"]
    # A 公務員 father's 児童手当 is his employer's, not the city's: the city's one is missed.
    assert "jidoteate_birth@father" in missed


def test_an_answer_that_could_not_matter_is_named(
    kanri, clerk_client, clerk, django_capture_on_commit_callbacks
):
    a = practice.assign(kanri, clerk, practice.FAMILY)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = practice.run(clerk_client, a, extra_answers=[("child1", "owns_moped", "false")])
    attempt.refresh_from_db()
    labels = [m["fact"] + "@" + (m["person"] or "") for m in attempt.score["needless"]]
    assert labels == ["owns_moped@child1"]
    assert attempt.score["missed"] == [] and attempt.score["extra"] == []


@pytest.mark.parametrize("event", ["birth", "death", "tenkyo", "tennyu"])
def test_a_household_made_from_a_catalog_event_can_be_practised_without_a_slip(
    event, kanri, clerk_client, clerk, django_capture_on_commit_callbacks
):
    r = kanri.post(reverse("training:assign"), {"trainees": [clerk.staff.pk], "event": event})
    assert r.status_code == 302
    a = Assignment.objects.get(trainee=clerk)
    assert a.source == "カタログの届出"
    with django_capture_on_commit_callbacks(execute=True):
        attempt = practice.run(clerk_client, a)
    attempt.refresh_from_db()
    s = attempt.score
    assert s["expected"] > 0 and s["matched"] == s["expected"], s
    assert s["missed"] == [] and s["extra"] == []
