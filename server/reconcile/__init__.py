"""The reconciliation service (W3C Entity Reconciliation Community Group's Reconciliation
Service API): version 0.2, as OpenRefine 3.x speaks it, at /reconcile; the 1.0 draft's JSON
routes at /reconcile/v1. Both read names through the search index and the graph through
server/views/data.py, so they answer on the embedded store and on a remote engine alike.

0.2 (https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/):
`GET /reconcile` the manifest (§4.1; JSONP with `callback=`), `queries=` and `extend=` by form
POST or GET (§5.3, §8.3), suggest at /reconcile/suggest/{entity,type,property} (§7), preview at
/reconcile/preview?id= (§6), property proposals at /reconcile/propose_properties (§8.2).
"""

from __future__ import annotations

import json
import re
from importlib.metadata import PackageNotFoundError, version

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from server import errors
from server.reconcile import extension, graph, matching
from server.reconcile.matching import refuse
from server.views import common, describe, figures, search
from server.views.catalogue import catalogue
from server.views.errors import init_blueprint

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")
init_blueprint(bp)
MAX_BATCH = 500
PREVIEW_SIZE = {"width": 420, "height": 320}
PREVIEW_OBSERVATIONS = 5
SUGGEST_LIMIT = 10
CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
SERVICE_NAME = "zzkg: Zhengzhou economy knowledge graph (2024)"


# --- answers -------------------------------------------------------------------------------


def answer(payload) -> Response:
    """JSON, or JSONP when a GET names a `callback` (§4.3 allows JSONP)."""
    body = json.dumps(payload, ensure_ascii=False)
    callback = request.args.get("callback")
    if callback is None:
        return Response(body, mimetype="application/json")
    if not CALLBACK.match(callback) or len(callback) > 100:
        refuse("callback must be a JavaScript identifier")
    return Response(f"/**/{callback}({body});", mimetype="application/javascript")


def parsed(text: str, what: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"{what} is not valid JSON") from None


def root() -> str:
    return request.host_url.rstrip("/") + request.script_root


def service_version() -> str:
    try:
        return version("zzkg")
    except PackageNotFoundError:
        return "0.0.0"


def type_object(iri: str, lang: str) -> dict:
    return {"id": iri, "name": common.label(iri, lang)}


def default_types(lang: str = "en") -> list[dict]:
    return [type_object(iri, lang) for iri in graph.entity_types()]


# --- the 0.2 endpoint ------------------------------------------------------------------------


@bp.route("", methods=["GET", "POST"], strict_slashes=False)
def endpoint() -> Response:
    """The manifest, or the answer to `queries=` / `extend=` (form POST or GET)."""
    if "queries" in request.values:
        return answer(batch_v02(parsed(request.values["queries"], "queries")))
    if "extend" in request.values:
        return answer(extend_v02(parsed(request.values["extend"], "extend")))
    return answer(manifest_v02())


def manifest_v02() -> dict:
    here = root()
    suggest = {
        kind: {"service_url": here, "service_path": f"/reconcile/suggest/{kind}"}
        for kind in ("entity", "type", "property")
    }
    return {
        "versions": ["0.2"],
        "name": SERVICE_NAME,
        "identifierSpace": current_app.config["BASE"] + "id/",
        "schemaSpace": graph.ZZ,
        "serviceVersion": service_version(),
        "documentation": here + "/",
        "defaultTypes": default_types(),
        "view": {"url": here + "/reconcile/view?id={{id}}"},
        "preview": {"url": here + "/reconcile/preview?id={{id}}", **PREVIEW_SIZE},
        "suggest": suggest,
        "extend": {
            "propose_properties": {
                "service_url": here,
                "service_path": "/reconcile/propose_properties",
            },
            "property_settings": [],
        },
        "batchSize": MAX_BATCH,
    }


def batch_of(queries, *, keyed: bool) -> list | dict:
    if keyed and not isinstance(queries, dict):
        refuse("queries is an object of queries by key")
    if not keyed and not isinstance(queries, list):
        refuse("queries is an array of queries")
    if len(queries) > MAX_BATCH:
        raise errors.TooLarge(f"at most {MAX_BATCH} queries in one batch")
    return queries


def batch_v02(queries) -> dict:
    """§5.1-5.2: {key: query} -> {key: {"result": [candidate]}}."""
    batch_of(queries, keyed=True)
    return {
        key: {"result": [candidate_v02(c) for c in matching.candidates(query_v02(query))]}
        for key, query in queries.items()
    }


def query_v02(query) -> matching.Query:
    if not isinstance(query, dict):
        refuse("a query is an object")
    text = query.get("query", "")
    properties = query.get("properties") or []
    if not isinstance(text, str) or not isinstance(properties, list):
        refuse("query is a string and properties an array")
    if not text.strip() and not properties:
        refuse("a query needs a query string or properties")
    conditions = []
    for item in properties:
        if not isinstance(item, dict):
            refuse("each property is an object with pid and v")
        conditions.append(matching.condition_of(item.get("pid"), item.get("v")))
    return matching.Query(
        text=text.strip(),
        types=matching.types_of(query.get("type")),
        limit=matching.limit_of(query.get("limit")),
        conditions=tuple(conditions),
    )


def candidate_v02(candidate: matching.Candidate) -> dict:
    lang = matching.lang_of(candidate.name)
    found = {
        "id": candidate.iri,
        "name": candidate.name,
        "score": candidate.score,
        "match": candidate.match,
        "type": [type_object(iri, lang) for iri in candidate.types],
        "features": [{"id": f["id"], "value": f["value"]} for f in candidate.features],
    }
    if candidate.description:
        found["description"] = candidate.description
    return found


def extension_request(query) -> tuple[list[str], list[str]]:
    if not isinstance(query, dict):
        refuse("extend is an object with ids and properties")
    ids, properties = query.get("ids"), query.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        refuse("ids is an array of entity identifiers")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in properties
    ):
        refuse("properties is an array of objects with an id")
    if len(ids) > MAX_BATCH:
        raise errors.TooLarge(f"at most {MAX_BATCH} entities in one extension")
    return ids, [p["id"] for p in properties]


def meta(pids: list[str], lang: str) -> list[dict]:
    return [{"id": pid, "name": extension.property_name(pid, lang)} for pid in pids]


def extend_v02(query) -> dict:
    """§8.3-8.4: {"ids", "properties"} -> {"meta", "rows": {id: {pid: [value]}}}."""
    ids, pids = extension_request(query)
    lang = common.choose_lang()
    return {"meta": meta(pids, lang), "rows": extension.extend(ids, pids, lang)}


@bp.route("/propose_properties")
@bp.route("/v1/extend/propose")
def propose_properties() -> Response:
    """§8.2: the properties to fetch for a type."""
    type_iri = request.args.get("type") or None
    limit = request.args.get("limit", type=int)
    expanded = graph.expand_curie(type_iri) if type_iri else None
    found: dict = {
        "type": type_iri or "",
        "properties": extension.proposals(expanded, limit, common.choose_lang()),
    }
    if limit:
        found["limit"] = limit
    return answer(found)


# --- suggest, preview, view (shared by 0.2 and the 1.0 draft) ----------------------------------


def suggest_window() -> tuple[str, int, int]:
    prefix = request.args.get("prefix", "").strip()
    offset = request.args.get("offset", request.args.get("cursor", 0, type=int), type=int)
    limit = request.args.get("limit", SUGGEST_LIMIT, type=int)
    return prefix, max(0, offset or 0), min(search.MAX_RESULTS, max(1, limit or SUGGEST_LIMIT))


def suggest_lang(prefix: str) -> str:
    return matching.lang_of(prefix, request.args.get("lang"))


@bp.route("/suggest/entity")
@bp.route("/v1/suggest/entity")
def suggest_entity() -> Response:
    """§7.3: entities whose names start with or contain the prefix (the search index)."""
    prefix, offset, limit = suggest_window()
    lang = suggest_lang(prefix)
    found_in = catalogue()
    hits = matching.known_iri(prefix) or search.index().search(prefix, limit=offset + limit)
    result = []
    for hit in hits[offset : offset + limit]:
        item = {
            "id": hit.iri,
            "name": common.pick(found_in.labels(hit.iri), lang) or hit.matched,
            "notable": [type_object(t, lang) for t in found_in.types(hit.iri)],
        }
        described = graph.description(hit.iri, lang)
        if described:
            item["description"] = described
        result.append(item)
    return answer({"result": result})


def named_matches(items: list[dict], prefix: str) -> list[dict]:
    """Items whose name, id or CURIE contains the folded prefix; prefix matches first."""
    wanted = search.fold(prefix)
    ranked = []
    for item in items:
        names = [
            search.fold(item["name"]),
            search.fold(item["id"]),
            search.fold(common.curie(item["id"])),
        ]
        names += [search.fold(name) for name in item.pop("other_names", [])]
        if not wanted or any(wanted in name for name in names):
            starts = any(name.startswith(wanted) for name in names)
            ranked.append((not starts, item["name"], item))
    return [item for _, _, item in sorted(ranked, key=lambda entry: entry[:2])]


def with_other_names(item: dict) -> dict:
    item["other_names"] = list(catalogue().labels(item["id"]).values())
    return item


@bp.route("/suggest/type")
@bp.route("/v1/suggest/type")
def suggest_type() -> Response:
    prefix, offset, limit = suggest_window()
    lang = suggest_lang(prefix)
    items = [with_other_names(type_object(iri, lang)) for iri in graph.entity_types()]
    for item in items:
        described = graph.description(item["id"], lang)
        if described:
            item["description"] = described
    return answer({"result": named_matches(items, prefix)[offset : offset + limit]})


@bp.route("/suggest/property")
@bp.route("/v1/suggest/property")
def suggest_property() -> Response:
    prefix, offset, limit = suggest_window()
    lang = suggest_lang(prefix)
    items = extension.observation_properties() + [
        with_other_names({"id": iri, "name": common.label(iri, lang)})
        for iri in graph.schema().properties_of(None)
    ]
    return answer({"result": named_matches(items, prefix)[offset : offset + limit]})


def known_entity(iri: str) -> str:
    if not iri or not describe.SAFE_IRI.match(iri) or not catalogue().has_label(iri):
        abort(404)
    return iri


@bp.route("/preview")
@bp.route("/v1/preview")
def preview() -> Response:
    """§6: a small HTML card of the entity: names, types, description, a few figures."""
    iri = known_entity(request.args.get("id", ""))
    lang = common.choose_lang()
    found_in = catalogue()
    observations = figures.about(iri)
    html = render_template(
        "reconcile_preview.html",
        iri=iri,
        name=common.pick(found_in.labels(iri), lang),
        other_name=found_in.labels(iri).get(common.other_lang(lang)),
        types=found_in.types(iri),
        description=graph.description(iri, lang),
        observations=observations[:PREVIEW_OBSERVATIONS],
        more=max(0, len(observations) - PREVIEW_OBSERVATIONS),
        size=PREVIEW_SIZE,
    )
    return Response(html, content_type="text/html; charset=utf-8")


@bp.route("/view")
def view():
    """The view template's target: the entity's page."""
    iri = known_entity(request.args.get("id", ""))
    return redirect(common.href(iri) or url_for("home.index"), 303)


# --- the 1.0 draft's JSON routes ---------------------------------------------------------------


@bp.route("/v1", strict_slashes=False)
def manifest_v1() -> Response:
    return answer(
        {
            "versions": ["1.0-draft"],
            "name": SERVICE_NAME,
            "identifierSpace": current_app.config["BASE"] + "id/",
            "schemaSpace": graph.ZZ,
            "serviceVersion": service_version(),
            "documentation": root() + "/",
            "defaultTypes": default_types(),
            "view": {"url": root() + "/reconcile/view?id={id}"},
            "preview": dict(PREVIEW_SIZE),
            "suggest": {"entity": True, "type": True, "property": True},
            "extend": {"proposeProperties": True, "propertySettings": []},
            "batchSize": MAX_BATCH,
            "standardizedScore": True,
        }
    )


def json_body(what: str):
    if not request.is_json:
        refuse(f"send the {what} as application/json")
    return parsed(request.get_data(as_text=True), what)


@bp.route("/v1/match", methods=["POST"])
def match_v1() -> Response:
    """1.0 draft: {"queries": [query]} -> {"results": [{"candidates": [candidate]}]}."""
    body = json_body("query batch")
    queries = batch_of(body.get("queries") if isinstance(body, dict) else None, keyed=False)
    return answer(
        {
            "results": [
                {"candidates": [candidate_v1(c) for c in matching.candidates(query_v1(q))]}
                for q in queries
            ]
        }
    )


def query_v1(query) -> matching.Query:
    if not isinstance(query, dict) or not isinstance(query.get("conditions"), list):
        refuse("a query is an object with an array of conditions")
    names, conditions = [], []
    for condition in query["conditions"]:
        if not isinstance(condition, dict) or "v" not in condition:
            refuse("a condition is an object with matchType and v")
        if condition.get("matchType") == "name":
            if not isinstance(condition["v"], str):
                refuse("a name condition's v is a string")
            names.append(condition["v"])
        elif condition.get("matchType") == "property":
            conditions.append(matching.condition_of(condition.get("pid"), condition["v"]))
        else:
            refuse("matchType is name or property")
    if not names and not conditions:
        refuse("a query needs at least one condition")
    lang = query.get("lang")
    return matching.Query(
        text=" ".join(names).strip(),
        types=matching.types_of(query.get("type")),
        limit=matching.limit_of(query.get("limit")),
        conditions=tuple(conditions),
        lang=lang[:2] if isinstance(lang, str) else None,
    )


def candidate_v1(candidate: matching.Candidate) -> dict:
    found = candidate_v02(candidate)
    found["features"] = candidate.features
    return found


@bp.route("/v1/extend", methods=["POST"])
def extend_v1() -> Response:
    """1.0 draft: rows as an array of {"id", "properties": [{"id", "values"}]}."""
    ids, pids = extension_request(json_body("extension query"))
    lang = common.choose_lang()
    rows = extension.extend(ids, pids, lang)
    return answer(
        {
            "meta": meta(pids, lang),
            "rows": [
                {"id": iri, "properties": [{"id": pid, "values": rows[iri][pid]} for pid in pids]}
                for iri in ids
            ],
        }
    )


def init_app(app: Flask) -> None:
    graph.init_app(app)
    app.register_blueprint(bp)
