"""ORU^R01 messages read with python-hl7 into plain, typed structures.

Only syntax and structure are checked here; whether the patient and the order exist is the
intake's business. Every rejection is an Hl7Error that names the HL7 error condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

import hl7

from kaari.labs.hl7.errors import (
    REQUIRED_FIELD_MISSING,
    SEGMENT_SEQUENCE_ERROR,
    UNSUPPORTED_EVENT_CODE,
    UNSUPPORTED_MESSAGE_TYPE,
    UNSUPPORTED_VERSION_ID,
    Hl7Error,
)
from kaari.labs.hl7.timestamps import offset_parse

SUPPORTED_VERSIONS = ("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8")


@dataclass(frozen=True)
class Coded:
    """CE/CWE: identifier^text^coding system^alternate identifier^alternate text^alternate system."""

    code: str
    text: str
    system: str
    alt_code: str = ""
    alt_text: str = ""
    alt_system: str = ""


@dataclass(frozen=True)
class Identifier:
    """CX (PID-3) or EI (OBR-2/3): the value and who assigned it."""

    value: str
    namespace: str = ""
    universal_id: str = ""
    universal_id_type: str = ""
    type_code: str = ""


@dataclass(frozen=True)
class ObxSegment:
    set_id: str
    value_type: str
    code: Coded
    sub_id: str
    # Each repetition of OBX-5 split into its unescaped components.
    values: tuple[tuple[str, ...], ...]
    units: Coded
    reference_range: str
    abnormal_flags: tuple[str, ...]
    status: str
    observed_at: str
    analysed_at: str
    position: int


@dataclass(frozen=True)
class ObrGroup:
    set_id: str
    placer: Identifier | None
    filler: Identifier | None
    service: Coded
    observed_at: str
    reported_at: str
    status: str
    position: int
    observations: list[ObxSegment] = field(default_factory=list)


@dataclass(frozen=True)
class OruMessage:
    control_id: str
    sending_application: str
    sending_facility: str
    receiving_application: str
    receiving_facility: str
    message_time: str
    version: str
    sender_offset: tzinfo | None
    patient_identifiers: tuple[Identifier, ...]
    patient_name: str
    orders: list[ObrGroup]


class _Reader:
    """Raw field access with the message's own separators and escapes."""

    def __init__(self, message: hl7.Message) -> None:
        self.message = message
        self.repetition, self.component, self.subcomponent = message.separators[2:5]

    def raw(self, segment: hl7.Segment, number: int) -> str:
        return str(segment(number)) if number < len(segment) else ""

    def text(self, raw: str) -> str:
        return str(self.message.unescape(raw)) if raw else ""

    def components(self, raw: str) -> list[str]:
        return raw.split(self.component)

    def repetitions(self, raw: str) -> list[str]:
        return [r for r in raw.split(self.repetition) if r]

    def coded(self, raw: str) -> Coded:
        parts = [self.text(p) for p in self.components(raw)] + [""] * 6
        return Coded(*parts[:6])

    def identifier(self, raw: str, *, cx: bool) -> Identifier | None:
        parts = self.components(raw)
        if not parts or not parts[0]:
            return None
        if cx:
            # CX: ID ^ check digit ^ check scheme ^ assigning authority (HD) ^ identifier type.
            authority = (parts[3] if len(parts) > 3 else "").split(self.subcomponent) + ["", "", ""]
            type_code = parts[4] if len(parts) > 4 else ""
            return Identifier(
                value=self.text(parts[0]),
                namespace=authority[0],
                universal_id=authority[1],
                universal_id_type=authority[2],
                type_code=type_code,
            )
        # EI: entity identifier ^ namespace ID ^ universal ID ^ universal ID type.
        rest = parts[1:4] + [""] * 3
        return Identifier(value=self.text(parts[0]), namespace=rest[0], universal_id=rest[1], universal_id_type=rest[2])


def oru_parse(*, text: str) -> OruMessage:
    """The message, or Hl7Error (AR for syntax, structure and type; AE for missing required content)."""
    normalised = text.replace("\r\n", "\r").replace("\n", "\r").strip("\r\x00 ")
    if not normalised.startswith("MSH") or len(normalised) < 8:
        raise Hl7Error("AR", SEGMENT_SEQUENCE_ERROR, "the message does not start with an MSH segment", "MSH")
    try:
        message = hl7.parse(normalised)
        msh = message.segment("MSH")
    except Exception as exc:  # python-hl7 raises bare exceptions on broken syntax
        raise Hl7Error("AR", SEGMENT_SEQUENCE_ERROR, f"unreadable HL7: {exc}", "MSH") from exc
    reader = _Reader(message)
    control_id = reader.text(reader.raw(msh, 10))
    message_type = reader.components(reader.raw(msh, 9)) + ["", ""]
    version = reader.components(reader.raw(msh, 12))[0]
    if message_type[0] != "ORU":
        raise Hl7Error(
            "AR", UNSUPPORTED_MESSAGE_TYPE, f"message type {message_type[0] or 'missing'}, expected ORU", "MSH^1^9"
        )
    if message_type[1] != "R01":
        raise Hl7Error("AR", UNSUPPORTED_EVENT_CODE, f"event {message_type[1] or 'missing'}, expected R01", "MSH^1^9")
    if version not in SUPPORTED_VERSIONS:
        raise Hl7Error("AR", UNSUPPORTED_VERSION_ID, f"version {version or 'missing'} is not HL7 v2.3–2.8", "MSH^1^12")
    if not control_id:
        raise Hl7Error("AR", REQUIRED_FIELD_MISSING, "MSH-10 message control id is empty", "MSH^1^10")
    identifiers, name, orders = _patient_and_orders(message, reader)
    return OruMessage(
        control_id=control_id,
        sending_application=reader.text(reader.components(reader.raw(msh, 3))[0]),
        sending_facility=reader.text(reader.components(reader.raw(msh, 4))[0]),
        receiving_application=reader.text(reader.components(reader.raw(msh, 5))[0]),
        receiving_facility=reader.text(reader.components(reader.raw(msh, 6))[0]),
        message_time=reader.raw(msh, 7),
        version=version,
        sender_offset=offset_parse(text=reader.components(reader.raw(msh, 7))[0]),
        patient_identifiers=identifiers,
        patient_name=name,
        orders=orders,
    )


def _patient_and_orders(message: hl7.Message, reader: _Reader) -> tuple[tuple[Identifier, ...], str, list[ObrGroup]]:
    pid = None
    orders: list[ObrGroup] = []
    for position, segment in enumerate(message, start=1):
        kind = str(segment(0))
        if kind == "PID" and pid is None:
            pid = segment
        elif kind == "OBR":
            orders.append(_obr(segment, reader, position))
        elif kind == "OBX":
            if not orders:
                raise Hl7Error("AR", SEGMENT_SEQUENCE_ERROR, "OBX before any OBR", f"OBX^{position}")
            orders[-1].observations.append(_obx(segment, reader, position))
    if pid is None:
        raise Hl7Error("AE", REQUIRED_FIELD_MISSING, "no PID segment: the patient is unknown", "PID")
    identifiers = tuple(
        i for i in (reader.identifier(r, cx=True) for r in reader.repetitions(reader.raw(pid, 3))) if i is not None
    )
    if not identifiers:
        raise Hl7Error("AE", REQUIRED_FIELD_MISSING, "PID-3 has no patient identifier", "PID^1^3")
    if not orders:
        raise Hl7Error("AE", REQUIRED_FIELD_MISSING, "no OBR segment: no result to take in", "OBR")
    name = reader.components(reader.raw(pid, 5)) + [""]
    return identifiers, " ".join(reader.text(p) for p in (name[1], name[0]) if p), orders


def _obr(segment: hl7.Segment, reader: _Reader, position: int) -> ObrGroup:
    return ObrGroup(
        set_id=reader.raw(segment, 1),
        placer=reader.identifier(reader.raw(segment, 2), cx=False),
        filler=reader.identifier(reader.raw(segment, 3), cx=False),
        service=reader.coded(reader.raw(segment, 4)),
        observed_at=reader.raw(segment, 7),
        reported_at=reader.raw(segment, 22),
        status=reader.raw(segment, 25),
        position=position,
    )


def _obx(segment: hl7.Segment, reader: _Reader, position: int) -> ObxSegment:
    return ObxSegment(
        set_id=reader.raw(segment, 1),
        value_type=reader.raw(segment, 2),
        code=reader.coded(reader.raw(segment, 3)),
        sub_id=reader.raw(segment, 4),
        values=tuple(
            tuple(reader.text(c) for c in reader.components(r)) for r in reader.repetitions(reader.raw(segment, 5))
        ),
        units=reader.coded(reader.raw(segment, 6)),
        reference_range=reader.text(reader.raw(segment, 7)),
        abnormal_flags=tuple(reader.text(f) for f in reader.repetitions(reader.raw(segment, 8))),
        status=reader.raw(segment, 11),
        observed_at=reader.raw(segment, 14),
        analysed_at=reader.raw(segment, 19),
        position=position,
    )
