"""MLLP (HL7 v2 Minimal Lower Layer Protocol): <VT> message <FS><CR>, and an asyncio listener.

The decoder is pure: it takes bytes as they arrive and yields complete frames and framing faults
(bytes outside a frame, a frame that never ended). Each fault is answered and kept like a message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial

from kaari.labs.hl7.ack import ack_build, header_read
from kaari.labs.hl7.protocol import IntakeOutcome, ResultIntake

START = b"\x0b"
END = b"\x1c"
CR = b"\r"
MAX_FRAME_BYTES = 16 * 1024 * 1024
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frame:
    payload: bytes


@dataclass(frozen=True)
class FramingFault:
    data: bytes
    reason: str


class MllpDecoder:
    def __init__(self, *, max_frame_bytes: int = MAX_FRAME_BYTES) -> None:
        self.buffer = bytearray()
        self.in_frame = False
        self.max_frame_bytes = max_frame_bytes

    def feed(self, data: bytes) -> list[Frame | FramingFault]:
        self.buffer += data
        items: list[Frame | FramingFault] = []
        while True:
            item, progressed = self._next()
            if item is not None:
                items.append(item)
            if not progressed:
                return items

    def _end_of_block(self, start: int) -> tuple[int, int] | None:
        """Where <FS> is and how many bytes end the block: 2 with <CR>, 1 for a lone <FS>."""
        position = self.buffer.find(END, start)
        if position < 0:
            return None
        if position + 1 >= len(self.buffer):
            return None  # wait: the <CR> may be in the next packet
        return position, 2 if self.buffer[position + 1 : position + 2] == CR else 1

    def _next(self) -> tuple[Frame | FramingFault | None, bool]:
        if not self.in_frame:
            start = self.buffer.find(START)
            end = self._end_of_block(0)
            if end is not None and (start < 0 or end[0] < start):
                data = bytes(self.buffer[: end[0]])
                del self.buffer[: end[0] + end[1]]
                return FramingFault(data, "a message without the <VT> start block"), True
            if start < 0:
                if len(self.buffer) > self.max_frame_bytes:
                    data = bytes(self.buffer)
                    self.buffer.clear()
                    return FramingFault(data, "data outside an MLLP frame"), True
                return None, False
            garbage = bytes(self.buffer[:start]).strip(b"\r\n\t ")
            del self.buffer[: start + 1]
            self.in_frame = True
            return (FramingFault(garbage, "data outside an MLLP frame") if garbage else None), True
        end = self._end_of_block(0)
        restart = self.buffer.find(START)
        if restart >= 0 and (end is None or restart < end[0]):
            data = bytes(self.buffer[:restart])
            del self.buffer[: restart + 1]
            return FramingFault(data, "a frame without the <FS><CR> end block"), True
        if end is None:
            if len(self.buffer) > self.max_frame_bytes:
                data = bytes(self.buffer)
                self.buffer.clear()
                self.in_frame = False
                return FramingFault(data, f"a frame longer than {self.max_frame_bytes} bytes"), True
            return None, False
        payload = bytes(self.buffer[: end[0]])
        del self.buffer[: end[0] + end[1]]
        self.in_frame = False
        return Frame(payload), True


def frame_encode(*, text: str) -> bytes:
    return START + text.encode("utf-8") + END + CR


def payload_decode(*, payload: bytes) -> str:
    # UTF-8 is the default; older Finnish senders still use ISO 8859-1 (MSH-18 "8859/1").
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("latin-1")


def ack_for(*, text: str, outcome: IntakeOutcome) -> bytes:
    return frame_encode(
        text=ack_build(header=header_read(text=text), code=outcome.ack_code, text=outcome.text, error=outcome.error)
    )


async def _answer(item: Frame | FramingFault, intake: ResultIntake, executor: Executor | None) -> bytes:
    loop = asyncio.get_running_loop()
    if isinstance(item, Frame):
        text = payload_decode(payload=item.payload)
        accept = partial(intake.accept, text)
    else:
        text = payload_decode(payload=item.data)
        accept = partial(intake.accept, text, framing_error=item.reason)
    # The intake commits before it returns; only then is the ACK written.
    outcome = await loop.run_in_executor(executor, accept)
    return ack_for(text=text, outcome=outcome)


async def connection_serve(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, intake: ResultIntake, executor: Executor | None
) -> None:
    decoder = MllpDecoder()
    peer = writer.get_extra_info("peername")
    try:
        while data := await reader.read(65536):
            for item in decoder.feed(data):
                writer.write(await _answer(item, intake, executor))
                await writer.drain()
        leftover = bytes(decoder.buffer).strip(b"\r\n\t ")
        if leftover:
            # The peer closed mid-frame: nobody is left to answer, but the data is still kept.
            await _answer(FramingFault(leftover, "connection closed inside a frame"), intake, executor)
    except (ConnectionResetError, BrokenPipeError):
        logger.warning("HL7 peer %s disconnected", peer)
    except Exception:
        # The message could not even be kept: no ACK, so the sender keeps it and sends it again.
        logger.exception("HL7 message from %s could not be kept; closing without ACK", peer)
    finally:
        writer.close()


async def mllp_server_start(
    *,
    host: str,
    port: int,
    intake: ResultIntake,
    executor: Executor | None = None,
) -> asyncio.Server:
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], object] = partial(
        connection_serve, intake=intake, executor=executor
    )
    return await asyncio.start_server(handler, host, port, limit=MAX_FRAME_BYTES)  # type: ignore[arg-type]
