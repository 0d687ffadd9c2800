"""Bar charts drawn as SVG on the server: no chart library to ship, print or audit."""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def bars(pairs, *, width=640, height=220, unit="") -> str:
    """Vertical bars of (label, value) with the value on top; None counts as no bar."""
    pairs = [(str(k), v or 0) for k, v in pairs]
    if not pairs:
        return ""
    top = max(v for _k, v in pairs) or 1
    pad, base = 24, height - 28
    step = (width - 2 * pad) / len(pairs)
    bw = max(2.0, step * 0.7)
    parts = []
    for i, (label, v) in enumerate(pairs):
        x = pad + i * step + (step - bw) / 2
        h = (base - 20) * v / top
        mid = x + bw / 2
        value = escape(_fmt(v) + str(unit)) if v else ""
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bw:.1f}" height="{h:.1f}" class="bar"/>'
            f'<text x="{mid:.1f}" y="{base - h - 4:.1f}" class="v">{value}</text>'
            f'<text x="{mid:.1f}" y="{base + 16}" class="k">{escape(label)}</text>'
        )
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" class="axis"/>{"".join(parts)}</svg>'
    )


def _fmt(v) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
