"""The embedded backend: the build's store, read by sandboxed query workers (server/backend/pool.py).

Two pools of workers: one for /sparql (as many as QUERY_WORKERS; the endpoint's admission decides
who may wait for one) and one for the pages, so that a page never queues behind /sparql queries.
Either way a read runs in a worker, with the safety check, the network wall and a deadline past
which its worker is killed.
"""

from server.backend import Answer, Backend, Query, Reply
from server.backend.pool import WorkerPool
from server.formats import RESULTS_BY_NAME, Choice

PROBE = Query("ASK { }", Choice(RESULTS_BY_NAME["json"], None), max_rows=1, max_bytes=1024)
PROBE_TIMEOUT = 10.0


class EmbeddedBackend(Backend):
    source = "worker"
    runs_on_loop = True

    def __init__(self, settings: dict, *, query_workers: int, page_workers: int, timeout: float):
        super().__init__(timeout=timeout)
        self.queries = WorkerPool(settings, size=query_workers)
        # the pages' own short queries run at the web process's priority
        self.pages = WorkerPool({**settings, "niceness": 0}, size=page_workers)

    def run(self, query: Query, *, timeout: float) -> Reply:
        return self.queries.run(query, timeout=timeout)

    async def run_idle(self, query: Query, *, timeout: float) -> Reply | None:
        return await self.queries.run_idle(query, timeout=timeout)

    def read(self, query: Query, *, timeout: float) -> Reply:
        return self.pages.run(query, timeout=timeout)

    def probe(self) -> bool:
        """An idle /sparql worker is asked, without queueing: when every one is busy running a
        query, that says the store is being read (False: busy)."""
        reply = self.queries.probe(PROBE, timeout=PROBE_TIMEOUT)
        if reply is None:
            return False
        if not isinstance(reply, Answer):
            raise OSError("store not readable")
        return True

    def warm(self) -> None:
        self.queries.warm()
        self.pages.warm()

    def close(self) -> None:
        self.queries.close()
        self.pages.close()

    def pids(self) -> list[int]:
        return self.queries.pids() + self.pages.pids()
