"""In Chromium, by keyboard: 受付完了 opens the confirmation step listing what is open; the
clerk ticks one 要確認 with the space bar and confirms with Enter; no browser dialog."""

from datetime import date

import pytest
from django.urls import reverse

from backoffice.models import Task
from counter import services
from counter.models import Visit
from counter.tests.factories import elderly_couple


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_confirmation_step_is_a_page_worked_by_keyboard(logged_in_page, clerk):
    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenshutsu"],
                                 event_date=date(2026, 6, 15), household=hh)  # fmt: skip
    page = logged_in_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(reverse("counter:visit", args=[visit.number]))
    page.locator("#accept").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accept/confirm/")
    checks = page.locator("#open-checks input[name=check]")
    assert checks.count() >= 2
    assert "転出先の住所" in page.locator("#open-addresses").inner_text()
    assert "まだ印刷していません" in page.locator("#open-printing").inner_text()
    # The first 要確認 has the focus: the space bar ticks it, the others stay unticked.
    first, second = checks.first.get_attribute("value"), checks.nth(1).get_attribute("value")
    page.keyboard.press("Space")
    assert checks.first.is_checked() and not checks.nth(1).is_checked()
    page.locator("#accept-confirmed").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('counter:visit', args=[visit.number])}")
    assert dialogs == []
    assert "受付を完了しました" in page.content()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ACCEPTED
    procedure, _at, person = first.partition("@")
    assert Task.objects.filter(visit=visit, procedure=procedure, person_key=person).exists()
    assert first not in visit.held_checks and second in visit.held_checks
    held_proc, _at, held_person = second.partition("@")  # a form: a task had it been ticked
    assert not Task.objects.filter(
        visit=visit, procedure=held_proc, person_key=held_person
    ).exists()
