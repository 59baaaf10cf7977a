"""MLLP framing: <VT> message <FS><CR>, whatever way the bytes arrive."""

from kaari.labs.hl7.mllp import Frame, FramingFault, MllpDecoder, frame_encode

ONE = frame_encode(text="MSH|one\r")
TWO = frame_encode(text="MSH|two\r")


def _frames(items):
    return [i.payload for i in items if isinstance(i, Frame)]


def test_two_messages_in_one_packet_are_two_frames():
    assert _frames(MllpDecoder().feed(ONE + TWO)) == [b"MSH|one\r", b"MSH|two\r"]


def test_a_frame_split_byte_by_byte_is_reassembled():
    decoder = MllpDecoder()
    items = [item for byte in ONE + TWO for item in decoder.feed(bytes([byte]))]
    assert _frames(items) == [b"MSH|one\r", b"MSH|two\r"]


def test_the_end_block_split_between_packets_waits_for_the_carriage_return():
    decoder = MllpDecoder()
    assert decoder.feed(ONE[:-1]) == []
    assert _frames(decoder.feed(ONE[-1:])) == [b"MSH|one\r"]


def test_bytes_outside_a_frame_are_reported_and_the_next_frame_still_arrives():
    items = MllpDecoder().feed(b"noise" + ONE)
    assert items[0] == FramingFault(b"noise", "data outside an MLLP frame")
    assert _frames(items) == [b"MSH|one\r"]


def test_line_breaks_between_frames_are_not_faults():
    assert MllpDecoder().feed(ONE + b"\r\n" + TWO) == [Frame(b"MSH|one\r"), Frame(b"MSH|two\r")]


def test_a_message_without_a_start_block_is_a_fault_with_its_content():
    [fault] = MllpDecoder().feed(b"MSH|lost start\r\x1c\r")
    assert isinstance(fault, FramingFault) and fault.data == b"MSH|lost start\r"


def test_a_frame_that_never_ends_is_a_fault_when_the_next_one_starts():
    items = MllpDecoder().feed(b"\x0bMSH|cut" + TWO)
    assert items == [FramingFault(b"MSH|cut", "a frame without the <FS><CR> end block"), Frame(b"MSH|two\r")]


def test_a_lone_end_byte_without_carriage_return_still_ends_the_frame():
    assert _frames(MllpDecoder().feed(b"\x0bMSH|x\x1c\x0bMSH|y\x1c\r")) == [b"MSH|x", b"MSH|y"]


def test_an_oversized_frame_is_a_fault_not_a_memory_leak():
    decoder = MllpDecoder(max_frame_bytes=10)
    [fault] = decoder.feed(b"\x0b" + b"x" * 20)
    assert isinstance(fault, FramingFault) and len(decoder.buffer) == 0
