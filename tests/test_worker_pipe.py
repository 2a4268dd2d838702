"""The query worker's pipe: messages whole whatever pieces they arrive in, and queries and
answers the same after their trip as tuples."""

import asyncio
import os
import pickle
import time

import pytest

from kg.formats import named
from server.backend import Answer, Query, Refusal, ipc, reply_from_wire, reply_to_wire
from server.backend.pool import readable
from server.formats import GRAPH_BY_NAME, RESULTS_BY_NAME, Choice
from server.sparql.serialise import Body


def framed(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return ipc.HEADER.pack(len(data)) + data


@pytest.mark.parametrize("cuts", [(), (1,), (2, 3), (4,), (5, 100), (70_000, 140_000)])
def test_a_message_is_whole_whatever_pieces_it_arrives_in(cuts):
    message = ("x" * 150_000, b"\x00\xff", 7, None)
    data = framed(message)
    incoming = ipc.Incoming()
    pieces = [data[start:end] for start, end in zip((0, *cuts), (*cuts, len(data)), strict=True)]
    done = [incoming.feed(piece) for piece in pieces]
    assert done == [False] * (len(pieces) - 1) + [True]
    assert incoming.message() == message


def test_a_closed_pipe_is_eof():
    with pytest.raises(EOFError):
        ipc.Incoming().feed(b"")


def test_a_message_longer_than_the_pipe_buffer_crosses_a_real_pipe():
    reading, writing = os.pipe()
    message = ("q" * (3 * ipc.CHUNK), 1)
    try:
        pid = os.fork()
        if pid == 0:  # the writer blocks until the reader has read the pipe's buffer out
            os.close(reading)
            ipc.send(writing, message)
            os._exit(0)
        os.close(writing)
        assert ipc.receive(reading, time.monotonic() + 30) == message
        os.waitpid(pid, 0)
    finally:
        os.close(reading)


def test_a_widened_pipe_takes_a_long_reply_in_one_write_before_it_is_read():
    reading, writing = os.pipe()
    try:
        if not ipc.widen(writing):
            pytest.skip("this system keeps pipes at their default size")
        os.set_blocking(writing, False)  # a write that would wait raises instead
        message = (b"r" * (ipc.WIDE_PIPE - 4096), 1)
        ipc.send(writing, message)
        assert ipc.receive(reading, time.monotonic() + 30) == message
    finally:
        os.close(reading)
        os.close(writing)


def test_the_event_loop_reader_times_out_at_the_deadline():
    reading, writing = os.pipe()

    async def wait() -> None:
        await readable(asyncio.get_running_loop(), reading, time.monotonic() + 0.05)

    try:
        with pytest.raises(TimeoutError):
            asyncio.run(wait())
    finally:
        os.close(reading)
        os.close(writing)


@pytest.mark.parametrize(
    "choice",
    [
        Choice(RESULTS_BY_NAME["json"], GRAPH_BY_NAME["turtle"]),
        Choice(None, GRAPH_BY_NAME["ntriples"]),
        Choice(RESULTS_BY_NAME["csv"], None),
        Choice(None, None),
    ],
)
def test_a_query_is_the_same_after_its_trip(choice):
    query = Query("ASK {}", choice, 10, 1 << 20, ("https://a.example/g",), ("https://b.example/",))
    wire = pickle.loads(pickle.dumps(query.wire()))
    assert Query.from_wire(wire) == query
    assert Query.from_wire(wire).choice.results is choice.results  # the registry's own entry


def test_answers_and_refusals_are_the_same_after_their_trip():
    answer = Answer(Body(b'{"boolean":true}', named("json"), 1, False), cacheable=True)
    refusal = Refusal(PermissionError("no"), cacheable=True)
    assert reply_from_wire(pickle.loads(pickle.dumps(reply_to_wire(answer)))) == answer
    back = reply_from_wire(pickle.loads(pickle.dumps(reply_to_wire(refusal))))
    assert isinstance(back.error, PermissionError) and str(back.error) == "no"
