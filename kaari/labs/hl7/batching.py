"""Group commit: messages that arrive together, on any connection, are committed in one database transaction.

Each connection's `accept` hands its message to one committer thread and waits; the committer takes every message
waiting (up to `max_batch`), runs `KeepingIntake.accept_many` on them (one transaction: kept texts, results,
outcomes) and wakes each caller with its own outcome, so every ACK still follows its message's commit. Under load
this turns many small transactions into a few larger ones; with one message at a time it is the plain intake.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future

from django.db import close_old_connections

from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.protocol import IntakeOutcome

logger = logging.getLogger(__name__)

_Item = tuple[str, str | None, "Future[IntakeOutcome]"]


class BatchingIntake:
    def __init__(self, *, intake: KeepingIntake, max_batch: int = 32) -> None:
        self.intake = intake
        self.max_batch = max_batch
        self.waiting: queue.Queue[_Item | None] = queue.Queue()
        self.thread = threading.Thread(target=self._commit_loop, name="hl7-committer", daemon=True)
        self.thread.start()

    def accept(self, message_text: str, *, framing_error: str | None = None) -> IntakeOutcome:
        outcome: Future[IntakeOutcome] = Future()
        self.waiting.put((message_text, framing_error, outcome))
        return outcome.result()

    def close(self) -> None:
        self.waiting.put(None)
        self.thread.join()

    def _commit_loop(self) -> None:
        while True:
            first = self.waiting.get()
            if first is None:
                close_old_connections()
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self.waiting.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.waiting.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._commit(batch)

    def _commit(self, batch: list[_Item]) -> None:
        try:
            outcomes = self.intake.accept_many([(text, framing_error) for text, framing_error, _ in batch])
        except Exception as exc:
            # Nothing of the batch is durable: no ACK for any of them, their senders send them again.
            logger.exception("a batch of %d HL7 messages could not be committed", len(batch))
            close_old_connections()
            for _, _, future in batch:
                future.set_exception(exc)
            return
        for (_, _, future), outcome in zip(batch, outcomes, strict=True):
            future.set_result(outcome)
