"""Admission to the query workers: the same queue and limits for a query waiting in a thread
and one waiting on the event loop."""

import asyncio
import threading
import time

import pytest

from server.errors import ServerBusy, TooManyQueries
from server.sparql.admission import Admission


def admission(*, slots=1, queue_length=2, wait=5.0, per_client=2) -> Admission:
    return Admission(slots=slots, queue_length=queue_length, wait=wait, per_client=per_client)


def test_a_query_waiting_on_the_loop_gets_the_slot_freed():
    gate = admission()
    assert gate.take_now("a")

    async def scenario() -> float:
        loop = asyncio.get_running_loop()
        loop.call_later(0.1, gate.release, "a")
        started = time.monotonic()
        await gate.wait_on_loop("b")
        return time.monotonic() - started

    waited = asyncio.run(scenario())
    assert 0.05 < waited < 2
    assert (gate.free, gate.waiting, dict(gate.by_client)) == (0, 0, {"b": 1})
    gate.release("b")
    assert (gate.free, dict(gate.by_client)) == (1, {})


def test_a_slot_freed_by_a_thread_wakes_the_loop():
    gate = admission()
    assert gate.take_now("a")
    threading.Timer(0.1, gate.release, ("a",)).start()
    asyncio.run(gate.wait_on_loop("b"))
    assert dict(gate.by_client) == {"b": 1}


def test_waiting_past_the_queue_wait_is_server_busy_and_leaves_no_trace():
    gate = admission(wait=0.2)
    assert gate.take_now("a")
    started = time.monotonic()
    with pytest.raises(ServerBusy) as refused:
        asyncio.run(gate.wait_on_loop("b"))
    assert 0.15 < time.monotonic() - started < 2
    assert refused.value.retry_after == 1
    assert (gate.free, gate.waiting, dict(gate.by_client)) == (0, 0, {"a": 1})


def test_a_full_queue_refuses_at_once_on_the_loop_as_in_a_thread():
    gate = admission(queue_length=1, wait=5.0)
    assert gate.take_now("a")

    async def scenario():
        first = asyncio.ensure_future(gate.wait_on_loop("b"))
        await asyncio.sleep(0.05)  # b waits
        started = time.monotonic()
        with pytest.raises(ServerBusy):
            await gate.wait_on_loop("c")
        assert time.monotonic() - started < 0.5
        with pytest.raises(ServerBusy), gate.slot("d"):  # a thread finds the same queue full
            pass
        gate.release("a")
        await first

    asyncio.run(scenario())
    assert dict(gate.by_client) == {"b": 1}


def test_one_client_waits_for_at_most_its_share():
    gate = admission(per_client=1)
    assert gate.take_now("a")
    with pytest.raises(TooManyQueries):
        asyncio.run(gate.wait_on_loop("a"))
    assert (gate.waiting, dict(gate.by_client)) == (0, {"a": 1})


def test_a_thread_and_the_loop_waiting_together_each_get_a_slot():
    gate = admission(slots=1, queue_length=4)
    assert gate.take_now("a")
    done = threading.Event()

    def in_a_thread():
        with gate.slot("t"):
            time.sleep(0.05)
        done.set()

    async def scenario():
        thread = threading.Thread(target=in_a_thread)
        thread.start()
        await asyncio.sleep(0.05)
        asyncio.get_running_loop().call_later(0.05, gate.release, "a")
        await gate.wait_on_loop("b")
        gate.release("b")
        await asyncio.to_thread(thread.join, 5)

    asyncio.run(scenario())
    assert done.is_set()
    assert (gate.free, gate.waiting, dict(gate.by_client)) == (1, 0, {})


def test_a_freed_slot_wakes_one_query_waiting_on_the_loop_not_all():
    gate = admission(slots=1, queue_length=4)
    assert gate.take_now("a")

    async def scenario():
        waiting = [asyncio.ensure_future(gate.wait_on_loop(name)) for name in "bcd"]
        await asyncio.sleep(0.05)
        assert len(gate.sleepers) == 3
        gate.release("a")
        await asyncio.sleep(0.05)
        assert [task.done() for task in waiting] == [True, False, False]
        assert len(gate.sleepers) == 2  # the other two still asleep, not woken to wait again
        for name, task in zip("bc", waiting, strict=False):
            gate.release(name)
            await asyncio.sleep(0.05)
            assert task.done()
        await waiting[2]
        gate.release("d")

    asyncio.run(scenario())
    assert (gate.free, gate.waiting, dict(gate.by_client), len(gate.sleepers)) == (1, 0, {}, 0)


def test_a_wake_for_a_query_that_gave_up_goes_to_the_next():
    gate = admission(slots=1, queue_length=4, wait=0.3)
    assert gate.take_now("a")

    async def scenario():
        loop = asyncio.get_running_loop()
        first = asyncio.ensure_future(gate.wait_on_loop("b"))
        await asyncio.sleep(0.05)
        gate.wait = 5.0  # the second query waits longer than the first
        second = asyncio.ensure_future(gate.wait_on_loop("c"))
        await asyncio.sleep(0.05)
        with pytest.raises(ServerBusy):
            await first  # gave up at its deadline; the wake below is handed on
        loop.call_soon(gate.release, "a")
        await asyncio.wait_for(second, 2)

    asyncio.run(scenario())
    assert dict(gate.by_client) == {"c": 1}


def test_a_query_cancelled_while_waiting_leaves_no_trace():
    gate = admission(slots=1, queue_length=4)
    assert gate.take_now("a")

    async def scenario():
        waiting = asyncio.ensure_future(gate.wait_on_loop("b"))
        await asyncio.sleep(0.05)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        gate.release("a")  # its wake finds the cancelled one gone, and nobody else
        await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert (gate.free, gate.waiting, dict(gate.by_client)) == (1, 0, {})
