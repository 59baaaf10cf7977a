"""Download axe-core (MPL-2.0) from the npm registry for the browser tests' accessibility check.

    python -m scripts.fetch_axe_core [DEST]

DEST defaults to ./cache/axe-core; nothing is downloaded when it is already there. The tests inject
`package/axe.min.js` into each page they check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.fetch_fhir_package import npm_package_fetch

PACKAGE = "axe-core"
VERSION = "4.10.3"
DEFAULT_DEST = Path(__file__).resolve().parent.parent / "cache" / PACKAGE


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEST
    print(npm_package_fetch(PACKAGE, VERSION, target))
