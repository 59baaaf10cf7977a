"""Units as Finnish laboratories write them, to UCUM codes."""

from __future__ import annotations

_UCUM = {
    "g/l": "g/L", "mg/l": "mg/L", "ug/l": "ug/L", "µg/l": "ug/L", "ng/l": "ng/L", "mmol/l": "mmol/L",
    "umol/l": "umol/L", "µmol/l": "umol/L", "nmol/l": "nmol/L", "pmol/l": "pmol/L", "mmol/mol": "mmol/mol",
    "e9/l": "10*9/L", "x10e9/l": "10*9/L", "10^9/l": "10*9/L", "e12/l": "10*12/L", "x10e12/l": "10*12/L",
    "10^12/l": "10*12/L", "fl": "fL", "pg": "pg", "%": "%", "u/l": "U/L", "iu/l": "[IU]/L", "mu/l": "m[IU]/L",
    "miu/l": "m[IU]/L", "ku/l": "k[IU]/L", "mm/h": "mm/h", "mg/mmol": "mg/mmol", "inr": "{INR}",
    "ml/min/1.73m2": "mL/min/{1.73_m2}", "ml/min/1,73m2": "mL/min/{1.73_m2}", "ml/min/1.73 m2": "mL/min/{1.73_m2}",
    "u/ml": "U/mL", "ratio": "{ratio}",
}  # fmt: skip


def ucum_of(text: str) -> str | None:
    return _UCUM.get(text.strip().casefold().replace("μ", "µ"))
