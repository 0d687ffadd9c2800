"""Bar charts drawn as SVG on the server: no chart library to ship, print or audit."""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def bars(pairs, *, width=640, height=220, unit="") -> str:
    """Vertical bars of (label, value), each with its value written on top as it is (0 too),
    and in a <title> a screen reader and a hover read. None is "no figure": no bar, 「—」."""
    pairs = [(str(k), v) for k, v in pairs]
    if not pairs:
        return ""
    top = max((v for _k, v in pairs if v is not None), default=0) or 1
    pad, base = 24, height - 28
    step = (width - 2 * pad) / len(pairs)
    bw = max(2.0, step * 0.7)
    parts = []
    for i, (label, v) in enumerate(pairs):
        x = pad + i * step + (step - bw) / 2
        h = (base - 20) * (v or 0) / top
        mid = x + bw / 2
        value = "—" if v is None else _fmt(v) + str(unit)
        parts.append(
            f"<g><title>{escape(label)}：{escape(value)}</title>"
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bw:.1f}" height="{h:.1f}" class="bar"/>'
            f'<text x="{mid:.1f}" y="{base - h - 4:.1f}" class="v">{escape(value)}</text>'
            f'<text x="{mid:.1f}" y="{base + 16}" class="k">{escape(label)}</text></g>'
        )
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" class="axis"/>{"".join(parts)}</svg>'
    )


def _fmt(v) -> str:
    """One decimal at most, as the tables print it: 2.75 → 2.8, 6.0 → 6."""
    return f"{v:.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
