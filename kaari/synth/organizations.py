"""The county's structure: the county, its municipalities and units, and the professionals working in each unit.

Ids are stable and readable (`org-hc-espoo-tapiola`, `prac-hc-espoo-tapiola-md1`) so that demo users, tests and
people reading the data can point at a unit without looking it up.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from kaari.synth import fhir, knowledge
from kaari.synth.fhir import Resource
from kaari.synth.people import NamePicker

COUNTY_ID = "org-county"
COUNTY_NAME = "Kaaren hyvinvointialue"
HOSPITAL_ID = "org-hospital"
ER_ID = "org-er"

ROLE_NAMES = {
    "physician": "Lääkäri",
    "nurse": "Sairaanhoitaja",
    "practical-nurse": "Lähihoitaja",
    "dentist": "Hammaslääkäri",
    "social-worker": "Sosiaalityöntekijä",
    "social-counsellor": "Sosiaaliohjaaja",
}
ROLE_ABBREVIATIONS = {
    "physician": "md",
    "nurse": "rn",
    "practical-nurse": "pn",
    "dentist": "dds",
    "social-worker": "sw",
    "social-counsellor": "sc",
}
KIND_NAMES = {
    "county": "Hyvinvointialue",
    "municipality": "Kunta",
    "health-centre": "Terveysasema",
    "dental-clinic": "Hammashoitola",
    "primary-care-ward": "Terveyskeskussairaala",
    "hospital": "Sairaala",
    "hospital-ward": "Vuodeosasto",
    "outpatient-clinic": "Poliklinikka",
    "emergency-department": "Päivystys",
    "home-care": "Kotihoito",
    "service-housing": "Ympärivuorokautinen palveluasuminen",
    "social-work": "Sosiaalityö",
    "child-welfare-institution": "Lastensuojelulaitos",
}
SPECIALTIES = {
    "internal-medicine": ("Sisätaudit", "Sisätautien"),
    "cardiology": ("Kardiologia", "Kardiologian"),
    "pulmonary": ("Keuhkosairaudet", "Keuhkosairauksien"),
    "neurology": ("Neurologia", "Neurologian"),
    "surgery": ("Kirurgia", "Kirurgian"),
    "orthopaedics": ("Ortopedia", "Ortopedian"),
    "psychiatry": ("Psykiatria", "Psykiatrian"),
    "oncology": ("Syöpätaudit", "Syöpätautien"),
    "obstetrics": ("Naistentaudit ja synnytykset", "Synnytysten"),
    "paediatrics": ("Lastentaudit", "Lastentautien"),
    "endocrinology": ("Endokrinologia", "Endokrinologian"),
    "ophthalmology": ("Silmätaudit", "Silmätautien"),
}
SOCIAL_TASKS = {
    "child-welfare": "lastensuojelu",
    "older-people": "iäkkäiden palvelut",
    "disability": "vammaispalvelut",
    "substance-mental": "päihde- ja mielenterveystyö",
    "adult-social-work": "aikuissosiaalityö",
}


@dataclass
class Unit:
    ident: str
    name: str
    kind: str
    area: str
    staff: dict[str, list[str]] = field(default_factory=dict)

    def pick(self, role: str, rng: random.Random) -> str:
        people = self.staff[role]
        return people[int(rng.random() * len(people))]


def slug(text: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", " ": "-"})
    return text.lower().translate(table)


@dataclass
class County:
    """Every unit of the county by its role in the care pathways, plus the professionals in it."""

    units: dict[str, Unit]
    health_centres: dict[str, list[Unit]]
    dental: dict[str, Unit]
    primary_wards: dict[str, Unit]
    home_care: dict[str, Unit]
    housing: dict[str, Unit]
    social: dict[tuple[str, str], Unit]
    wards: dict[str, Unit]
    clinics: dict[str, Unit]
    emergency: Unit
    disability_housing: Unit
    mental_health_housing: Unit
    child_institution: Unit
    resources: list[Resource]


def county_build(*, residents: int, seed: int) -> County:
    """Units are fixed; staff grows with the region so that professionals have a plausible client load."""
    rng = random.Random(f"{seed}:county")
    names = NamePicker(rng)
    resources: list[Resource] = [_organization(COUNTY_ID, COUNTY_NAME, "county", None, "Kaari välfärdsområde")]
    munis = knowledge.municipalities()
    total_population = sum(m.population for m in munis)
    units: dict[str, Unit] = {}

    def add(ident: str, name: str, kind: str, area: str, part_of: str, staff: dict[str, int]) -> Unit:
        unit = Unit(ident=ident, name=name, kind=kind, area=area)
        units[ident] = unit
        resources.append(_organization(ident, name, kind, part_of))
        for role, count in staff.items():
            unit.staff[role] = []
            for n in range(1, count + 1):
                prac_id = f"prac-{ident[4:]}-{ROLE_ABBREVIATIONS[role]}{n}"
                unit.staff[role].append(prac_id)
                resources.extend(_practitioner(prac_id, role, unit, names))
        return unit

    def scaled(served: float, per_professional: float, minimum: int) -> int:
        return max(minimum, math.ceil(served / per_professional))

    for m in munis:
        resources.append(
            _organization(f"org-mun-{m.code}", f"{m.fi} kunta", "municipality", None, m.sv, municipality=m.code)
        )
    health_centres: dict[str, list[Unit]] = {}
    for m in munis:
        served = residents * m.population / total_population / len(m.health_centres)
        health_centres[m.code] = [
            add(
                f"org-hc-{slug(m.fi)}" + ("" if len(m.health_centres) == 1 else f"-{key}"),
                name,
                "health-centre",
                m.area,
                COUNTY_ID,
                {"physician": scaled(served, 1500, 2), "nurse": scaled(served, 1000, 2)},
            )
            for key, name in m.health_centres
        ]
    areas = [a["code"] for a in knowledge.population()["areas"]]
    area_names = {a["code"]: a["name"] for a in knowledge.population()["areas"]}
    area_share = {a: sum(m.population for m in munis if m.area == a) / total_population for a in areas}
    dental, primary_wards, home_care, housing, social = {}, {}, {}, {}, {}
    for a in areas:
        served = residents * area_share[a]
        label = area_names[a]
        dental[a] = add(f"org-dental-{a}", f"{label} hammashoitola", "dental-clinic", a, COUNTY_ID, {"dentist": 2})
        primary_wards[a] = add(
            f"org-pcward-{a}",
            f"{label} terveyskeskussairaala",
            "primary-care-ward",
            a,
            COUNTY_ID,
            {"physician": 1, "nurse": 2},
        )
        home_care[a] = add(
            f"org-homecare-{a}",
            f"{label} kotihoito",
            "home-care",
            a,
            COUNTY_ID,
            {"nurse": scaled(served, 6000, 1), "practical-nurse": scaled(served, 2500, 2)},
        )
        housing[a] = add(
            f"org-housing-{a}",
            f"{label} palvelukoti",
            "service-housing",
            a,
            COUNTY_ID,
            {"nurse": 1, "practical-nurse": 2},
        )
        for task, fi in SOCIAL_TASKS.items():
            social[(a, task)] = add(
                f"org-sw-{task}-{a}",
                f"{label} {fi}",
                "social-work",
                a,
                COUNTY_ID,
                {"social-worker": scaled(served, 5000, 2), "social-counsellor": 1},
            )
    resources.append(_organization(HOSPITAL_ID, "Kaaren keskussairaala", "hospital", COUNTY_ID))
    wards, clinics = {}, {}
    for key, (_name, genitive) in SPECIALTIES.items():
        if key not in ("endocrinology", "ophthalmology"):
            wards[key] = add(
                f"org-ward-{key}", f"{genitive} vuodeosasto", "hospital-ward", "helsinki", HOSPITAL_ID, {"physician": 2}
            )
            wards[key].staff["nurse"] = []
            for n in (1, 2):
                prac_id = f"prac-ward-{key}-rn{n}"
                wards[key].staff["nurse"].append(prac_id)
                resources.extend(_practitioner(prac_id, "nurse", wards[key], names))
        clinics[key] = add(
            f"org-clinic-{key}",
            f"{genitive} poliklinikka",
            "outpatient-clinic",
            "helsinki",
            HOSPITAL_ID,
            {"physician": scaled(residents, 8000, 2), "nurse": 1},
        )
    emergency = add(
        ER_ID, "Kaaren yhteispäivystys", "emergency-department", "helsinki", HOSPITAL_ID, {"physician": 3, "nurse": 3}
    )
    disability_housing = add(
        "org-housing-disability",
        "Kehitysvammaisten asumisyksikkö",
        "service-housing",
        "keski",
        COUNTY_ID,
        {"practical-nurse": 2},
    )
    mental_health_housing = add(
        "org-housing-mental-health",
        "Mielenterveyskuntoutujien asumisyksikkö",
        "service-housing",
        "vantaa-kerava",
        COUNTY_ID,
        {"practical-nurse": 2},
    )
    child_institution = add(
        "org-childwelfare-institution",
        "Lastensuojelulaitos Kaarnakoti",
        "child-welfare-institution",
        "lansi",
        COUNTY_ID,
        {"social-counsellor": 2},
    )
    return County(
        units=units,
        health_centres=health_centres,
        dental=dental,
        primary_wards=primary_wards,
        home_care=home_care,
        housing=housing,
        social=social,
        wards=wards,
        clinics=clinics,
        emergency=emergency,
        disability_housing=disability_housing,
        mental_health_housing=mental_health_housing,
        child_institution=child_institution,
        resources=resources,
    )


def _organization(
    ident: str, name: str, kind: str, part_of: str | None, alias: str | None = None, municipality: str | None = None
) -> Resource:
    identifier = (
        {"system": fhir.MUNICIPALITY_SYSTEM, "value": municipality}
        if municipality
        else {"system": fhir.ORG_ID_SYSTEM, "value": ident}
    )
    org: Resource = {
        "resourceType": "Organization",
        "id": ident,
        "meta": fhir.meta_shared(),
        "identifier": [identifier],
        "active": True,
        "type": [fhir.concept(fhir.ORG_TYPE_SYSTEM, kind, KIND_NAMES[kind])],
        "name": name,
    }
    if alias:
        org["alias"] = [alias]
    if part_of:
        org["partOf"] = fhir.ref("Organization", part_of)
    return org


def _practitioner(ident: str, role: str, unit: Unit, names: NamePicker) -> Iterator[Resource]:
    sex = "female" if names.rng.random() < 0.7 else "male"
    given, family = names.adult(sex=sex, birth_year=1960 + int(names.rng.random() * 38), language="fi")
    yield {
        "resourceType": "Practitioner",
        "id": ident,
        "meta": fhir.meta_shared(),
        "identifier": [{"system": fhir.PRACTITIONER_ID_SYSTEM, "value": ident}],
        "active": True,
        "name": [{"use": "official", "family": family, "given": [given], "text": f"{given} {family}"}],
        "gender": sex,
    }
    yield {
        "resourceType": "PractitionerRole",
        "id": f"role-{ident[5:]}",
        "meta": fhir.meta_shared(),
        "active": True,
        "practitioner": fhir.ref("Practitioner", ident),
        "organization": fhir.ref("Organization", unit.ident),
        "code": [fhir.concept(fhir.ROLE_SYSTEM, role, ROLE_NAMES[role])],
    }
