"""Fill empty translations in a gettext catalogue from a TOML table of msgid = msgstr, then leave compiling to
`django-admin compilemessages`. Used when adding strings to a locale:

    python -m scripts.po_fill kaari/workspace/locale/fi/LC_MESSAGES/django.po translations.toml
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ENTRY = re.compile(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr ""\n(?!")')


def po_fill(po: Path, translations: dict[str, str]) -> list[str]:
    """Write the translations into `po`; return the msgids still untranslated."""
    text = po.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        msgid = match.group(1)
        if not msgid:
            return match.group(0)
        if msgid in translations:
            escaped = translations[msgid].replace("\\", "\\\\").replace('"', '\\"')
            return f'msgid "{msgid}"\nmsgstr "{escaped}"\n'
        missing.append(msgid)
        return match.group(0)

    po.write_text(ENTRY.sub(fill, text), encoding="utf-8")
    return missing


if __name__ == "__main__":
    table = tomllib.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    left = po_fill(Path(sys.argv[1]), table)
    for msgid in left:
        print(f"untranslated: {msgid}")
