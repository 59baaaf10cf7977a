"""The trend chart's geometry (pure): oldest left, higher values higher, the range as a band, one unit only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kaari.labs.ordering.charts import trend_chart
from kaari.labs.ordering.results import AnalyteResults, ResultRow

START = datetime(2026, 1, 1, tzinfo=UTC)


def row(value: float | None, *, day: int, unit: str = "mmol/mol", low=20.0, high=42.0) -> ResultRow:
    return ResultRow(
        observation_id=f"o{day}",
        value_text="" if value is None else str(value),
        number=value,
        unit=unit,
        moment=START + timedelta(days=day),
        range_text="",
        low=low,
        high=high,
        flag=None,
        status="final",
    )


def group(*rows: ResultRow) -> AnalyteResults:
    newest_first = sorted(rows, key=lambda r: r.moment, reverse=True)  # type: ignore[arg-type, return-value]
    return AnalyteResults(key="analyte:hba1c", label="B -HbA1c", name="HbA1c", rows=newest_first)


def test_points_run_oldest_to_newest_left_to_right_and_higher_values_are_higher():
    chart = trend_chart(group=group(row(50, day=0), row(40, day=30), row(45, day=90)))

    assert chart is not None
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.plot_left and xs[-1] == chart.plot_right
    first, second, _ = chart.points
    assert first.y < second.y  # 50 is drawn above 40


def test_the_band_spans_the_reference_range():
    chart = trend_chart(group=group(row(50, day=0), row(40, day=30)))

    assert chart is not None and chart.band_y is not None and chart.band_height is not None
    above_band = [p for p in chart.points if p.y < chart.band_y]
    assert [p.value_text for p in above_band] == ["50 mmol/mol"]  # 40 is inside 20-42


def test_results_in_another_unit_or_without_a_number_are_left_out_and_counted():
    chart = trend_chart(group=group(row(48, day=10), row(6.1, day=5, unit="%"), row(None, day=3)))

    assert chart is not None and len(chart.points) == 1 and chart.left_out == 2
    assert chart.points[0].x == chart.plot_left + chart.plot_width / 2


def test_a_test_without_numeric_results_has_no_chart():
    assert trend_chart(group=group(row(None, day=1))) is None
