"""In Chromium: a trainee starts the scenario a supervisor gave them, and from then on every
screen shows the red 練習 banner — the customer card, the search, the visit page with each
procedure's 手引き — until they end the practice."""

from datetime import date

import pytest
from django.urls import reverse

from madoguchi.tests.worlds import PRACTICE_SCENARIO
from training.models import Assignment, Attempt

SCENARIO = PRACTICE_SCENARIO.replace("date: 2026-04-10", f"date: {date.today().isoformat()}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_banner_is_on_every_screen_of_the_practice(logged_in_page, clerk, demo_staff, tmp_path):
    page = logged_in_page
    Assignment.objects.create(trainee=clerk, assigned_by=demo_staff["kanri"], name="練習の見本",
                              source="-", scenario=SCENARIO)  # fmt: skip
    banner = page.locator(".banner-practice")
    page.goto(reverse("training:home"))
    assert banner.count() == 0
    page.click("#assignments button[type=submit]")
    page.wait_for_url("**/training/card/")
    assert banner.is_visible() and "練習" in banner.inner_text()
    assert "練習　一郎" in page.inner_text("#customer")
    page.click("text=住民検索へ")
    page.wait_for_url("**/")
    assert banner.is_visible()
    page.goto(reverse("counter:visit_new"))
    assert banner.is_visible()
    page.check("input[name=events][value=tennyu]")
    page.fill("#id_event_date", date.today().isoformat())
    page.click("main form.panel button[type=submit]")
    page.wait_for_url("**/visits/T*/")
    assert banner.is_visible()
    page.screenshot(path=str(tmp_path / "visit.png"), full_page=True)
    page.fill("#id_surname", "練習")
    page.fill("#id_given_name", "一郎")
    page.fill("#id_birth_date", "1990-01-01")
    page.select_option("#id_sex", "1")
    page.press("#id_birth_date", "Enter")
    guide = page.locator('tr[data-procedure="jumin_tennyu"] details.guide')
    guide.locator("summary").click()
    assert "方書（アパート名・部屋番号）の聞き漏れ" in guide.inner_text()
    assert Attempt.objects.filter(trainee=clerk).count() == 1
    page.click(".banner-practice button[type=submit]")
    page.wait_for_url("**/training/")
    assert banner.count() == 0
