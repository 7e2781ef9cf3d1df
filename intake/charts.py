"""Charts for the Reports page, drawn on the server as SVG: no script, nothing from another
origin, nothing the strict CSP has to allow (colours come from classes in admin.css).

These functions only place shapes; the templates under templates/admin/intake/charts/
draw them. A value of None is a group too small to show: nothing is drawn for it, and a
"<5" stands in its place, as "fewer than 5" does in the tables.
"""

import math
from dataclasses import dataclass

# Drawn 360 units wide, the width of a phone, and scaled to fit: its text stays readable
# at phone width and is not huge on a desktop (the CSS caps the width).
WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 14, 30
ROW = 40  # horizontal bars: a label line and a bar


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    values: list  # float | None, one per column


def nice_top(largest: float, *, steps: int = 4) -> tuple[float, float]:
    """A round top for the scale above `largest`, and its step: 0, 25, 50, 75, 100. Never
    a step under 1: the columns count people."""
    if largest <= 0:
        return float(steps), 1.0
    raw = max(largest / steps, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(largest / step), step


def _label(value: float) -> str:
    return f"{value:g}" if value < 1000 else f"{value / 1000:g}k"


def columns(
    *,
    labels: list[str],
    series: list[Series],
    markers: Series | None = None,
    target: tuple[float, str] | None = None,
    top: float | None = None,
) -> dict:
    """Columns over time, stacked when there are several series; `markers` are drawn as
    dots above the columns (urgent requests); `target` is a dashed line (the promise)."""
    count = len(labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    sums = [sum(s.values[i] or 0 for s in series) for i in range(count)]
    largest = max([*sums, target[0] if target else 0, 0])
    scale_top, step = (top, top / 4) if top else nice_top(largest)

    def y(value: float) -> float:
        return round(TOP + plot_h - plot_h * min(value, scale_top) / scale_top, 1)

    slot = plot_w / max(count, 1)
    width = round(slot * 0.7, 1)
    every = math.ceil(count / 7) or 1
    bars, gaps, dots, texts = [], [], [], []
    for i, label in enumerate(labels):
        x = round(LEFT + slot * i + (slot - width) / 2, 1)
        base = 0.0
        for each in series:
            value = each.values[i]
            if value is None:
                gaps.append({"x": round(x + width / 2, 1), "y": y(base) - 3})
                continue
            if value > 0:
                bars.append(
                    {
                        "x": x,
                        "y": y(base + value),
                        "width": width,
                        "height": round(y(base) - y(base + value), 1),
                        "css": each.css,
                        "title": f"{label}: {each.name} {value:g}",
                    }
                )
            base += value
        # A dot with its number fits a column up to about 16 columns; more, and only
        # the dots are drawn (the table has the numbers). No dot for none.
        if markers is not None and markers.values[i] != 0:
            value = markers.values[i]
            dots.append(
                {
                    "cx": round(x + width / 2, 1),
                    "cy": y(base) - 8,
                    "text": "" if count > 16 else "<5" if value is None else f"{value:g}",
                    "r": 7 if count <= 16 else 3,
                    "title": f"{label}: {markers.name} "
                    + ("fewer than 5" if value is None else f"{value:g}"),
                }
            )
        if i % every == 0:
            texts.append({"x": round(x + width / 2, 1), "y": HEIGHT - BOTTOM + 14, "text": label})
    ticks = []
    value = 0.0
    while value <= scale_top + 1e-9:
        ticks.append({"y": y(value), "text": _label(value)})
        value += step
    line = None
    if target:
        line = {"y": y(target[0]), "text": target[1]}
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bars": bars,
        "gaps": gaps,
        "dots": dots,
        "labels": texts,
        "ticks": ticks,
        "target": line,
        "series": series,
        "markers": markers,
    }


def bars(*, rows: list[tuple[str, float | None, str]]) -> dict:
    """Horizontal bars, one per (label, value, value in words): the funnel, the sources."""
    largest = max([value or 0 for _label, value, _text in rows] + [0])
    span = WIDTH - 90
    drawn = []
    for i, (label, value, text) in enumerate(rows):
        top = i * ROW
        length = 0 if not value or not largest else max(round(span * value / largest, 1), 1)
        drawn.append(
            {
                "label": label,
                "text": text,
                "label_y": top + 13,
                "bar_y": top + 18,
                "length": length,
                "text_x": length + 6,
                "text_y": top + 30,
            }
        )
    return {"width": WIDTH, "height": max(len(rows) * ROW, ROW), "rows": drawn}
