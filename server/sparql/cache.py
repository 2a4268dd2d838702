"""Answers kept by request, for as long as the web process lives: the store it reads is one build,
opened read-only, so the same request gets the same answer until the server is restarted.

One cache per web process holds the backend's replies (server/sparql/engine.py), answers and
refusals, in one budget; an entry counts its key (query, dataset, formats) and its body, plus a
fixed allowance for the objects holding them."""

import threading
from collections import OrderedDict

ENTRY_OVERHEAD = 512  # bytes: the tuples, dataclasses and object headers around one entry


def entry_size(*parts: str | bytes) -> int:
    """Bytes an entry holds: its texts (query, graph IRIs) and its body or message, plus the
    allowance (its formats are the registry's own objects, shared by every entry)."""
    total = ENTRY_OVERHEAD
    for part in parts:
        total += len(part.encode("utf-8", "surrogatepass")) if isinstance(part, str) else len(part)
    return total


class AnswerCache:
    """Least-recently-used answers, bounded by their total size in bytes."""

    def __init__(self, *, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 16
        self.entries: OrderedDict[tuple, tuple[int, object]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, value: object, size: int) -> None:
        if size > self.max_entry:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (size, value)
            self.size += size
            while self.size > self.max_bytes:
                _, (old_size, _) = self.entries.popitem(last=False)
                self.size -= old_size
