"""What every page shares: the language choice, labels, links from IRIs to pages, UI strings."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, current_app, request

from server.views import data
from server.views.catalogue import catalogue
from server.views.messages import MESSAGES
from server.views.terms import INVERSE_NAMES, TERM_NAMES

LANGUAGES = ("zh", "en")
LANG_COOKIE = "lang"
ONTOLOGY_NS = "https://zzkg.example.org/ontology#"


def choose_lang() -> str:
    """`?lang=` if it names zh or en, else the choice remembered in the `lang` cookie, else the
    best match of Accept-Language, else zh."""
    for asked in (request.args.get("lang", ""), request.cookies.get(LANG_COOKIE, "")):
        if asked in LANGUAGES:
            return asked
    return request.accept_languages.best_match(LANGUAGES, default="zh") or "zh"


def remember_lang(response: Response) -> Response:
    """A `?lang=` choice holds for the pages that follow (a cookie, one year)."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
    return response


def other_lang(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def pick(texts: dict[str, str] | None, lang: str) -> str | None:
    """The text in `lang`, else in the other language, else any."""
    if not texts:
        return None
    for key in (lang, other_lang(lang), ""):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()))


def local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            tail = iri.rsplit(separator, 1)[1]
            if tail:
                return tail
    return iri


def curie(iri: str) -> str:
    for prefix, namespace in data.PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


QUOTE_LABEL_CHARS = 24


def quote_label(exact: str) -> str:
    """A quote named by its words (the start of them, if long)."""
    if len(exact) <= QUOTE_LABEL_CHARS:
        return f"“{exact}”"
    return f"“{exact[:QUOTE_LABEL_CHARS]}…”"


def label(iri: str, lang: str) -> str:
    """A readable name for any IRI: its label, else the words of the vocabulary term, else (a
    quote) its text, else a CURIE, else its local name."""
    found = pick(catalogue().labels(iri), lang) or pick(TERM_NAMES.get(iri), lang)
    if found:
        return found
    quote = catalogue().quote(iri)
    if quote is not None:
        return quote_label(quote[2])
    statement = catalogue().statement(iri)
    if statement is not None:
        return " — ".join(label(part, lang) for part in statement)
    short = curie(iri)
    return short if short != iri else local_name(iri)


def inverse_label(iri: str, lang: str) -> str:
    """The name of a property read backwards, for the links that point to a page."""
    return pick(INVERSE_NAMES.get(iri), lang) or f"← {label(iri, lang)}"


def href(iri: str) -> str | None:
    """The page on this server for an IRI of the dataset or the ontology, else None."""
    base = current_app.config["BASE"]
    root = request.script_root
    if iri.startswith(ONTOLOGY_NS):
        return f"{root}/ontology#{iri[len(ONTOLOGY_NS) :]}"
    if iri == base.rstrip("/") + "/ontology":
        return f"{root}/ontology"
    if iri.startswith(base):
        return f"{root}/{iri[len(base) :]}"
    return None


def external(iri: str) -> str | None:
    """A link for an IRI outside the dataset, if it uses http(s)."""
    return iri if iri.startswith(("http://", "https://")) and href(iri) is None else None


def with_args(**changes) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    args = {key: value for key, value in request.args.items()}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    query = urlencode(args)
    return request.path + (f"?{query}" if query else "")


def template_globals() -> dict:
    lang = choose_lang()

    def t(key: str) -> str:
        return MESSAGES[key][lang]

    return {
        "lang": lang,
        "other_lang": other_lang(lang),
        "t": t,
        "label": lambda iri: label(iri, lang),
        "inverse_label": lambda iri: inverse_label(iri, lang),
        "href": href,
        "external": external,
        "curie": curie,
        "with_args": with_args,
    }


def init_app(app: Flask) -> None:
    app.context_processor(template_globals)
    app.after_request(remember_lang)
