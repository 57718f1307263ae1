"""The report's charts as plain shapes (rectangles, lines, texts) that the template draws as inline
SVG: no script, no remote resource, same data -> same bytes. Colours come from CSS classes
(`c-<name>`), so the print stylesheet can change them. Every text is autoescaped by the template.
"""

from __future__ import annotations

import math

import pandas as pd

from dtc_select.report.i18n import Formatter, missing

LABEL_WIDTH = 260
BAR_WIDTH = 300
ROW = 22


def _chart(width: int, height: int, label: str) -> dict:
    return {"width": width, "height": height, "label": label, "rects": [], "lines": [], "texts": []}


def _rect(chart, x, y, w, h, cls):
    chart["rects"].append({"x": round(x, 1), "y": round(y, 1), "w": round(max(w, 0), 1), "h": h, "cls": cls})


def _text(chart, x, y, text, cls="", anchor="start"):
    chart["texts"].append({"x": round(x, 1), "y": round(y, 1), "text": text, "cls": cls, "anchor": anchor})


def _line(chart, x1, y1, x2, y2, cls="axis"):
    chart["lines"].append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "cls": cls})


def short(text: str, limit: int = 32) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def seats_chart(regions: list[str], seats: list[int], filled: list[int], fmt: Formatter) -> dict:
    """One bar per region: light for the seats given, dark for the centres selected there."""
    m = fmt.m
    chart = _chart(LABEL_WIDTH + BAR_WIDTH + 220, 12 + len(regions) * ROW + 8, m.chart_seats_label)
    unit = BAR_WIDTH / max(max(seats, default=0), max(filled, default=0), 1)
    for i, (name, s, f) in enumerate(zip(regions, seats, filled)):
        y = 8 + i * ROW
        _text(chart, LABEL_WIDTH - 6, y + 13, name, anchor="end")
        _rect(chart, LABEL_WIDTH, y, s * unit, 16, "c-seats")
        _rect(chart, LABEL_WIDTH, y + 4, f * unit, 8, "c-filled")
        _text(chart, LABEL_WIDTH + max(s, f) * unit + 6, y + 13, m("chart_seats_filled", seats=s, filled=f))
    return chart


def value_bars(rows: list[tuple[str, float, str]], fmt: Formatter, label: str, *, scale: float = 1.0,
               percent: bool = False, applicants: bool = True) -> dict:
    """Horizontal bars for (label, value, css class) rows, values from 0 to `scale`. With
    `applicants`, the labels are applicants' own words (class "who": not the report's language)."""
    chart = _chart(LABEL_WIDTH + BAR_WIDTH + 70, 12 + len(rows) * ROW + 8, label)
    unit = BAR_WIDTH / scale
    for i, (name, value, cls) in enumerate(rows):
        y = 8 + i * ROW
        if cls == "group":  # a heading row, e.g. a region's name above its centres
            _text(chart, 4, y + 14, name, "group")
            continue
        _text(chart, LABEL_WIDTH - 6, y + 13, name, "who" if applicants else "", anchor="end")
        _rect(chart, LABEL_WIDTH, y + 1, BAR_WIDTH, 14, "c-track")
        if not missing(value):
            _rect(chart, LABEL_WIDTH, y + 1, min(float(value), scale) * unit, 14, cls)
            shown = fmt.share(value) if percent else fmt.decimal(value, 3)  # as the tables write it
            _text(chart, LABEL_WIDTH + BAR_WIDTH + 6, y + 13, shown)
        else:
            _text(chart, LABEL_WIDTH + BAR_WIDTH + 6, y + 13, "—")
    return chart


def profile_chart(values: list[tuple[str, float]], fmt: Formatter, label: str) -> dict:
    """A criterion profile: one bar per criterion, each from 0 to 1."""
    chart = value_bars([(name, value, "c-value") for name, value in values], fmt, label, applicants=False)
    # Halfway mark: helps compare centres across small multiples.
    _line(chart, LABEL_WIDTH + BAR_WIDTH / 2, 4, LABEL_WIDTH + BAR_WIDTH / 2, chart["height"] - 4, "mid")
    return chart


STACK = ("selected", "reserve", "not_selected")


def distribution_chart(decisions: pd.DataFrame, fmt: Formatter) -> dict | None:
    """Histogram of the eligible applicants' scores, bins of 0.05, stacked by status."""
    m = fmt.m
    ranked = decisions[decisions["status"].isin(STACK) & decisions["score"].notna()]
    if ranked.empty:
        return None
    width = 0.05
    low = math.floor(float(ranked["score"].min()) / width)
    high = max(math.floor(float(ranked["score"].max()) / width), low)
    bins = list(range(low, high + 1))
    index = (ranked["score"].astype(float) / width).apply(math.floor)
    counts = {b: {s: int(((index == b) & (ranked["status"] == s)).sum()) for s in STACK} for b in bins}
    tallest = max(sum(c.values()) for c in counts.values())
    plot_h, bar_w, left, top = 160, max(14, min(40, 560 // len(bins))), 40, 28
    chart = _chart(left + bar_w * len(bins) + 20, top + plot_h + 44, m.chart_distribution_label)
    unit = plot_h / tallest
    for n, status in enumerate(STACK):  # legend
        _rect(chart, left + n * 150, 4, 12, 12, f"c-{status}")
        _text(chart, left + n * 150 + 16, 14, fmt.status(status))
    for step in sorted({0, tallest // 2, tallest}):
        y = top + plot_h - step * unit
        _line(chart, left - 4, y, left + bar_w * len(bins), y, "grid")
        _text(chart, left - 8, y + 4, str(step), anchor="end")
    for i, b in enumerate(bins):
        x, base = left + i * bar_w, top + plot_h
        for status in STACK:
            height = counts[b][status] * unit
            if height:
                _rect(chart, x + 1, base - height, bar_w - 2, round(height, 1), f"c-{status}")
                base -= height
        if i % max(1, len(bins) // 8) == 0:
            _text(chart, x, top + plot_h + 16, fmt.decimal(b * width, 2), anchor="start")
    _line(chart, left, top + plot_h, left + bar_w * len(bins), top + plot_h)
    _text(chart, left, top + plot_h + 34, m.chart_distribution_axis)
    return chart
