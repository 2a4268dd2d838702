"""The dataset's default base IRI and the names of its graphs, as plain constants: the server's
settings read them without loading the build's libraries (rdflib)."""

DEFAULT_BASE = "https://zzkg.example.org/"
GRAPH_NAMES = ("kg", "ontology", "void", "examples")
