"""Who may wait for a query worker: a bounded queue with a wait deadline, and a per-client cap.

A web process has as many query slots as query workers. A query that finds none free waits, but
only while fewer than `queue_length` others wait, and only `wait` seconds; otherwise it gets
503 with Retry-After at once. One client address may have at most `per_client` queries running
or waiting. Pages, search and /health do not come through here: they have threads of their own
(server/cli.py), so long queries cannot make them wait.

A query waits in a thread (`slot`) or on the HTTP front's event loop (`wait_on_loop`): the same
queue, the same limits. Waiting on the loop spares each waiting query a thread hop. A freed slot
wakes one waiting thread and the first query waiting on the loop (the next one if that one has
just given up), and whichever comes first takes it; the other waits on.
"""

import asyncio
import threading
from collections import Counter, deque
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
        # queries waiting on an event loop, first come first
        self.sleepers: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

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
                await asyncio.wait_for(woken, max(0.0, deadline - loop.time()))
        except BaseException as error:  # past the wait, or the request cancelled
            with self.changed:
                self.leave(client)
            if isinstance(error, TimeoutError):
                raise self.stayed_busy() from None
            raise
        finally:
            with self.changed:
                self.waiting -= 1

    def release(self, client: str) -> None:
        with self.changed:
            self.free += 1
            self.leave(client)
            self.changed.notify()
        self.wake_a_sleeper()

    def wake_a_sleeper(self) -> None:
        """Wake the first query waiting on a loop, on its loop (from this one without a write
        to its self-pipe)."""
        with self.changed:
            if not self.sleepers:
                return
            loop, woken = self.sleepers.popleft()
        if running_loop() is loop:
            loop.call_soon(self.hand_over, woken)
        else:
            loop.call_soon_threadsafe(self.hand_over, woken)

    def hand_over(self, woken: asyncio.Future[None]) -> None:
        """On the sleeper's loop: wake it, or, if it gave up meanwhile, the next one."""
        if not woken.done():
            woken.set_result(None)
            return
        with self.changed:
            free = self.free > 0
        if free:
            self.wake_a_sleeper()

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


def running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # a thread without one
        return None
