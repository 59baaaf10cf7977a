"""Download and unpack the official FHIR R4 examples package (CC0) from the npm registry.

    python -m scripts.fetch_fhir_package [DEST]

The package holds the R4 definitions (structure definitions, value sets, search parameters) and the 4.0.1
examples. DEST defaults to ./cache/hl7.fhir.r4.examples; nothing is downloaded when it is already there.
"""

from __future__ import annotations

import io
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "hl7.fhir.r4.examples"
VERSION = "4.0.1"
DEFAULT_DEST = Path(__file__).resolve().parent.parent / "cache" / PACKAGE


def package_fetch(dest: Path = DEFAULT_DEST) -> Path:
    """The unpacked package directory, downloading it first when needed."""
    return npm_package_fetch(PACKAGE, VERSION, dest)


def npm_package_fetch(package: str, version: str, dest: Path) -> Path:
    """An npm registry package unpacked under `dest`/package, downloaded only when not there yet."""
    marker = dest / "package" / "package.json"
    if marker.exists():
        return dest / "package"
    dest.mkdir(parents=True, exist_ok=True)
    url = f"https://registry.npmjs.org/{package}/-/{package}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(dest, filter="data")
    return dest / "package"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEST
    print(package_fetch(target))
