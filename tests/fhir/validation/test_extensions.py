from .factories import KEEPER, patient_build, problems

URL = "http://example.org/fhir/StructureDefinition/"


def test_an_extension_needs_a_url():
    assert problems(patient_build(extension=[{"valueString": "x"}])) == [("required", "Patient.extension[0].url")]


def test_an_extension_has_at_most_one_value():
    extension = [{"url": URL + "a", "valueString": "x", "valueBoolean": True}]
    assert problems(patient_build(extension=extension)) == [("structure", "Patient.extension[0].valueBoolean")]


def test_an_extension_has_either_a_value_or_extensions_not_both():
    extension = [{"url": URL + "a", "valueString": "x", "extension": [{"url": "b", "valueString": "y"}]}]
    assert problems(patient_build(extension=extension)) == [("invalid", "Patient.extension[0]")]


def test_an_extension_with_neither_a_value_nor_extensions_is_rejected():
    assert problems(patient_build(extension=[{"url": URL + "a"}])) == [("invalid", "Patient.extension[0]")]


def test_nested_extensions_are_validated():
    extension = [{"url": URL + "race", "extension": [{"url": "ombCategory", "valueCoding": {"system": 5}}]}]
    assert problems(patient_build(extension=extension)) == [
        ("structure", "Patient.extension[0].extension[0].valueCoding.system")
    ]


def test_an_extension_value_must_be_one_of_the_allowed_types():
    extension = [{"url": URL + "a", "valueResource": {"resourceType": "Basic"}}]
    assert problems(patient_build(extension=extension)) == [("structure", "Patient.extension[0].valueResource")]


def test_modifier_extensions_are_validated_like_extensions():
    resource = patient_build(modifierExtension=[{"valueBoolean": True}])
    assert problems(resource) == [("required", "Patient.modifierExtension[0].url")]


def test_extensions_on_data_types_and_backbone_elements_are_validated():
    resource = patient_build(contact=[{"name": {"family": "Virtanen", "extension": [{"url": URL + "x"}]}}])
    assert problems(resource) == [("invalid", "Patient.contact[0].name.extension[0]")]


def test_an_extension_of_a_primitive_is_located_on_the_primitive():
    resource = patient_build(_birthDate={"extension": [{"url": URL + "time", "valueDateTime": "1952-10-13T25:00:00Z"}]})
    assert problems(resource) == [("value", "Patient.birthDate.extension[0].valueDateTime")]


def test_an_extension_of_a_repeating_primitive_is_located_at_its_position():
    name = {"given": ["Aino", "Maria"], "_given": [None, {"extension": [{"valueString": "x"}]}]}
    assert problems(patient_build(name=[name])) == [("required", "Patient.name[0].given[1].extension[0].url")]


def test_the_keeper_extension_on_meta_is_valid():
    meta = {"extension": [{"url": KEEPER, "valueReference": {"reference": "Organization/hus"}}]}
    assert problems(patient_build(meta=meta)) == []
