"""Original-mode acknowledgements (HL7 v2.5 chapter 2): MSA-1 AA/AE/AR, MSA-3 text, ERR on errors."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from kaari.labs.hl7.errors import CONDITION_TEXT, AckCode, Hl7Error

RECEIVING_APPLICATION = "KAARI"
_sequence = itertools.count(1)


@dataclass(frozen=True)
class MessageHeader:
    """The MSH fields an ACK echoes; read leniently so that even a broken message can be answered."""

    field_separator: str = "|"
    encoding: str = "^~\\&"
    sending_application: str = ""
    sending_facility: str = ""
    receiving_application: str = ""
    receiving_facility: str = ""
    trigger_event: str = ""
    control_id: str = ""
    processing_id: str = "P"
    version: str = "2.5"


def header_read(*, text: str) -> MessageHeader:
    first = text.lstrip("\x0b\r\n ").split("\r", 1)[0].split("\n", 1)[0]
    if not first.startswith("MSH") or len(first) < 8:
        return MessageHeader()
    separator = first[3]
    fields = first.split(separator)
    # fields[1] is MSH-2; MSH-n is fields[n - 1] because MSH-1 is the separator itself.
    fields += [""] * 12
    encoding = fields[1] if len(fields[1]) >= 4 else "^~\\&"
    event = fields[8].split(encoding[0]) + [""]
    return MessageHeader(
        field_separator=separator,
        encoding=encoding[:4],
        sending_application=fields[2],
        sending_facility=fields[3],
        receiving_application=fields[4],
        receiving_facility=fields[5],
        trigger_event=event[1],
        control_id=fields[9],
        processing_id=fields[10] or "P",
        version=(fields[11].split(encoding[0])[0] or "2.5"),
    )


def _escape(text: str, header: MessageHeader) -> str:
    component, repetition, escape, subcomponent = (header.encoding[i] for i in range(4))
    out = text.replace(escape, f"{escape}E{escape}")
    for char, code in ((header.field_separator, "F"), (component, "S"), (repetition, "R"), (subcomponent, "T")):
        out = out.replace(char, f"{escape}{code}{escape}")
    return out.replace("\r", " ").replace("\n", " ")


def ack_build(*, header: MessageHeader, code: AckCode, text: str = "", error: Hl7Error | None = None) -> str:
    """The ACK message text (segments joined by CR), without MLLP framing."""
    s, c = header.field_separator, header.encoding[0]
    now = datetime.now(UTC).strftime("%Y%m%d%H%M%S+0000")
    control = f"ACK{datetime.now(UTC).strftime('%Y%m%d%H%M%S')}{next(_sequence):08d}"
    msh = s.join(
        [
            "MSH",
            header.encoding,
            header.receiving_application or RECEIVING_APPLICATION,
            header.receiving_facility,
            header.sending_application,
            header.sending_facility,
            now,
            "",
            f"ACK{c}{header.trigger_event}{c}ACK" if header.trigger_event else "ACK",
            control,
            header.processing_id,
            header.version,
        ]
    )
    segments = [msh, s.join(["MSA", code, _escape(header.control_id, header), _escape(text[:80], header)])]
    if error is not None:
        location = c.join(error.location.split("^")) if error.location else ""
        condition = c.join([error.condition, _escape(CONDITION_TEXT.get(error.condition, ""), header), "HL70357"])
        severity = "E"
        segments.append(s.join(["ERR", "", location, condition, severity, "", "", "", _escape(error.reason, header)]))
    return "\r".join(segments) + "\r"
