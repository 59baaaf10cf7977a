"""A message that failed is kept, and once corrected (or once the code map knows it) it goes through."""

import pytest

from kaari.labs.catalogue import catalogue_build, catalogue_file_read
from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.loadclient import oru_text
from kaari.labs.hl7.protocol import IntakeOutcome
from kaari.labs.models import Hl7Message
from kaari.labs.services import hl7_message_correct
from tests.labs.factories import KNOWLEDGE

pytestmark = pytest.mark.django_db


def _id(outcome: IntakeOutcome) -> int:
    assert outcome.message_id is not None
    return outcome.message_id


def test_a_corrected_message_is_reprocessed_and_the_original_text_is_kept():
    intake = KeepingIntake(catalogue=KNOWLEDGE.catalogue)
    bad = oru_text(control_id="R1", index=1, kind="bad-number")
    outcome = intake.accept(bad)
    assert outcome.ack_code == "AE"
    message = Hl7Message.objects.get(pk=_id(outcome))
    assert list(Hl7Message.objects.for_review()) == [message]

    message = hl7_message_correct(message=message, raw=oru_text(control_id="R1", index=1))
    assert intake.process(message).ack_code == "AA"
    message.refresh_from_db()
    assert message.status == Hl7Message.Status.RECEIVED
    assert message.original_raw == bad and message.attempts == 2
    assert not Hl7Message.objects.for_review().exists()


def test_a_local_code_added_to_the_map_lets_the_kept_message_through():
    text = oru_text(control_id="R2", index=2, kind="unknown-test")
    failed = KeepingIntake(catalogue=KNOWLEDGE.catalogue).accept(text)
    assert failed.ack_code == "AE" and "local code map" in failed.text
    raw = catalogue_file_read()
    raw["hl7_local_codes"] = {"HUSLAB": {"X2": "p-krea"}}
    intake = KeepingIntake(catalogue=catalogue_build(raw=raw))
    assert intake.process(Hl7Message.objects.get(pk=_id(failed))).ack_code == "AA"


def test_with_a_commit_step_the_message_is_processed_only_after_the_commit():
    committed = []
    intake = KeepingIntake(catalogue=KNOWLEDGE.catalogue, commit=lambda parsed, bundle: committed.append(bundle))
    outcome = intake.accept(oru_text(control_id="R3", index=3))
    assert outcome.ack_code == "AA" and len(committed) == 1
    assert Hl7Message.objects.get(pk=_id(outcome)).status == Hl7Message.Status.PROCESSED


def test_an_unexpected_failure_in_the_commit_is_an_ae_and_the_message_is_kept():
    def commit(parsed, bundle):
        raise RuntimeError("store unavailable")

    outcome = KeepingIntake(catalogue=KNOWLEDGE.catalogue, commit=commit).accept(oru_text(control_id="R4", index=4))
    assert outcome.ack_code == "AE"
    assert Hl7Message.objects.get(pk=_id(outcome)).status == Hl7Message.Status.FAILED
