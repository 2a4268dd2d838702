"""Who may wait for a query worker: a bounded queue with a wait deadline, and a per-client cap.

A web process has as many query slots as query workers. A query that finds none free waits, but
only while fewer than `queue_length` others wait, and only `wait` seconds; otherwise it gets
503 with Retry-After at once. One client address may have at most `per_client` queries running
or waiting. Pages, search and /health do not come through here: they have threads of their own
(server/cli.py), so long queries cannot make them wait.

A query waits in a thread (`slot`) or on the HTTP front's event loop (`wait_on_loop`): the same
queue, the same limits. Waiting on the loop spares each waiting query a thread hop; a freed slot
wakes the threads' condition and every query waiting on a loop, and whoever comes first takes it.
"""

import asyncio
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
        self.sleepers: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

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

    async def wait_on_loop(self, client: str) -> None:
        """`slot`'s wait, awaited on the event loop: returns holding a slot for `client`, given
        back with `release`; ServerBusy or TooManyQueries as `slot`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        with self.changed:
            self.join_queue(client)
        try:
            while True:
                with self.changed:
                    if self.free > 0:
                        self.free -= 1
                        return
                    woken: asyncio.Future[None] = loop.create_future()
                    self.sleepers.append((loop, woken))
                try:
                    await asyncio.wait_for(woken, max(0.0, deadline - loop.time()))
                except TimeoutError:
                    with self.changed:
                        self.leave(client)
                    raise self.stayed_busy() from None
        finally:
            with self.changed:
                self.waiting -= 1

    def release(self, client: str) -> None:
        with self.changed:
            self.free += 1
            self.leave(client)
            self.changed.notify()
            sleepers, self.sleepers = self.sleepers, []
        for loop, woken in sleepers:
            loop.call_soon_threadsafe(wake, woken)

    def check_client(self, client: str) -> None:
        if self.by_client[client] >= self.per_client:
            raise TooManyQueries(
                f"This client already has {self.per_client} queries running or waiting; "
                "wait for one to finish.",
                retry_after=1,
            )

    def admit(self, client: str) -> None:
        self.join_queue(client)
        try:
            got_one = self.changed.wait_for(lambda: self.free > 0, timeout=self.wait)
        finally:
            self.waiting -= 1
        if not got_one:
            self.leave(client)
            raise self.stayed_busy()
        self.free -= 1

    def join_queue(self, client: str) -> None:
        """Count `client` among those waiting (the lock held), unless the queue is full."""
        self.check_client(client)
        if self.free == 0 and self.waiting >= self.queue_length:
            raise ServerBusy(
                "Every query worker is busy and the queue is full; try again shortly.",
                retry_after=max(1, round(self.wait)),
            )
        self.by_client[client] += 1
        self.waiting += 1

    def stayed_busy(self) -> ServerBusy:
        return ServerBusy(
            f"Every query worker stayed busy for {self.wait:g} s; try again shortly.",
            retry_after=max(1, round(self.wait)),
        )

    def leave(self, client: str) -> None:
        self.by_client[client] -= 1
        if self.by_client[client] <= 0:
            del self.by_client[client]


def wake(woken: asyncio.Future[None]) -> None:
    if not woken.done():
        woken.set_result(None)
