"""Render time of the Linked Data pages, in process (not a test).

    python tests/bench/bench_views.py [--store DIR] [--rounds 50]

--store is a build's store (built into a temporary directory if not given). The app renders each
page through Flask's test client (no network), after one warm-up request per page; printed: p50
and p90 milliseconds per page, over --rounds renders each. (tests/bench/bench_pages.py measures
the served pages on a million triples.)
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build
from server import create_app

PAGES = (
    "/id/industry/new-energy-vehicles",
    "/id/place/zhengzhou",
    "/id/observation/nev-output-2024-jan-nov",
    "/id/indicator/growth-rate",
    "/id/place/zhengzhou.ttl",
    "/id/observation/telecom-fraud-reports-decrease-2024",
    "/id/quote/1109-1134",
    "/id/statement/route.zhengzhou-paris-air-cargo--destination--place.paris",
    "/article",
    "/figures",
    "/figures?entity=place/zhengzhou&sort=value",
    "/figures.csv",
    "/figures.json",
    "/api/search?q=%E4%B8%AD%E6%AC%A7",
    "/search?q=13.1%E4%B8%87",
    "/search?q=GDP",
    "/query",
    "/",
)


def measure(client, path: str, rounds: int) -> list[float]:
    client.get(path).close()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path, headers={"Accept-Language": "zh"})
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        response.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--rounds", type=int, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        store = options.store or build(Path(scratch)).store_dir
        app = create_app({"STORE_DIR": str(store), "QUERY_WORKERS": 1})
        client = app.test_client()
        print(f"{'page':72} {'p50 ms':>8} {'p90 ms':>8}")
        for path in PAGES:
            times = sorted(measure(client, path, options.rounds))
            p90 = times[int(len(times) * 0.9) - 1]
            print(f"{path:72} {statistics.median(times):8.1f} {p90:8.1f}")
        app.extensions["zzkg.pool"].close()


if __name__ == "__main__":
    main()
