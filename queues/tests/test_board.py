"""The call display: the office's name, a clock, each counter's department, and a ticket sent
on to another counter shown with its new counter after a reload; the spoken call is a WAV the
system makes (espeak-ng), chime first, and keeps per text."""

import array
import io
import wave

import pytest
from django.urls import reverse

from lib.chime import chime_wav
from queues import services, speech


@pytest.mark.django_db
def test_the_board_names_the_office_the_departments_and_shows_a_clock(client, honcho, counters):
    page = client.get(reverse("queues:display", args=["honcho"])).text
    assert 'id="office">北見市 本庁<' in page
    assert '<span class="dept">市民課</span>' in page
    assert '<span class="dept">保険年金課</span>' in page
    assert 'id="clock"' in page and "board.js" in page


@pytest.mark.django_db
def test_a_transferred_ticket_is_shown_with_its_new_counter_after_a_reload(
    client, honcho, counters, clerk
):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)
    services.transfer(t, by=clerk, counter=counters[5])
    other = services.issue_ticket(office=honcho, purpose_code="birth")
    services.call_next(counters[2], by=clerk)
    services.transfer(other, by=clerk, department=counters[5].department)
    page = client.get(reverse("queues:display", args=["honcho"])).text
    recent = page[page.index('id="recent"') :].split("</ol>")[0]
    items = recent.split("<li")[1:]
    assert items[0].startswith(f' data-ticket="{other.label}" class="transferred">')
    assert "→ 保険年金課" in items[0] and "（転送）" in items[0]
    assert f'data-ticket="{t.label}"' in items[1] and "→ 5番" in items[1] and "転送" in items[1]
    assert len(items) == 2  # each ticket once, at its latest move


def frames(wav: bytes):
    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        return w.getframerate(), array.array("h", w.readframes(w.getnframes()))


def loud(samples) -> float:
    """Root mean square of the samples, 0..32767."""
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


def test_the_announcement_reads_the_number_and_the_counter():
    written, spoken = speech.announcement("A013", 3)
    assert written == "受付番号 A013 番の方、3番窓口へお越しください"
    assert "えー じゅうさんばんのかた" in spoken and "さんばん まどぐちへ" in spoken
    assert speech.number_reading(608) == "ろっぴゃくはち"
    assert speech.number_reading(3000) == "さんぜん"


@pytest.mark.django_db
def test_the_spoken_call_is_a_chime_then_speech_and_is_not_silent(client, settings, tmp_path):
    settings.SPEECH_CACHE_DIR = tmp_path
    response = client.get(reverse("queues:announce", args=["A013", 3]))
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    rate, samples = frames(response.content)
    chime_rate, chime = frames(chime_wav())
    assert rate == chime_rate and samples[: len(chime)] == chime  # the chime comes first
    voice = samples[len(chime) + int(rate * 0.3) :]
    assert len(voice) > rate * 2  # a sentence takes seconds, not a blip
    assert loud(voice) > 500  # speech, not silence
    cached = list(tmp_path.glob("*.wav"))
    assert len(cached) == 1 and cached[0].read_bytes() == response.content
    again = client.get(reverse("queues:announce", args=["A013", 3]))
    assert again.content == response.content and len(list(tmp_path.glob("*"))) == 1


@pytest.mark.django_db
def test_only_a_ticket_label_and_a_counter_number_are_spoken(client, settings, tmp_path):
    settings.SPEECH_CACHE_DIR = tmp_path
    assert client.get("/queue/announce/HELLO/3.wav").status_code == 404
    assert client.get("/queue/announce/A013/100.wav").status_code == 404
    assert not list(tmp_path.iterdir())
