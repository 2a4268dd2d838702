"""The `zzkg` command: the one module that depends on both the build (kg) and the server.

kg imports nothing from server; server imports only kg's public modules (kg.PUBLIC_MODULES);
tests/test_layering.py reads the import graph and holds both to it.
"""
