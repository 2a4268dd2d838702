"""The app's settings (declared in kg/settings.py, with the command's) and what follows from them."""

from kg import settings
from kg.graphs import GRAPH_NAMES

# the app's config at its defaults, then as ZZKG_* variables set it: both from kg/settings.py
DEFAULTS = settings.app_defaults()
from_environment = settings.app_environment


def dataset_graphs(base: str) -> tuple[str, ...]:
    """The graphs a build holds: the default graph is their union on either backend."""
    return tuple(f"{base}graph/{name}" for name in GRAPH_NAMES)


def request_body_limit(max_query_bytes: int) -> int:
    """Largest request body accepted: a form-encoded query may triple in size, plus parameters."""
    return 3 * max_query_bytes + 16 * 1024
