"""The call chime, made with the standard library at first request: no binary asset in the repo."""

import functools
import io
import math
import struct
import wave

RATE = 22050


@functools.cache
def chime_wav() -> bytes:
    """Two falling tones (ピンポーン), 16-bit mono, about 0.9 s."""
    frames = bytearray()
    for freq, seconds in ((784.0, 0.35), (622.0, 0.55)):
        n = int(RATE * seconds)
        for i in range(n):
            t = i / RATE
            envelope = math.exp(-4.0 * t) * min(1.0, i / 200)  # a soft attack avoids a click
            sample = (
                0.5
                * envelope
                * (math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t))
            )
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return buf.getvalue()
