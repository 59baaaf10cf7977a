"""Make the data for `make bench-search`: the shared Synthea bundles, copied over and over with fresh ids.

    python -m benchmarks.search_data --copies 460 --out var/bench-search-data
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kaari_bench_search kaari load var/bench-search-data

460 copies of the 10 bundles (2,214 resources each) make 1,018,440 resources. Each copy gets new logical
ids (uuid5 of copy and old id), references rewritten to them, identifier values made unique, Finnish
names with accents and a valid synthetic personal identity code (individual number 900-999) for every
Patient. In every 40th copy all ten patients' data is pointed at the first patient, so that some patients
have about 2,000 resources, for $everything.
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.support import SYNTHEA

NAMESPACE = uuid.UUID("6b1c3a5e-7d0f-4d55-9a57-4b7f0c1e2a90")
FAMILIES = [
    "Åhlström",
    "Järvinen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvi",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Öhman",
    "Ärölä",
    "Lindqvist",
    "Holmström",
    "Sjöberg",
]
GIVEN = [
    "Aino",
    "Eino",
    "Väinö",
    "Helmi",
    "Onni",
    "Lyydia",
    "Eetu",
    "Sää",
    "Iida",
    "Elias",
    "Venla",
    "Leevi",
    "Äiti",
    "Aapo",
    "Ella",
    "Juho",
    "Siiri",
    "Mikko",
    "Pirjo",
    "Seppo",
    "Tuula",
    "Jyrki",
    "Päivi",
    "Jörn",
]
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY = {18: "+", 19: "-", 20: "A"}


def hetu(birth: date, number: int) -> str:
    head = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
    return f"{head}{CENTURY[birth.year // 100]}{number:03d}{CHECK[int(f'{head}{number:03d}') % 31]}"


def copy_make(bundles: list[dict[str, Any]], copy: int, used_hetus: set[str]) -> list[dict[str, Any]]:
    rng = random.Random(copy)
    resources: list[dict[str, Any]] = []
    heavy = copy % 40 == 0
    for bundle in bundles:
        mapping = {}
        for entry in bundle["entry"]:
            old = entry["resource"]
            new_id = str(uuid.uuid5(NAMESPACE, f"{copy}:{old['id']}"))
            mapping[entry["fullUrl"]] = f"{old['resourceType']}/{new_id}"
        text = json.dumps([e["resource"] for e in bundle["entry"]])
        for full_url, reference in mapping.items():
            text = text.replace(f'"{full_url}"', f'"{reference}"')
        for resource in json.loads(text):
            resource["id"] = str(uuid.uuid5(NAMESPACE, f"{copy}:{resource['id']}"))
            for identifier in resource.get("identifier", []):
                if "value" in identifier:
                    identifier["value"] = f"{identifier['value']}-{copy}"
            if resource["resourceType"] == "Patient":
                patient_reshape(resource, rng, used_hetus)
            resources.append(resource)
    if heavy:
        patients = [r for r in resources if r["resourceType"] == "Patient"]
        first = f"Patient/{patients[0]['id']}"
        others = {f"Patient/{p['id']}" for p in patients[1:]}
        text = json.dumps([r for r in resources if r["resourceType"] != "Patient"])
        for other in others:
            text = text.replace(f'"{other}"', f'"{first}"')
        resources = [*patients, *json.loads(text)]
    return resources


def patient_reshape(patient: dict[str, Any], rng: random.Random, used_hetus: set[str]) -> None:
    family = rng.choice(FAMILIES)
    given = rng.sample(GIVEN, 2)
    patient["name"] = [{"use": "official", "family": family, "given": given}]
    birth = date.fromisoformat(patient.get("birthDate", "1970-01-01"))
    for number in range(900, 1000):
        code = hetu(birth, number)
        if code not in used_hetus:
            used_hetus.add(code)
            patient.setdefault("identifier", []).append({"system": "urn:oid:1.2.246.21", "value": code})
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=460)
    parser.add_argument("--out", type=Path, default=Path("var/bench-search-data"))
    args = parser.parse_args()
    bundles = [json.loads(p.read_text()) for p in sorted(SYNTHEA.glob("*.json"))]
    args.out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    total = 0
    for copy in range(args.copies):
        resources = copy_make(bundles, copy, used)
        path = args.out / f"copy-{copy:04d}.ndjson"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in resources))
        total += len(resources)
    print(f"{total} resources in {args.copies} files under {args.out}")


if __name__ == "__main__":
    main()
