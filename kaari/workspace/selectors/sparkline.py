"""A small trend line of a few values as SVG points, drawn by the server (no JavaScript, no chart library)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 96
HEIGHT = 24
PAD = 2


@dataclass(frozen=True)
class Sparkline:
    points: str  # "x,y x,y ..." for a <polyline>
    last_x: float
    last_y: float
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(values: list[float]) -> Sparkline | None:
    """Oldest value first; None for fewer than two values (a line needs two)."""
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    coordinates = [
        (round(PAD + i * step, 1), round(HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD), 1))
        for i, v in enumerate(values)
    ]
    return Sparkline(
        points=" ".join(f"{x},{y}" for x, y in coordinates), last_x=coordinates[-1][0], last_y=coordinates[-1][1]
    )
