"""The answer cache takes what it counts: answers kept as the engine keeps them, with evictions, and
the memory the process took for them measured (tracemalloc for Python's heap, the kernel's count
for the mappings of large bodies), never more than the cache's count, which never passes its
budget."""

import gc
import hashlib
import mmap
import random
import sys
import tracemalloc
from pathlib import Path

from server.backend import Answer, Refusal
from server.formats import RESULTS, Choice
from server.sparql.cache import OWN_MAPPING, AnswerCache, Doorkeeper
from server.sparql.engine import Engine, QueryRequest
from server.sparql.serialise import Body

JSON = RESULTS[0]
CONFIG = {"MAX_ROWS": 100_000, "MAX_ANSWER_BYTES": 32 << 20}


def keep(engine: Engine, number: int, size: int, rng: random.Random) -> None:
    """One answer of `size` bytes to a query of its own, kept as a served one is: the second
    time it is answered."""
    query = f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {number}" + " " * rng.randrange(2000)
    request = QueryRequest(
        query, (), (f"https://example.org/graph/{number}",), 5.0, Choice(JSON, None)
    )
    body = Body(rng.randbytes(size), JSON, number, False)
    answered_twice(engine, request, Answer(body, cacheable=True))


def answered_twice(engine: Engine, request: QueryRequest, reply) -> None:
    engine.keep(request, reply)
    engine.keep(request, reply)


def anonymous_kib() -> int:
    """The process's anonymous memory, as the kernel counts it."""
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Anonymous:"):
            return int(line.split()[1])
    raise AssertionError("no Anonymous line in smaps_rollup")


def test_small_answers_take_what_the_cache_counts():
    cache = AnswerCache(max_bytes=4 << 20)
    engine = Engine(None, cache, None, CONFIG)
    rng = random.Random(14)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(6000):  # about 3 budgets' worth: most are evicted
            keep(engine, number, rng.randrange(300, OWN_MAPPING), rng)
        gc.collect()
        taken = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 200 < len(cache.entries) < 6000  # filled, and evicting
    assert cache.held() <= cache.max_bytes
    assert taken <= cache.held()  # never more than counted
    assert taken >= 0.9 * cache.held()  # and the count is what they take, not a guess above it


def test_large_answers_take_what_the_cache_counts_and_give_it_back():
    cache = AnswerCache(max_bytes=16 << 20)
    engine = Engine(None, cache, None, CONFIG)
    rng = random.Random(14)
    gc.collect()
    before = anonymous_kib()
    for number in range(2400):  # about 3 budgets' worth: most are evicted
        # a page and a byte past a multiple of pages: the mapping's rounding is at its most
        keep(engine, number, mmap.PAGESIZE * rng.randrange(4, 9) + 1, rng)
    taken = (anonymous_kib() - before) * 1024
    assert 200 < len(cache.entries) < 2400
    assert cache.held() <= cache.max_bytes
    # evicted bodies were given back, kept ones cost what was counted (1 MiB: Python's arenas)
    assert taken <= cache.held() + (1 << 20)


def test_a_kept_refusal_is_raised_afresh_each_time():
    cache = AnswerCache(max_bytes=1 << 20)
    engine = Engine(None, cache, None, CONFIG)
    request = QueryRequest("SELEC", (), (), 5.0, Choice(JSON, None))
    refusal = Refusal(SyntaxError("unexpected end", ("query", 1, 6, "SELEC")), True)
    answered_twice(engine, request, refusal)
    first, second = engine.cached(request), engine.cached(request)
    assert isinstance(first, Refusal) and isinstance(second, Refusal)
    assert first.error is not second.error  # no traceback chains onto one kept exception
    assert (second.error.msg, second.error.lineno, second.error.offset) == ("unexpected end", 1, 6)


def test_a_kept_answer_is_the_answer():
    cache = AnswerCache(max_bytes=16 << 20)
    engine = Engine(None, cache, None, CONFIG)
    for size in (10, OWN_MAPPING - 1, OWN_MAPPING, 300_000):
        data = random.Random(size).randbytes(size)
        request = QueryRequest(f"ASK {{}} # {size}", (), (), 5.0, Choice(JSON, None))
        answered_twice(engine, request, Answer(Body(data, JSON, 1, size > 1000), cacheable=True))
        kept = engine.cached(request)
        assert isinstance(kept, Answer)
        assert kept.body == Body(data, JSON, 1, size > 1000)
    other = QueryRequest("ASK {} # 10", (), ("https://example.org/g",), 5.0, Choice(JSON, None))
    assert engine.cached(other) is None  # the dataset is part of the key


def test_the_table_is_made_anew_when_large_entries_replace_many_small_ones():
    cache = AnswerCache(max_bytes=4 << 20)
    engine = Engine(None, cache, None, CONFIG)
    rng = random.Random(14)
    for number in range(8000):
        keep(engine, number, 300, rng)
    crowded = sys.getsizeof(cache.entries)
    for number in range(8000, 8100):
        keep(engine, number, 200_000, rng)
    assert len(cache.entries) < 30
    assert sys.getsizeof(cache.entries) < crowded / 20


def test_an_answer_is_kept_the_second_time_its_request_is_answered():
    cache = AnswerCache(max_bytes=16 << 20)
    engine = Engine(None, cache, None, CONFIG)
    empty = cache.held()
    answers = {}
    for number in range(2000):  # every request once: nothing kept, nothing copied
        request = QueryRequest(f"ASK {{}} # {number}", (), (), 5.0, Choice(JSON, None))
        answers[request] = Answer(Body(b"x" * 2000, JSON, 1, False), cacheable=True)
        engine.keep(request, answers[request])
        assert engine.cached(request) is None
    assert len(cache.entries) == 0 and cache.held() == empty
    for request, answer in answers.items():  # each again: now kept
        engine.keep(request, answer)
    assert all(engine.cached(request) == answer for request, answer in answers.items())


def test_the_doorkeeper_forgets_once_full_and_rarely_mistakes_a_new_request():
    doorkeeper = Doorkeeper(1024)  # 8,192 bits: 512 requests remembered
    keys = [hashlib.sha256(str(n).encode()).digest() for n in range(20_000)]
    mistaken = sum(doorkeeper.seen_before(key) for key in keys)
    assert mistaken / len(keys) < 0.014
    doorkeeper.taken = doorkeeper.room  # full: the next new key clears it
    recent = [hashlib.sha256(f"recent {n}".encode()).digest() for n in range(100)]
    assert not any(doorkeeper.seen_before(key) for key in recent)  # the first clears it
    assert all(doorkeeper.seen_before(key) for key in recent)  # since the clear: remembered
    doorkeeper.taken = doorkeeper.room
    doorkeeper.seen_before(b"\xff" * 32)  # cleared again
    assert not any(doorkeeper.seen_before(key) for key in recent[:10])
