from .factories import patient_build, problems

EXTENSION = {"extension": [{"url": "http://example.org/fhir/StructureDefinition/nickname", "valueString": "Ainoska"}]}


def test_an_empty_string_is_rejected():
    assert problems(patient_build(birthDate="")) == [("structure", "Patient.birthDate")]
    assert problems(patient_build(name=[{"family": ""}])) == [("structure", "Patient.name[0].family")]


def test_an_empty_object_is_rejected():
    assert problems(patient_build(maritalStatus={})) == [("structure", "Patient.maritalStatus")]


def test_an_empty_array_is_rejected():
    assert problems(patient_build(name=[])) == [("structure", "Patient.name")]
    assert problems(patient_build(name=[{"given": []}])) == [("structure", "Patient.name[0].given")]


def test_a_null_value_is_rejected():
    assert problems(patient_build(gender=None)) == [("structure", "Patient.gender")]
    assert problems(patient_build(maritalStatus=None)) == [("structure", "Patient.maritalStatus")]
    assert problems(patient_build(name=[None])) == [("structure", "Patient.name[0]")]


def test_a_null_in_a_list_of_primitives_is_allowed_where_the_extension_list_has_an_entry():
    resource = patient_build(name=[{"family": "Virtanen", "given": ["Aino", None], "_given": [None, EXTENSION]}])
    assert problems(resource) == []


def test_a_null_in_a_list_of_primitives_without_an_extension_is_rejected():
    resource = patient_build(name=[{"family": "Virtanen", "given": ["Aino", None], "_given": [EXTENSION, None]}])
    assert problems(resource) == [("structure", "Patient.name[0].given[1]")]
    assert problems(patient_build(name=[{"given": ["Aino", None]}])) == [("structure", "Patient.name[0].given[1]")]


def test_extension_lists_must_align_with_their_values():
    resource = patient_build(name=[{"given": ["Aino", "Maria"], "_given": [None, None, EXTENSION]}])
    assert problems(resource) == [("structure", "Patient.name[0]._given")]


def test_a_null_primitive_with_an_extension_is_allowed():
    assert problems(patient_build(birthDate=None, _birthDate=EXTENSION)) == []


def test_an_extension_object_of_a_primitive_must_not_be_empty():
    assert problems(patient_build(_birthDate={})) == [("structure", "Patient.birthDate")]
