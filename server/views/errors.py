"""The views' error pages, in one place: a readable 404 page for people, plain text otherwise."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException, NotFound

from server.errors import handle_http_exception


def wants_html() -> bool:
    accept = request.accept_mimetypes
    return accept.best_match(["text/html", "text/plain"]) == "text/html" and accept.quality(
        "text/html"
    ) >= accept.quality("text/turtle")


def not_found(error: NotFound) -> Response:
    if not wants_html():
        return handle_http_exception(error)
    page = render_template("404.html", path=request.path)
    return Response(page, 404, content_type="text/html; charset=utf-8")


def init_blueprint(bp: Blueprint) -> None:
    bp.register_error_handler(NotFound, not_found)


__all__ = ["HTTPException", "init_blueprint", "not_found"]
