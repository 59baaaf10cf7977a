"""Load client: N ORU^R01 messages over MLLP, a share of them malformed; one ACK checked per message.

`kaari hl7 load --count 10000 --malformed 0.05 --connections 4` against `kaari hl7 listen`.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from kaari.labs.hl7.mapping import HETU_CHECK
from kaari.labs.hl7.mllp import Frame, MllpDecoder, frame_encode, payload_decode

MALFORMED_KINDS = ("not-hl7", "wrong-type", "no-pid", "bad-number", "unknown-test", "bad-time", "unframed")
RESULTS = (
    ("59261-8", "HbA1c", "NM", "48", "mmol/mol", "20-42", "H"),
    ("3016-3", "TSH", "NM", "2.1", "mU/l", "0.5-3.6", ""),
    ("14682-9", "Kreatiniini", "NM", "88", "umol/l", "60-105", ""),
    ("1988-5", "CRP", "NM", "<3", "mg/l", "<10", ""),
    ("22748-8", "LDL-kolesteroli", "NM", "3.4", "mmol/l", "<3.0", "H"),
)


def synthetic_hetu(*, index: int) -> str:
    """A valid personal identity code from the range never given to real persons (900-999)."""
    day, month, year = 1 + index % 28, 1 + (index // 28) % 12, 50 + (index // 336) % 50
    individual = 900 + index % 100
    digits = f"{day:02d}{month:02d}{year:02d}"
    return f"{digits}-{individual}{HETU_CHECK[int(digits + str(individual)) % 31]}"


def oru_text(*, control_id: str, index: int, kind: str = "valid") -> str:
    """An ORU^R01 as a Finnish laboratory would send it; `kind` breaks it in one known way."""
    loinc, text, value_type, value, unit, ranges, flag = RESULTS[index % len(RESULTS)]
    hetu = synthetic_hetu(index=index)
    message_type = "ADT^A01^ADT_A01" if kind == "wrong-type" else "ORU^R01^ORU_R01"
    if kind == "bad-number":
        value = "ei mitattavissa"
    code = f"X{index}^Tuntematon^HUSLAB" if kind == "unknown-test" else f"{loinc}^{text}^LN"
    observed = "20251345990000" if kind == "bad-time" else "20250602081000"
    segments = [
        f"MSH|^~\\&|LIS|HUSLAB|KAARI|KAARI-HVA|20250602101500+0300||{message_type}|{control_id}|P|2.5"
        "|||AL|NE||UNICODE UTF-8",
        f"PID|1||{hetu}^^^&1.2.246.21&ISO^NNFIN||Testinen^Tiina||19800101|F",
        f"ORC|RE|sr-{index}^KAARI|F{index}^HUSLAB",
        f"OBR|1|sr-{index}^KAARI|F{index}^HUSLAB|{loinc}^{text}^LN|||{observed}|||||||||||||||20250602101400|||F",
        f"OBX|1|{value_type}|{code}||{value}|{unit}|{ranges}|{flag}|||F|||{observed}",
    ]
    if kind == "no-pid":
        del segments[1]
    body = "\r".join(segments) + "\r"
    return "this is not an HL7 message" if kind == "not-hl7" else body


@dataclass
class LoadReport:
    sent: int = 0
    acks: int = 0
    accepted: int = 0
    rejected: int = 0
    wrong: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.acks / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, ACKs {self.acks} (AA {self.accepted}, AE/AR {self.rejected}), "
            f"mismatches {len(self.wrong)}, {self.seconds:.2f} s, {self.rate:.0f} messages/s"
        )


def _plan(*, count: int, malformed: float, seed: int) -> list[tuple[str, str]]:
    chooser = random.Random(seed)
    plan = []
    for index in range(count):
        kind = chooser.choice(MALFORMED_KINDS) if chooser.random() < malformed else "valid"
        plan.append((f"LOAD{seed}-{index:06d}", kind))
    return plan


async def _ack(reader: asyncio.StreamReader, decoder: MllpDecoder, pending: list[Frame]) -> str:
    while not pending:
        data = await reader.read(65536)
        if not data:
            raise ConnectionError("the listener closed the connection before answering")
        pending += [item for item in decoder.feed(data) if isinstance(item, Frame)]
    return payload_decode(payload=pending.pop(0).payload)


async def _worker(host: str, port: int, plan: list[tuple[int, str, str]], report: LoadReport) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    decoder, pending = MllpDecoder(), list[Frame]()
    try:
        for index, control_id, kind in plan:
            text = oru_text(control_id=control_id, index=index, kind=kind)
            data = text.encode() + b"\x1c\r" if kind == "unframed" else frame_encode(text=text)
            writer.write(data)
            await writer.drain()
            report.sent += 1
            ack = await _ack(reader, decoder, pending)
            report.acks += 1
            msa = next((s.split("|") for s in ack.split("\r") if s.startswith("MSA|")), ["MSA", "", ""])
            code, echoed = msa[1], msa[2] if len(msa) > 2 else ""
            expected_id = "" if kind == "not-hl7" else control_id
            if kind == "valid" and code == "AA" or kind != "valid" and code in ("AE", "AR"):
                report.accepted += code == "AA"
                report.rejected += code != "AA"
            else:
                report.wrong.append(f"{control_id} ({kind}) answered {code}")
            if echoed != expected_id:
                report.wrong.append(f"{control_id} ({kind}) ACK echoed {echoed!r}")
    finally:
        writer.close()


async def load_run(
    *, host: str, port: int, count: int, malformed: float = 0.05, connections: int = 4, seed: int = 1
) -> LoadReport:
    plan = _plan(count=count, malformed=malformed, seed=seed)
    shares: list[list[tuple[int, str, str]]] = [[] for _ in range(connections)]
    for index, (control_id, kind) in enumerate(plan):
        shares[index % connections].append((index, control_id, kind))
    report = LoadReport()
    started = time.perf_counter()
    await asyncio.gather(*(_worker(host, port, share, report) for share in shares if share))
    report.seconds = time.perf_counter() - started
    return report
