"""Work done in a forked child, so that the process that forks never holds what that work needed.

`zzkg serve` stays running as the parent of its web processes for as long as the server runs, and
granian forks each web process from it: whatever it imported or allocated (rdflib and a whole
graph for a build; pyoxigraph, its library and its caches for the store's checkpoint) it would
hold for good, and hand to every web process. A child per call does that work and is gone.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def call(function, *args):
    """function(*args) in a forked child: its result, or its exception raised here. Both are
    pickled back, so they must be of types this process has (built-in ones, or its own)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        return child.submit(function, *args).result()
