"""The monitoring report's charts, as the selection report draws them (`report.charts`: plain
rectangles, lines and texts laid out as inline SVG by the `svg` macro; no script, same data ->
same bytes).

`progress_chart`: a centre's cumulative achievement period by period (dark steps and dots) against
the path to its target (dashed: the target spread evenly over its periods) and the target itself
(a grey line at the top); `share_bars`: women's share per centre.
"""

from __future__ import annotations

from dtc_select.report.charts import _chart, _line, _rect, _text, value_bars
from dtc_select.report.i18n import Formatter

WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 500, 190, 64, 14, 34, 36


def progress_chart(periods: list[str], cumulative: list[float | None], target: float | None,
                   target_span: tuple[int, int] | None, fmt: Formatter, label: str) -> dict:
    """`cumulative[i]`: achieved up to periods[i] (None when periods[i] was not reported: the line
    goes straight to the next period reported); `target_span`:
    the first and last index of the target's periods in `periods`."""
    chart = _chart(WIDTH, HEIGHT, label)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    known = [c for c in cumulative if c is not None]
    top = max([target or 0, *known, 1])
    step = plot_w / max(len(periods), 1)

    def x(i: float) -> float:
        return round(LEFT + i * step, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - value / top * plot_h, 1)

    for value in sorted({0, top / 2, top}):
        _line(chart, LEFT - 4, y(value), LEFT + plot_w, y(value), "grid")
        _text(chart, LEFT - 8, y(value) + 4, fmt.integer(round(value)), anchor="end")
    if target is not None and target_span is not None:
        first, last = target_span
        _line(chart, x(first), y(0), x(last + 1), y(target), "mid")  # the even path to the target
        _line(chart, LEFT, y(target), LEFT + plot_w, y(target), "target")
        _text(chart, LEFT + plot_w, y(target) - 4, fmt.m("mon_chart_target", value=fmt.integer(target)), anchor="end")
    previous = (x(0), y(0))
    for i, value in enumerate(cumulative):
        if value is None:
            continue
        point = (x(i + 1), y(value))
        _line(chart, previous[0], previous[1], point[0], point[1], "achieved")
        _rect(chart, point[0] - 3, point[1] - 3, 6, 6, "c-filled")
        previous = point
    _line(chart, LEFT, TOP + plot_h, LEFT + plot_w, TOP + plot_h)
    every = max(1, len(periods) // 7)
    for i, period in enumerate(periods):
        if i % every == 0:
            _text(chart, x(i + 1), TOP + plot_h + 16, period, anchor="middle")
    return chart


def share_bars(rows: list[tuple[str, float | None]], fmt: Formatter, label: str) -> dict:
    """One bar per centre: the share (0..1) of women among those trained."""
    return value_bars([(name, share, "c-value") for name, share in rows], fmt, label, percent=True, applicants=False)
