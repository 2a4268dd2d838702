"""The SPARQL 1.1 endpoint: protocol, safety check, serialisation, service description, answer
cache and admission. Imported in part by the query worker (safety, serialisation): it loads
nothing here itself."""
