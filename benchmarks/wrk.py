"""Driving wrk against a set of paths and reading its figures."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass

LUA = """
local paths = {%s}
local counter = 0
wrk.headers["Accept"] = "application/fhir+json"
%s
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int

    def line(self) -> str:
        return (
            f"{self.requests_per_second:8.0f} req/s  p50 {self.p50_ms:6.2f} ms  p99 {self.p99_ms:6.2f} ms"
            f"  non-2xx {self.non_2xx}"
        )


def _ms(value: str, unit: str) -> float:
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return float(value) * factor


def wrk_run(
    base_url: str, paths: list[str], *, connections: int = 8, seconds: int = 10, token: str | None = None
) -> WrkResult:
    header = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    script = LUA % (", ".join(f'"{p}"' for p in paths), header)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, base_url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)", out, re.MULTILINE))

    def pct(key: str) -> float:
        match = re.match(r"([\d.]+)(us|ms|s)", latency[key])
        assert match
        return _ms(match.group(1), match.group(2))

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return WrkResult(rps, pct("50"), pct("99"), int(non_2xx.group(1)) if non_2xx else 0)
