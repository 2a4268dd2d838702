"""zzkg's web server: the SPARQL 1.1 endpoint (its Flask application factory in server/app.py).

The factory is imported on first use of `server.create_app`, not with the package: a query worker
(`python -m server.backend.worker`) then loads only what it runs, not the app, its views or rdflib.
"""


def __getattr__(name: str):
    if name == "create_app":
        from server.app import create_app

        return create_app
    raise AttributeError(f"module 'server' has no attribute {name!r}")
