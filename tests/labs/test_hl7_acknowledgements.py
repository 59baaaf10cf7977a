"""ACK AA for a good message; AE or AR, with MSA-3 text and an ERR segment, for a bad one."""

import pytest

from kaari.labs.hl7.ack import ack_build, header_read
from kaari.labs.hl7.errors import Hl7Error
from kaari.labs.hl7.loadclient import oru_text
from kaari.labs.hl7.mapping import oru_to_bundle
from kaari.labs.hl7.parse import oru_parse
from tests.labs.factories import KNOWLEDGE
from tests.labs.hl7_helpers import fixture_text


def _segments(ack: str) -> dict[str, list[str]]:
    return {line[:3]: line.split("|") for line in ack.strip("\r").split("\r")}


def _outcome(text: str) -> Hl7Error | None:
    try:
        oru_to_bundle(message=oru_parse(text=text), catalogue=KNOWLEDGE.catalogue)
    except Hl7Error as error:
        return error
    return None


def test_an_accepted_message_is_acknowledged_aa_with_its_control_id_and_swapped_applications():
    text = fixture_text("oru_hba1c_kaari_order.hl7")
    ack = _segments(ack_build(header=header_read(text=text), code="AA", text="1 results committed"))
    assert ack["MSA"][1:4] == ["AA", "HUS20250602-0001", "1 results committed"]
    assert ack["MSH"][2:6] == ["KAARI", "KAARI-HVA", "MULTILAB", "HUSLAB"]
    assert ack["MSH"][8] == "ACK^R01^ACK"
    assert "ERR" not in ack


@pytest.mark.parametrize(
    ("kind", "code", "condition"),
    [
        ("not-hl7", "AR", "100"),
        ("wrong-type", "AR", "200"),
        ("no-pid", "AE", "101"),
        ("bad-number", "AE", "102"),
        ("unknown-test", "AE", "103"),
        ("bad-time", "AE", "102"),
    ],
)
def test_each_kind_of_malformed_message_gets_its_error_code_and_reason(kind, code, condition):
    text = oru_text(control_id="C1", index=3, kind=kind)
    error = _outcome(text)
    assert error is not None and (error.ack_code, error.condition) == (code, condition)
    ack = _segments(ack_build(header=header_read(text=text), code=error.ack_code, text=error.reason, error=error))
    assert ack["MSA"][1] == code
    assert ack["MSA"][3]
    assert ack["ERR"][3].split("^")[0] == condition and ack["ERR"][3].endswith("HL70357")
    assert ack["ERR"][4] == "E"
    assert ack["ERR"][8]


def test_a_message_without_msh_is_answered_with_an_empty_control_id():
    ack = _segments(ack_build(header=header_read(text="garbage"), code="AR", text="no MSH"))
    assert ack["MSA"][1:3] == ["AR", ""]


def test_separators_in_the_reason_are_escaped():
    text = fixture_text("oru_hba1c_kaari_order.hl7")
    ack = ack_build(header=header_read(text=text), code="AE", text="a|b^c")
    assert "a\\F\\b\\S\\c" in ack


def test_an_invalid_hetu_is_an_application_error():
    text = fixture_text("oru_lipids_hospital_order.hl7").replace("311245-9874", "311245-9875")
    error = _outcome(text)
    assert error is not None and error.ack_code == "AE" and "HETU" in error.reason


def test_an_obx_before_any_obr_is_rejected():
    text = "MSH|^~\\&|L|F|K|K|20250101||ORU^R01|X1|P|2.5\rPID|1||x^^^KAARI\rOBX|1|NM|718-7^Hb^LN||120|g/l\r"
    error = _outcome(text)
    assert error is not None and (error.ack_code, error.condition) == ("AR", "100")


def test_an_unsupported_version_is_rejected():
    text = fixture_text("oru_hba1c_kaari_order.hl7").replace("|P|2.5|", "|P|3.0|", 1)
    error = _outcome(text)
    assert error is not None and (error.ack_code, error.condition) == ("AR", "203")
