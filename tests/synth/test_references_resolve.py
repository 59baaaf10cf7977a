import re

ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def test_ids_are_valid_fhir_ids_and_unique_per_type(region):
    seen = set()
    for resource in region:
        assert ID.match(resource["id"]), resource["id"]
        key = (resource["resourceType"], resource["id"])
        assert key not in seen
        seen.add(key)


def test_every_reference_is_type_slash_id_and_points_to_a_generated_resource(region, index):
    for resource in region:
        for reference in _references(resource):
            assert reference in index, f"{resource['resourceType']}/{resource['id']} -> {reference}"
