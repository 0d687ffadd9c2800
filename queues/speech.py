"""Spoken announcements for the call display: the chime, then
「受付番号 A013 番の方、3番窓口へお越しください」, made by espeak-ng (a Debian package, offline)
and kept as one WAV per text, so a number called twice is spoken from the cache.

espeak-ng reads kana but not kanji, so the announcement is spoken from its reading in
hiragana; the display shows the written text.
"""

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import wave

from django.conf import settings

from lib.chime import RATE, chime_wav

LABEL = re.compile(r"[A-G][0-9]{3,4}")  # a ticket's label: the purpose's letter and the number
DIGITS = "ぜろ いち に さん よん ご ろく なな はち きゅう".split()
LETTERS = dict(zip("ABCDEFG", "えー びー しー でぃー いー えふ じー".split(), strict=True))


class SpeechUnavailable(Exception):
    """No speech engine on this machine (scripts/setup.sh installs espeak-ng)."""


def number_reading(n: int) -> str:
    """A number as it is said: 13 → じゅうさん, 105 → ひゃくご, 3 → さん (0–9999)."""
    if n == 0:
        return "ぜろ"
    out = ""
    for unit, name, special in (
        (1000, "せん", {1: "せん", 3: "さんぜん", 8: "はっせん"}),
        (100, "ひゃく", {1: "ひゃく", 3: "さんびゃく", 6: "ろっぴゃく", 8: "はっぴゃく"}),
        (10, "じゅう", {1: "じゅう"}),
    ):
        d, n = divmod(n, unit)
        if d:
            out += special.get(d) or DIGITS[d] + name
    return out + (DIGITS[n] if n else "")


def announcement(label: str, counter: int) -> tuple[str, str]:
    """(written, spoken) for a call of ticket `label` (A013) to counter `counter`."""
    written = f"受付番号 {label} 番の方、{counter}番窓口へお越しください"
    spoken = (
        f"うけつけばんごう、{LETTERS.get(label[0], '')} {number_reading(int(label[1:]))}ばんのかた、"
        f"{number_reading(counter)}ばん まどぐちへ おこしください"
    )
    return written, spoken


def engine() -> str | None:
    return shutil.which("espeak-ng")


def speak(text: str) -> bytes:
    """The text spoken in Japanese as 16-bit mono WAV at the chime's rate."""
    exe = engine()
    if exe is None:
        raise SpeechUnavailable("espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "speech.wav")
        subprocess.run(
            [exe, "-v", "ja", "-s", "150", "-w", out, text],
            check=True,
            capture_output=True,
            timeout=30,
        )
        with wave.open(out, "rb") as w:
            if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (RATE, 1, 2):
                raise SpeechUnavailable(f"unexpected format from espeak-ng: {w.getparams()}")
            return w.readframes(w.getnframes())


def announcement_wav(label: str, counter: int) -> bytes:
    """Chime, a short pause, the announcement: one WAV, cached on disk per spoken text."""
    _written, spoken = announcement(label, counter)
    cache = settings.SPEECH_CACHE_DIR / (hashlib.sha256(spoken.encode()).hexdigest()[:32] + ".wav")
    if cache.exists():
        return cache.read_bytes()
    with wave.open(io.BytesIO(chime_wav()), "rb") as w:
        chime = w.readframes(w.getnframes())
    pause = b"\0\0" * int(RATE * 0.3)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(chime + pause + speak(spoken))
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(buf.getvalue())
    partial.replace(cache)  # whole or nothing: two processes may make the same text at once
    return buf.getvalue()
