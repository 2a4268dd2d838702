"""The backend of an app, chosen once from its settings: the remote engine when SPARQL_ENDPOINT
is set, else the embedded store's query workers (started on first use, or by `warm()`)."""

from server.backend import Backend
from server.config import dataset_graphs

PAGE_WORKERS = 1  # per web process: pages' reads are short, and never wait behind /sparql


def backend_for(config) -> Backend:
    if config["SPARQL_ENDPOINT"]:
        from server.backend.http import RemoteEndpoint
        from server.backend.remote import RemoteBackend

        endpoint = RemoteEndpoint(
            config["SPARQL_ENDPOINT"],
            graphs=dataset_graphs(config["BASE"]),
            credential=config["SPARQL_CREDENTIAL"],
        )
        return RemoteBackend(
            endpoint,
            allowlist=tuple(config["SERVICE_ALLOWLIST"]),
            max_nesting=config["MAX_NESTING"],
            timeout=config["QUERY_TIMEOUT"],
        )
    from server.backend.embedded import EmbeddedBackend

    settings = {
        "store_dir": str(config["STORE_DIR"]),
        "allowlist": list(config["SERVICE_ALLOWLIST"]),
        "max_nesting": config["MAX_NESTING"],
        "memory_mb": config["WORKER_MEMORY_MB"],
    }
    return EmbeddedBackend(
        settings,
        query_workers=config["QUERY_WORKERS"],
        page_workers=PAGE_WORKERS,
        timeout=config["QUERY_TIMEOUT"],
    )
