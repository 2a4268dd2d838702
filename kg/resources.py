"""The project's data folders, read as package data: the same files from a checkout (kg/ontology
and kg/queries are links to the top-level ontology/ and queries/) and from an installed wheel,
where they are copied into the package."""

from importlib.resources import files
from pathlib import Path

PACKAGE = files("kg")
ONTOLOGY_DIR = Path(str(PACKAGE.joinpath("ontology")))
QUERIES_DIR = Path(str(PACKAGE.joinpath("queries")))
SOURCES_DIR = Path(str(PACKAGE.joinpath("sources")))
