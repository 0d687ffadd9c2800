"""In Chromium on a portrait kiosk screen (1080×1920), in each language: the translated text
is on the screen, every character has a font (no missing-glyph boxes), the buttons fill the
screen; and the printed ticket is one page of 80 mm paper. Screenshots are kept under
var/screenshots/ for a person to look at."""

import functools
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from queues.tests.test_kiosk_languages import EXPECTED

SHOTS = settings.VAR_DIR / "screenshots"
LAYOUT = """() => {
  const buttons = [...document.querySelectorAll('#kiosk button')].map(b => b.getBoundingClientRect());
  return {bottom: Math.max(...buttons.map(r => r.bottom)), vh: innerHeight, vw: innerWidth,
          wide: document.scrollingElement.scrollWidth, smallest: Math.min(...buttons.map(r => r.height)),
          font: parseFloat(getComputedStyle(document.querySelector('#kiosk button')).fontSize),
          family: getComputedStyle(document.body).fontFamily};
}"""


@functools.cache
def has_font(ch: str) -> bool:
    """Some installed font draws this character (fontconfig), so Chromium shows no box."""
    out = subprocess.run(
        ["fc-list", f":charset={ord(ch):x}", "family"], capture_output=True, text=True, check=True
    )
    return bool(out.stdout.strip())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["ja", *sorted(EXPECTED)])
def test_the_kiosk_in_each_language_fills_a_portrait_screen_with_its_text(
    browser, live_server, honcho, lang
):
    ctx = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 1080, "height": 1920}
    )
    try:
        kiosk = ctx.new_page()
        kiosk.goto(f"/queue/kiosk/honcho/?lang={lang}")
        text = kiosk.inner_text("body")
        for expected in EXPECTED.get(lang, ["ようこそ", "引越し", "ひっこし"]):
            assert expected in text, expected
        missing = sorted({ch for ch in text if not ch.isspace() and not has_font(ch)})
        assert not missing, f"no font for {missing}"
        layout = kiosk.evaluate(LAYOUT)
        assert layout["wide"] <= layout["vw"], layout  # nothing off the side
        assert layout["bottom"] >= 0.9 * layout["vh"], layout  # the buttons use the screen
        assert layout["smallest"] >= 150 and layout["font"] >= 40, layout  # large type
        assert "sans" in layout["family"].lower(), layout
        SHOTS.mkdir(parents=True, exist_ok=True)
        kiosk.screenshot(path=str(SHOTS / f"kiosk-{lang}.png"))
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_ticket_prints_on_one_page_of_80_mm_paper(browser, live_server, honcho, tmp_path):
    ctx = browser.new_context(locale="ja-JP", base_url=live_server.url)
    try:
        kiosk = ctx.new_page()
        kiosk.add_init_script("window.print = function () {};")
        kiosk.goto("/queue/kiosk/honcho/")
        kiosk.click("button[data-purpose=moving]")
        kiosk.wait_for_selector("#ticket-number")
        pdf = tmp_path / "ticket.pdf"
        kiosk.pdf(path=str(pdf), prefer_css_page_size=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\n", info), info
        width = float(re.search(r"Page size:\s+([\d.]+) x", info).group(1))
        assert abs(width - 80 / 25.4 * 72) < 1, info  # 80 mm in points
    finally:
        ctx.close()
    Path(pdf).unlink()
