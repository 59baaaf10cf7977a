"""A trend chart per test as SVG geometry, computed on the server: points, line and the reference range band.

Pure: the template draws what this returns. Only numeric results in one unit (the newest result's) are plotted;
the others stay in the table beside the chart, which is also the chart's accessible text.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaari.labs.ordering.results import AnalyteResults, ResultRow, local_date, number_text

WIDTH, HEIGHT = 360, 140
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 24


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value_text: str
    date_text: str
    abnormal: bool

    # An abnormal result is drawn as a square, a normal one as a circle: shape, not only colour.
    @property
    def box_x(self) -> float:
        return round(self.x - 5, 1)

    @property
    def box_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    unit: str
    points: tuple[ChartPoint, ...]
    line: str  # SVG polyline points
    band_y: float | None
    band_height: float | None
    axis_top: str
    axis_bottom: str
    first_date: str
    last_date: str
    low: float | None
    high: float | None
    left_out: int  # results not plotted: other unit, no number, no date

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_top(self) -> int:
        return TOP

    @property
    def plot_width(self) -> int:
        return self.width - LEFT - RIGHT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM


def trend_chart(*, group: AnalyteResults) -> TrendChart | None:
    """The chart of a test's results, oldest left; None when fewer than one plottable result."""
    unit = group.latest.unit
    plotted = [r for r in group.rows if r.number is not None and r.moment is not None and r.unit == unit]
    if not plotted:
        return None
    plotted.sort(key=lambda r: r.moment)  # type: ignore[arg-type, return-value]
    reference = next((r for r in reversed(plotted) if r.low is not None or r.high is not None), None)
    low = reference.low if reference else None
    high = reference.high if reference else None
    values = [r.number for r in plotted if r.number is not None]
    bottom, top = _scale([*values, *(b for b in (low, high) if b is not None)])
    points = tuple(_point(r, plotted, bottom, top) for r in plotted)
    band_y = band_height = None
    if low is not None or high is not None:
        y_high = _y(high if high is not None else top, bottom, top)
        y_low = _y(low if low is not None else bottom, bottom, top)
        band_y, band_height = round(y_high, 1), round(max(y_low - y_high, 1.0), 1)
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        unit=unit,
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        band_y=band_y,
        band_height=band_height,
        axis_top=number_text(top),
        axis_bottom=number_text(bottom),
        first_date=points[0].date_text,
        last_date=points[-1].date_text,
        low=low,
        high=high,
        left_out=len(group.rows) - len(plotted),
    )


def _scale(numbers: list[float]) -> tuple[float, float]:
    smallest, largest = min(numbers), max(numbers)
    span = largest - smallest or abs(largest) or 1.0
    return _round(smallest - span * 0.1), _round(largest + span * 0.1)


def _round(number: float) -> float:
    return float(f"{number:.3g}")


def _y(value: float, bottom: float, top: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (top - value) / (top - bottom)


def _point(row: ResultRow, plotted: list[ResultRow], bottom: float, top: float) -> ChartPoint:
    assert row.number is not None and row.moment is not None
    first, last = plotted[0].moment, plotted[-1].moment
    assert first is not None and last is not None
    width = WIDTH - LEFT - RIGHT
    spread = (last - first).total_seconds()
    x = LEFT + width / 2 if spread == 0 else LEFT + width * (row.moment - first).total_seconds() / spread
    return ChartPoint(
        x=round(x, 1),
        y=round(_y(row.number, bottom, top), 1),
        value_text=f"{row.value_text} {row.unit}".strip(),
        date_text=local_date(row.moment),
        abnormal=row.flag_is_abnormal,
    )
