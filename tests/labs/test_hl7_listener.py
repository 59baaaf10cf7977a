"""The MLLP listener end to end over a real socket, with the message-keeping intake."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.loadclient import load_run, oru_text
from kaari.labs.hl7.mllp import Frame, MllpDecoder, frame_encode, mllp_server_start
from kaari.labs.models import Hl7Message
from tests.labs.factories import KNOWLEDGE

pytestmark = pytest.mark.django_db(transaction=True)


async def _with_listener(scenario):
    executor = ThreadPoolExecutor(max_workers=2)
    server = await mllp_server_start(
        host="127.0.0.1", port=0, intake=KeepingIntake(catalogue=KNOWLEDGE.catalogue), executor=executor
    )
    port = server.sockets[0].getsockname()[1]
    try:
        async with server:
            return await scenario(port)
    finally:
        executor.shutdown(wait=True)


async def _acks(reader, count):
    decoder, acks = MllpDecoder(), list[str]()
    while len(acks) < count:
        data = await asyncio.wait_for(reader.read(65536), timeout=10)
        assert data, "the listener closed the connection"
        acks += [i.payload.decode() for i in decoder.feed(data) if isinstance(i, Frame)]
    return acks


def _msa(ack):
    return next(s for s in ack.split("\r") if s.startswith("MSA")).split("|")[1:3]


def test_two_messages_in_one_packet_get_two_acks_in_order_after_they_are_kept():
    async def scenario(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        packet = frame_encode(text=oru_text(control_id="A1", index=1)) + frame_encode(
            text=oru_text(control_id="A2", index=2, kind="no-pid")
        )
        writer.write(packet)
        await writer.drain()
        acks = await _acks(reader, 2)
        writer.close()
        return acks

    acks = asyncio.run(_with_listener(scenario))
    assert [_msa(a) for a in acks] == [["AA", "A1"], ["AE", "A2"]]
    kept = {m.control_id: m for m in Hl7Message.objects.all()}
    assert kept["A1"].status == Hl7Message.Status.RECEIVED
    assert kept["A2"].status == Hl7Message.Status.FAILED and "PID" in kept["A2"].reason


def test_a_message_split_across_packets_is_answered_once():
    async def scenario(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        data = frame_encode(text=oru_text(control_id="S1", index=4))
        for chunk in (data[:7], data[7:60], data[60:-1], data[-1:]):
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0.01)
        acks = await _acks(reader, 1)
        writer.close()
        return acks

    assert [_msa(a) for a in asyncio.run(_with_listener(scenario))] == [["AA", "S1"]]
    assert Hl7Message.objects.count() == 1


def test_bad_framing_is_answered_ar_and_kept_for_review():
    async def scenario(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(oru_text(control_id="U1", index=5).encode() + b"\x1c\r")
        await writer.drain()
        acks = await _acks(reader, 1)
        writer.close()
        return acks

    [ack] = asyncio.run(_with_listener(scenario))
    assert _msa(ack) == ["AR", "U1"]
    [kept] = Hl7Message.objects.all()
    assert kept.status == Hl7Message.Status.FAILED and "framing" in kept.reason


def test_data_left_when_the_peer_disconnects_mid_frame_is_still_kept():
    async def scenario(port):
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"\x0b" + oru_text(control_id="CUT", index=6).encode()[:80])
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        for _ in range(100):
            if await asyncio.to_thread(Hl7Message.objects.count):
                return
            await asyncio.sleep(0.05)

    asyncio.run(_with_listener(scenario))
    [kept] = Hl7Message.objects.all()
    assert kept.status == Hl7Message.Status.FAILED and kept.control_id == "CUT"


@pytest.mark.slow
def test_concurrent_connections_lose_no_message_and_answer_each_malformed_one():
    async def scenario(port):
        return await load_run(host="127.0.0.1", port=port, count=400, malformed=0.2, connections=4, seed=3)

    report = asyncio.run(_with_listener(scenario))
    assert report.wrong == []
    assert report.sent == report.acks == 400
    assert report.rejected > 40
    assert Hl7Message.objects.count() == 400
    assert Hl7Message.objects.for_review().count() == report.rejected
