"""The MLLP listener with the store-backed intake: every valid message is stored before its AA, none lost."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from kaari.access.services import system_store
from kaari.labs.hl7.commit import StoreResultCommit, intake_store
from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.loadclient import load_run, oru_text
from kaari.labs.hl7.loadprepare import load_orders_prepare
from kaari.labs.hl7.mllp import Frame, MllpDecoder, frame_encode, mllp_server_start
from kaari.labs.models import Hl7Message
from tests.labs.charts import knowledge

pytestmark = pytest.mark.django_db(transaction=True)


async def with_listener(scenario):
    executor = ThreadPoolExecutor(max_workers=4)
    intake = KeepingIntake(catalogue=knowledge().catalogue, commit=StoreResultCommit())
    server = await mllp_server_start(host="127.0.0.1", port=0, intake=intake, executor=executor)
    try:
        async with server:
            return await scenario(server.sockets[0].getsockname()[1])
    finally:
        executor.shutdown(wait=True)


def test_when_the_aa_arrives_the_result_is_already_in_the_store():
    load_orders_prepare(store=intake_store(), count=3)

    async def scenario(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(frame_encode(text=oru_text(control_id="L1", index=2)))
        await writer.drain()
        decoder, frames = MllpDecoder(), list[Frame]()
        while not frames:
            frames = [i for i in decoder.feed(await asyncio.wait_for(reader.read(65536), 10)) if isinstance(i, Frame)]
        # Read at the moment the ACK is in hand, before anything else can happen.
        order = await asyncio.to_thread(lambda: system_store("test").read("ServiceRequest", "sr-2").resource)
        writer.close()
        return frames[0].payload.decode(), order

    ack, order = asyncio.run(with_listener(scenario))

    assert "MSA|AA|L1" in ack
    assert order["status"] == "completed"


def test_a_load_with_a_malformed_share_is_answered_and_kept_in_full():
    load_orders_prepare(store=intake_store(), count=120)

    report = asyncio.run(
        with_listener(lambda port: load_run(host="127.0.0.1", port=port, count=120, malformed=0.2, connections=3))
    )

    assert report.wrong == []
    assert (report.sent, report.acks) == (120, 120)
    assert Hl7Message.objects.count() == 120
    assert Hl7Message.objects.filter(status=Hl7Message.Status.PROCESSED).count() == report.accepted
    assert Hl7Message.objects.filter(status=Hl7Message.Status.FAILED).count() == report.rejected > 0
    completed = [
        s for s in system_store("test").history(resource_type="ServiceRequest", count=1000).entries if s.version_id == 2
    ]
    assert len(completed) == report.accepted
