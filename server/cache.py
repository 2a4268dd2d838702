"""Answers kept by request, for as long as the web process lives: the store it reads is one build,
opened read-only, so the same request gets the same answer until the server is restarted.

One cache per web process holds both the HTTP answers (server/fastpath.py) and the workers'
replies (server/engine.py), in one budget; an entry counts its key (query, Accept, …), its
stored headers and its body, plus a fixed allowance for the objects holding them."""

import threading
from collections import OrderedDict

ENTRY_OVERHEAD = 512  # bytes: the tuples, dict slots and object headers around one entry


def entry_size(*parts) -> int:
    """Bytes an entry holds: every string and bytes object in it (nested tuples, lists, dicts
    and dataclass-like objects included), plus the allowance."""
    total, stack = ENTRY_OVERHEAD, list(parts)
    while stack:
        part = stack.pop()
        if isinstance(part, str):
            total += len(part.encode("utf-8", "surrogatepass"))
        elif isinstance(part, bytes | bytearray | memoryview):
            total += len(part)
        elif isinstance(part, dict):
            stack.extend(part.keys())
            stack.extend(part.values())
        elif isinstance(part, tuple | list | set | frozenset):
            stack.extend(part)
        elif hasattr(part, "__dict__"):
            stack.extend(vars(part).values())
        else:
            total += 16
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
