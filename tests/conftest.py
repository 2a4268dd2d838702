"""Session fixtures: the real graph, built once from kg/sources into a temporary directory."""

import pytest

from kg.build import build


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The BuildReport of one real build (store under .store_dir, dumps under .dumps_dir)."""
    return build(tmp_path_factory.mktemp("build"))
