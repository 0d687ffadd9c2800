"""In Chromium on a 1080p TV with six counters: every called number is drawn at 120 px or more
(readable from about 10 m) and fits its column; the office's name and the clock are shown."""

import pytest
from django.conf import settings

from accounts.models import Department
from queues import services
from queues.models import Counter

MEASURE = """() => [...document.querySelectorAll('.col')].map(col => {
  const now = col.querySelector('.now'), r = now.getBoundingClientRect();
  return {counter: col.dataset.counter, text: now.textContent.trim(),
          px: parseFloat(getComputedStyle(now).fontSize),
          fits: now.scrollWidth <= col.clientWidth && r.right <= innerWidth && r.bottom <= innerHeight};
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_six_counters_show_numbers_of_120_px_on_a_1080p_screen(browser, live_server, honcho, clerk):
    shimin = Department.objects.get(code="shimin")
    hoken = Department.objects.get(code="hoken_nenkin")
    for n in range(1, 7):
        counter = Counter.objects.create(
            office=honcho, number=n, department=shimin if n <= 4 else hoken
        )
        services.issue_ticket(office=honcho, purpose_code="moving" if n <= 4 else "insurance")
        services.call_next(counter, by=clerk)
    ctx = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 1920, "height": 1080}
    )
    try:
        tv = ctx.new_page()
        tv.goto("/queue/display/honcho/")
        columns = tv.evaluate(MEASURE)
        assert len(columns) == 6
        for c in columns:
            assert c["text"] not in ("", "—"), c
            assert c["px"] >= 120 and c["fits"], c
        assert tv.inner_text("#office").strip() == "北見市 本庁"
        assert tv.locator("#clock").is_visible() and ":" in tv.inner_text("#clock")
        assert tv.locator(".col .dept", has_text="保険年金課").count() == 2
        shots = settings.VAR_DIR / "screenshots"  # for a person to look at
        shots.mkdir(parents=True, exist_ok=True)
        tv.screenshot(path=str(shots / "board-6-counters.png"))
    finally:
        ctx.close()
