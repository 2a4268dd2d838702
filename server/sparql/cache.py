"""Answers kept by request, for as long as the web process lives: the store it reads is one build,
opened read-only, so the same request gets the same answer until the server is restarted.

One cache per web process holds the backend's replies (server/sparql/engine.py), answers and
refusals, as tuples of plain values under a digest of their request, within one budget that is
what they cost: each object of an entry at its real size (sys.getsizeof: the key, the tuple, the
body, the numbers), the dictionary's own table, and a body of OWN_MAPPING bytes or more at the
pages of the mapping it is kept in.

Kept so, the budget is what the web process grows by. A body kept in the C heap (glibc malloc)
sits among the short-lived buffers of other requests; evicted, it leaves a hole the heap keeps,
too small for the next large answer; the small objects of an entry (its query text, tuples) pin
Python's 1 MiB arenas the same way. With both, a 16 MB cache grew the web process by 44 MB of RSS
over the benchmark. Now a large body has an anonymous mapping of its own (mmap(2)), returned to
the system when its entry goes, an entry is a handful of small objects, not its query text, and
once a quarter of the budget has been evicted the heap's free pages are given back
(server/malloc.py). A mapping is an object the garbage collector tracks, one per large body: at
most a thousand at the default budget, walked in microseconds.

An answer is kept the second time its request is answered, not the first: most research queries
are asked once, and keeping each of them would cost every request a copy, an eviction and now
and then a trim, for nothing (TinyLFU's doorkeeper, Einziger, Friedman and Manes, "TinyLFU: A
Highly Efficient Cache Admission Policy", ACM TOS 13(4), 2017). The requests seen once are
remembered in a Bloom filter of two bits per request, cleared when it has taken in a sixteenth
of its bits (at most 1.4% of new requests then pass for seen ones), its bytes counted in the
budget.
"""

import mmap
import sys
import threading
from collections import OrderedDict

from server import malloc

OWN_MAPPING = 16 * 1024  # bytes: smaller bodies stay in the heap (a page each would waste more)
# a mapping's pages are made when it is, not one fault at a time as the body is written: for a
# 93 KB body, 38-48 µs against 55-62 µs at the median (p99 about the same; Linux only)
MAPPING_FLAGS = mmap.MAP_PRIVATE | getattr(mmap, "MAP_POPULATE", 0)
# bytes of table per entry past which the table is made anew: a full one takes about 100 (after
# many small entries went for a few large ones, the table kept its size: 1.8 MB, measured)
SPARSE_TABLE = 400
DOORKEEPER_SHARE = 256  # the doorkeeper takes this fraction of the budget


def cost(part: object, seen: set[int] | None = None) -> int:
    """Bytes an object of an entry takes, with the objects it holds, each once; classes, None
    and booleans, which every entry shares, count nothing."""
    seen = set() if seen is None else seen
    if part is None or isinstance(part, type | bool) or id(part) in seen:
        return 0
    seen.add(id(part))
    size = sys.getsizeof(part)
    if isinstance(part, mmap.mmap):
        return size + -(-len(part) // mmap.PAGESIZE) * mmap.PAGESIZE
    if isinstance(part, tuple):
        return size + sum(cost(item, seen) for item in part)
    return size


def mapped(part: object) -> object:
    """A large body in a mapping of its own; anything else as it is."""
    if not isinstance(part, bytes) or len(part) < OWN_MAPPING:
        return part
    mapping = mmap.mmap(-1, len(part), flags=MAPPING_FLAGS)
    mapping.write(part)
    return mapping


def unmapped(part: object) -> object:
    return part[:] if isinstance(part, mmap.mmap) else part


class Doorkeeper:
    """Which keys (SHA-256 digests) were offered before: a Bloom filter, cleared when full."""

    def __init__(self, size: int):
        self.bits = bytearray(size)
        self.room = size * 8 // 16  # keys taken in before it is cleared
        self.taken = 0

    def seen_before(self, key: bytes) -> bool:
        """Whether `key` was offered since the filter was last cleared; it is remembered now."""
        spots = [int.from_bytes(key[at : at + 8], "little") % (len(self.bits) * 8) for at in (0, 8)]
        if all(self.bits[spot >> 3] & (1 << (spot & 7)) for spot in spots):
            return True
        if self.taken >= self.room:
            self.bits[:] = bytes(len(self.bits))
            self.taken = 0
        for spot in spots:
            self.bits[spot >> 3] |= 1 << (spot & 7)
        self.taken += 1
        return False


class AnswerCache:
    """Least-recently-used entries (tuples of plain values), bounded by what they cost in bytes."""

    def __init__(self, *, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 16
        # 64 KiB at the default budget: 32,768 requests remembered
        self.doorkeeper = Doorkeeper(max(max_bytes // DOORKEEPER_SHARE, 1))
        self.entries: OrderedDict[bytes, tuple[int, tuple]] = OrderedDict()  # (cost, entry)
        self.size = 0  # the entries' cost; held() adds the table's and the doorkeeper's
        self.evicted = 0  # bytes evicted since the heap was last trimmed
        self.lock = threading.Lock()

    def get(self, key: bytes) -> tuple | None:
        with self.lock:
            kept = self.entries.get(key)
            if kept is None:
                return None
            self.entries.move_to_end(key)
        return tuple(unmapped(part) for part in kept[1])

    def put(self, key: bytes, value: tuple) -> None:
        """Keep `value` under `key` if its request was answered before (and it fits)."""
        with self.lock:
            if not self.doorkeeper.seen_before(key):
                return
        size = cost(key) + cost(value)
        if size > self.max_entry:
            return
        stored = tuple(mapped(part) for part in value)
        if any(kept is not given for kept, given in zip(stored, value, strict=True)):
            size = cost(key) + cost(stored)  # a body mapped: counted at its pages
        # the cost is kept with the entry (a pair, and the number: counted too), so that its
        # eviction takes off the same
        size += sys.getsizeof((size, stored)) + sys.getsizeof(size)
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (size, stored)
            self.size += size
            trim = self.evict()
        if trim:
            malloc.trim()

    def evict(self) -> bool:
        """Drop the least recently used entries until the cache is within its budget (the lock
        held); whether a quarter of the budget went since the heap was last trimmed."""
        while self.entries and self.held() > self.max_bytes:
            _, (size, _) = self.entries.popitem(last=False)
            self.size -= size
            self.evicted += size
        if sys.getsizeof(self.entries) > SPARSE_TABLE * (len(self.entries) + 16):
            self.entries = OrderedDict(self.entries)  # a table sized for the entries left
        if self.evicted < self.max_bytes // 4:
            return False
        self.evicted = 0
        return True

    def held(self) -> int:
        """Bytes the cache takes: its entries, its table (which keeps its largest size) and its
        doorkeeper."""
        return self.size + sys.getsizeof(self.entries) + sys.getsizeof(self.doorkeeper.bits)
