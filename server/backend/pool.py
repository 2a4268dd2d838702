"""Query workers owned by one web process: each answers one query at a time, within a deadline.

A worker that passes its deadline is killed (503); one that dies is noticed (502); either way its
slot is refilled by a fresh worker on next use, so the following request is served.
"""

import asyncio
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from server.backend import Query, Reply, ipc, reply_from_wire
from server.errors import QueryTimeout, SandboxRefused, WorkerDied

log = logging.getLogger("zzkg.sparql")
START_TIMEOUT = 60.0
WORKER_MODULE = "server.backend.worker"
# the worker ignores Ctrl-C from its first instruction (the terminal sends it to the whole process
# group; the web process stops its workers itself), then runs server.backend.worker
LAUNCH = (
    "import signal, sys, runpy; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "sys.argv = sys.argv[1:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


class QueryWorker:
    """One child process running server.backend.worker over a pair of pipes."""

    def __init__(self, settings: dict):
        command = [sys.executable, "-c", LAUNCH, WORKER_MODULE, json.dumps(settings)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests, self.replies = self.process.stdin, self.process.stdout
        ipc.widen(self.replies.fileno())
        try:
            hello = ipc.receive(self.replies.fileno(), time.monotonic() + START_TIMEOUT)
        except (EOFError, TimeoutError):
            hello = {"ready": False}
        if not isinstance(hello, dict) or not hello.get("ready"):
            self.kill()
            if isinstance(hello, dict) and hello.get("reason") == "sandbox":
                raise SandboxRefused(
                    "The query workers cannot be cut off from the network on this machine, "
                    "so they do not run queries (see the server log)."
                )
            raise ConnectionRefusedError("The store is not available; try again later.")

    @property
    def pid(self) -> int:
        return self.process.pid

    def ask(self, request: Query, deadline: float) -> Reply:
        """Send one request and wait for its reply until the deadline (monotonic clock)."""
        with self.asking():
            ipc.send(self.requests.fileno(), request.wire())
            return reply_from_wire(ipc.receive(self.replies.fileno(), deadline))

    async def ask_async(self, request: Query, deadline: float) -> Reply:
        """`ask` on the event loop: each piece of the reply is awaited, not waited for in a
        thread."""
        loop = asyncio.get_running_loop()
        fd = self.replies.fileno()
        with self.asking():
            ipc.send(self.requests.fileno(), request.wire())
            incoming = ipc.Incoming()
            while True:
                await readable(loop, fd, deadline)
                if incoming.feed(os.read(fd, incoming.wanted())):
                    return reply_from_wire(incoming.message())

    @contextmanager
    def asking(self) -> Iterator[None]:
        """Around one exchange: a worker past its deadline is killed; one whose pipe closed
        died (WorkerDied)."""
        try:
            yield
        except TimeoutError:
            self.kill()
            raise
        except (EOFError, BrokenPipeError):
            self.kill()
            raise WorkerDied(
                "The query worker stopped before answering (it crashed or was killed); "
                "it has been replaced, try again."
            ) from None

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.requests.close()
        self.replies.close()


async def readable(loop: asyncio.AbstractEventLoop, fd: int, deadline: float) -> None:
    """Until the pipe has something to read; TimeoutError past the deadline (a timer cheaper
    than wait_for's)."""
    future: asyncio.Future[None] = loop.create_future()
    loop.add_reader(fd, settle, future, None)
    late = loop.call_later(
        max(0.0, deadline - time.monotonic()), settle, future, TimeoutError("deadline passed")
    )
    try:
        await future
    finally:
        late.cancel()
        loop.remove_reader(fd)


def settle(future: asyncio.Future[None], error: Exception | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


@dataclass
class Lent:
    worker: QueryWorker | None


class WorkerPool:
    """A fixed number of worker slots, filled lazily; a request waits for a free slot."""

    source = "worker"

    def __init__(self, settings: dict, *, size: int):
        self.settings = settings
        self.size = size
        self.slots: queue.LifoQueue[QueryWorker | None] = queue.LifoQueue()
        for _ in range(size):
            self.slots.put(None)
        self.lock = threading.Lock()
        self.workers: set[QueryWorker] = set()

    def run(self, request: Query, *, timeout: float) -> Reply:
        deadline = time.monotonic() + timeout
        try:
            worker = self.slots.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"All query workers stayed busy for {timeout:g} s.") from None
        return self.use(worker, request, deadline, timeout)

    def probe(self, request: Query, *, timeout: float) -> Reply | None:
        """Run `request` on an idle worker without queueing; None if every worker is busy with
        a query (they are alive, so the store is being read)."""
        try:
            worker = self.slots.get_nowait()
        except queue.Empty:
            return None
        return self.use(worker, request, time.monotonic() + timeout, timeout)

    async def run_idle(self, request: Query, *, timeout: float) -> Reply | None:
        """Run `request` on a worker that is idle and started, awaiting it on the event loop;
        None if there is none (then nothing was sent: starting a worker is a thread's work)."""
        try:
            worker = self.slots.get_nowait()
        except queue.Empty:
            return None
        if worker is None or not worker.alive():
            self.slots.put(worker)
            return None
        deadline = time.monotonic() + timeout
        with self.lending(worker, timeout) as lent:
            assert lent.worker is not None
            return await lent.worker.ask_async(request, deadline)

    def use(
        self, worker: QueryWorker | None, request: Query, deadline: float, timeout: float
    ) -> Reply:
        """Ask a worker taken from the slots (started if need be)."""
        with self.lending(worker, timeout) as lent:
            lent.worker = self.ready(lent.worker)
            return lent.worker.ask(request, deadline)

    @contextmanager
    def lending(self, worker: QueryWorker | None, timeout: float) -> Iterator["Lent"]:
        """A worker taken from the slots, given back whatever happens (a failed one retired)."""
        lent = Lent(worker)
        try:
            yield lent
        except TimeoutError:
            self.retire(lent.worker)
            lent.worker = None
            raise QueryTimeout(
                f"The query did not finish within {timeout:g} s and was stopped. "
                "Simplify it, or pass a larger `timeout` (up to the server's maximum)."
            ) from None
        except BaseException:
            self.retire(lent.worker)
            lent.worker = None
            raise
        finally:
            self.slots.put(lent.worker)

    def ready(self, worker: QueryWorker | None) -> QueryWorker:
        if worker is not None and worker.alive():
            return worker
        self.retire(worker)
        worker = QueryWorker(self.settings)
        with self.lock:
            self.workers.add(worker)
        return worker

    def retire(self, worker: QueryWorker | None) -> None:
        if worker is None:
            return
        worker.kill()
        with self.lock:
            self.workers.discard(worker)

    def warm(self) -> None:
        """Start every worker now rather than on first use."""
        started = [self.ready(self.slots.get()) for _ in range(self.size)]
        for worker in started:
            self.slots.put(worker)

    def pids(self) -> list[int]:
        with self.lock:
            return [worker.pid for worker in self.workers]

    def close(self) -> None:
        with self.lock:
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.kill()
