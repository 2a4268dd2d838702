"""Who may wait for a query worker: a bounded queue with a wait deadline, and a per-client cap.

A web process has as many query slots as query workers. A query that finds none free waits, but
only while fewer than `queue_length` others wait, and only `wait` seconds; otherwise it gets
503 with Retry-After at once. One client address may have at most `per_client` queries running
or waiting. Pages, search and /health do not come through here: they have threads of their own
(server/cli.py), so long queries cannot make them wait.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from server.errors import ServerBusy, TooManyQueries


class Admission:
    def __init__(self, *, slots: int, queue_length: int, wait: float, per_client: int):
        self.free = slots
        self.queue_length = queue_length
        self.wait = wait
        self.per_client = per_client
        self.waiting = 0
        self.by_client: Counter[str] = Counter()
        self.changed = threading.Condition()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one query slot for `client` while the block runs (ServerBusy, TooManyQueries)."""
        with self.changed:
            self.admit(client)
        try:
            yield
        finally:
            self.release(client)

    def take_now(self, client: str) -> bool:
        """Take a free slot for `client` if there is one, without waiting (TooManyQueries as
        `slot`); False if none is free. A slot taken is given back with `release`."""
        with self.changed:
            self.check_client(client)
            if self.free == 0:
                return False
            self.free -= 1
            self.by_client[client] += 1
            return True

    def release(self, client: str) -> None:
        with self.changed:
            self.free += 1
            self.leave(client)
            self.changed.notify()

    def check_client(self, client: str) -> None:
        if self.by_client[client] >= self.per_client:
            raise TooManyQueries(
                f"This client already has {self.per_client} queries running or waiting; "
                "wait for one to finish.",
                retry_after=1,
            )

    def admit(self, client: str) -> None:
        self.check_client(client)
        if self.free == 0 and self.waiting >= self.queue_length:
            raise ServerBusy(
                "Every query worker is busy and the queue is full; try again shortly.",
                retry_after=max(1, round(self.wait)),
            )
        self.by_client[client] += 1
        self.waiting += 1
        try:
            got_one = self.changed.wait_for(lambda: self.free > 0, timeout=self.wait)
        finally:
            self.waiting -= 1
        if not got_one:
            self.leave(client)
            raise ServerBusy(
                f"Every query worker stayed busy for {self.wait:g} s; try again shortly.",
                retry_after=max(1, round(self.wait)),
            )
        self.free -= 1

    def leave(self, client: str) -> None:
        self.by_client[client] -= 1
        if self.by_client[client] <= 0:
            del self.by_client[client]
