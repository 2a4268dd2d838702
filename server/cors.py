"""CORS for any origin, without credentials, on every response (errors and preflight included)."""

from flask import Flask, Response, request

EXPOSED = "Content-Type, Content-Length, X-SPARQL-Rows, X-SPARQL-Truncated, X-SPARQL-Max-Rows, X-SPARQL-Max-Bytes, Link, Retry-After"


def add_headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
        asked = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Headers"] = asked or "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
