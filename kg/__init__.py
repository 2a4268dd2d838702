"""The build: the article's sources -> a checked graph -> dumps, VoID and an Oxigraph store.

kg imports nothing from the server or the command. The server may import only the modules named
in PUBLIC_MODULES, the build's public face (tests/test_layering.py holds both to it).
"""

PUBLIC_MODULES = (
    "kg.settings",  # every setting, the one table
    "kg.vocab",  # the vocabulary and prefixes
    "kg.iris",  # the IRIs the build mints
    "kg.graphs",  # the default base and graph names, without rdflib (the lean processes)
    "kg.resources",  # the ontology and queries as package data
    "kg.examples",  # the example queries' header fields
    "kg.tables",  # the observations table's columns and query
    "kg.sources",  # units.yaml: the English measure words the pages show
    "kg.formats",  # the format registry: negotiation, answers, pages' RDF twins, dumps
    "kg.pageindex",  # the page index beside the store: its file name, and writing it remotely
)
