"""In Chromium: every staff and public screen runs under the Content-Security-Policy with no
violation (no inline script, no inline style, no eval), and its scripts still work.

Violations are collected twice: the page's `securitypolicyviolation` events (recorded by a
script Playwright adds before the page's own, which the policy does not apply to) and the
console's "Refused to …" errors.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Screen:
    """A browser context logged in as one user (by session cookie), collecting violations."""

    def __init__(self, browser, live_server, user=None):
        self.context = browser.new_context(
            locale="ja-JP", base_url=live_server.url, viewport={"width": 1366, "height": 900}
        )
        self.context.add_init_script(COLLECT)
        self.context.add_init_script("window.print = function () {};")  # the kiosk's receipt
        if user is not None:
            c = Client()
            c.force_login(user)
            host = live_server.url.split("//")[1].split(":")[0]
            self.context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": c.cookies["sessionid"].value,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.console: list[str] = []
        self.page.on(
            "console",
            lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None,
        )

    def violations(self) -> list[str]:
        found = list(self.page.evaluate("() => window.__csp || []"))
        found += [
            m
            for m in self.console
            if "Content Security Policy" in m or "Refused to" in m or "madoguchi: htmx" in m
        ]
        self.console.clear()
        return found

    def visit(self, url: str, *, status: int = 200) -> list[str]:
        r = self.page.goto(url)
        assert r.status == status, f"{url}: {r.status}"
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(400)  # htmx's load-triggered requests and their swaps
        return self.violations()

    def close(self):
        self.context.close()


@pytest.fixture
def world(demo_staff, settings, tmp_path, django_capture_on_commit_callbacks):
    """One of everything a screen shows: visits, tasks, a call, a consultation, a ticket,
    slots, a blank form for the designer."""
    from accounts.models import Department, Office
    from backoffice.models import CounterCall
    from counter import services
    from counter.tablet import sign_token
    from counter.tests.factories import elderly_couple
    from queues import services as queue_services
    from queues.models import Counter, Reservation, Slot
    from remote.models import Consultation

    clerk = demo_staff["shimin"]
    honcho = Office.objects.get(code="honcho")
    hoken = Department.objects.get(code="hoken_nenkin")
    hh, _h, _w = elderly_couple()
    accepted = services.start_visit(
        by=clerk, office=honcho, events=["tenshutsu"], event_date=date(2026, 6, 15), household=hh
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(accepted, by=clerk)
    hh2, _h2, _w2 = elderly_couple()
    open_visit = services.start_visit(
        by=clerk, office=honcho, events=["tenshutsu"], event_date=date(2026, 6, 15), household=hh2
    )
    task = accepted.tasks.filter(department=hoken).first()
    CounterCall.objects.create(visit=accepted, department=hoken, counter="3番窓口", called_by=clerk)
    consultation = Consultation.objects.create(
        visit=open_visit,
        office=honcho,
        requested_by=clerk,
        department=hoken,
        specialist=demo_staff["hoken"],
        state=Consultation.State.ADMITTED,
    )
    counter = Counter.objects.create(office=honcho, number=1, department=hoken)
    ticket = queue_services.issue_ticket(office=honcho, purpose_code="moving")
    Reservation.objects.create(office=honcho, planned_date=date(2026, 6, 15), name="予約　太郎")
    Slot.objects.create(
        office=honcho, purpose="moving", starts_at=timezone.now() + timedelta(days=1), capacity=2
    )
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    settings.PRINTING_DESIGNER_DIR = str(tmp_path)
    (tmp_path / "kokuho_ido.pdf").write_bytes(bytes(blank.output()))
    return {
        "accepted": accepted,
        "open": open_visit,
        "task": task,
        "consultation": consultation,
        "counter": counter,
        "ticket": ticket,
        "sign": sign_token(open_visit),
    }


def sweep(screen, urls):
    problems = {}
    for url in urls:
        found = screen.visit(url)
        if found:
            problems[url] = found
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_collector_does_catch_an_inline_script(browser, live_server, demo_staff):
    """The check below can fail: an inline script added to a page is reported."""
    s = Screen(browser, live_server, demo_staff["shimin"])
    try:
        assert s.visit("/") == []
        s.page.evaluate(
            """() => { const el = document.createElement("script");
                       el.textContent = "window.ran = 1"; document.body.appendChild(el); }"""
        )
        s.page.wait_for_timeout(200)
        found = s.violations()
        assert found and "script-src" in found[0]
        assert s.page.evaluate("() => window.ran === undefined")
    finally:
        s.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_screens_have_no_violation(browser, live_server, world, settings):
    s = Screen(browser, live_server)
    try:
        problems = sweep(
            s,
            [
                reverse("accounts:login"),
                reverse("queues:kiosk", args=["honcho"]),
                reverse("queues:ticket_print", args=[world["ticket"].token]) + "?noprint=1",
                reverse("queues:wait", args=[world["ticket"].token]),
                reverse("queues:display", args=["honcho"]),
                reverse("queues:book", args=["honcho"]),
                reverse("queues:book_okuyami", args=["honcho"]),
                reverse("counter:sign", args=[world["sign"]]),
            ],
        )
        assert s.visit("/no-such-page/", status=404) == []
        # The kiosk's script still works: one tap prints one ticket and shows the QR code.
        s.visit(reverse("queues:kiosk", args=["honcho"]))
        s.page.click("button[data-purpose=moving]")
        s.page.wait_for_selector("#ticket-number")
        assert s.page.locator("#receipt svg").count() == 1
        problems.update({"kiosk → ticket": f} for f in [s.violations()] if f)
        # The 429 page, in the same layout.
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ticket": (0, 600)}
        s.visit(reverse("queues:kiosk", args=["honcho"]))
        s.page.click("button[data-purpose=moving]")
        s.page.wait_for_selector("#error-message")
        assert "しばらくお待ちください" in s.page.inner_text("h1")
        if found := s.violations():
            problems["429"] = found
        assert problems == {}
    finally:
        s.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_counter_clerks_screens_have_no_violation_and_their_scripts_work(
    browser, live_server, world, demo_staff
):
    s = Screen(browser, live_server, demo_staff["shimin"])
    try:
        open_visit = world["open"].number
        problems = sweep(
            s,
            [
                reverse("counter:home"),
                reverse("counter:home") + "?q=タカハシ",
                reverse("counter:visit_new"),
                reverse("counter:visit", args=[open_visit]),
                reverse("counter:visit", args=[world["accepted"].number]),
                reverse("catalog:index"),
                reverse("catalog:event", args=["tenshutsu"]),
                reverse("catalog:procedure", args=["kokuho_soshitsu"]),
                reverse("catalog:try"),
                reverse("backoffice:queue"),
                reverse("queues:staff"),
                reverse("queues:staff") + f"?counter={world['counter'].pk}",
                reverse("queues:reservations"),
                reverse("remote:room", args=[world["consultation"].pk]),
                reverse("accounts:security"),
                reverse("accounts:password_change"),
                reverse("accounts:otp_setup"),
            ],
        )
        assert s.visit(reverse("counter:designer"), status=403) == []
        # The scripts that replaced inline handlers: the counter <select> submits by itself …
        s.visit(reverse("queues:staff"))
        s.page.select_option("select[name=counter]", str(world["counter"].pk))
        s.page.wait_for_url(f"**/queue/staff/?counter={world['counter'].pk}")
        # … a visit's checkbox posts its state, and a field save says so.
        s.visit(reverse("counter:visit", args=[open_visit]))
        box = s.page.locator("#people tbody tr input[type=checkbox]").first
        was = box.is_checked()
        box.click()
        s.page.wait_for_timeout(600)
        from counter.models import VisitPerson

        key = s.page.locator("#people tbody tr").first.get_attribute("data-person")
        assert VisitPerson.objects.get(visit=world["open"], key=key).moving is (not was)
        s.page.fill("input[name=phone]", "0157-11-2222")
        s.page.locator("input[name=phone]").dispatch_event("change")
        s.page.wait_for_selector("text=保存しました")
        if found := s.violations():
            problems["interactions"] = found
        assert problems == {}
    finally:
        s.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_department_supervisor_and_admin_screens_have_no_violation(
    browser, live_server, world, demo_staff
):
    problems = {}
    for user, urls in [
        (
            demo_staff["hoken"],
            [
                reverse("backoffice:queue"),
                reverse("backoffice:task", args=[world["task"].pk]),
                reverse("remote:lobby"),
                reverse("remote:room", args=[world["consultation"].pk]),
            ],
        ),
        (demo_staff["kanri"], [reverse("analytics:dashboard"), reverse("backoffice:queue")]),
        (
            demo_staff["admin"],
            [reverse("counter:designer"), reverse("counter:designer_edit", args=["kokuho_ido"])],
        ),
    ]:
        s = Screen(browser, live_server, user)
        try:
            problems.update({f"{user.username} {k}": v for k, v in sweep(s, urls).items()})
        finally:
            s.close()
    assert problems == {}
