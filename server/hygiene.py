"""Web hygiene: absolute URLs come from the configured public URL, never from the Host header;
every response carries the security headers a public endpoint sends.

`PUBLIC_URL` (`--public-url`; by default the address `zzkg serve` listens on, and for the bare
app the address the WSGI server reports) replaces the request's Host and scheme before Flask
reads them, so redirects, the sitemap, the downloads page and the service description can name
no host a client chose. The Content-Security-Policy allows only this site's own scripts, styles
and queries (YASGUI is served from /static, and sets inline styles), and no framing.
"""

from urllib.parse import urlsplit

from flask import Flask, Response

CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


class PublicHost:
    """WSGI middleware: the request's host and scheme are the public URL's."""

    def __init__(self, app, public_url: str | None):
        self.app = app
        parts = urlsplit(public_url) if public_url else None
        if parts is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(f"the public URL must be http(s)://host[:port], not {public_url!r}")
        self.public = parts

    def __call__(self, environ, start_response):
        if self.public is not None:
            environ["HTTP_HOST"] = self.public.netloc
            environ["wsgi.url_scheme"] = self.public.scheme
        else:
            environ["HTTP_HOST"] = f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        for forwarded in ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_FORWARDED"):
            environ.pop(forwarded, None)
        return self.app(environ, start_response)


def add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
    app.wsgi_app = PublicHost(app.wsgi_app, app.config["PUBLIC_URL"])  # type: ignore[method-assign]
