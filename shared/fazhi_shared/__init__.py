"""Fazhi's common library: one implementation of each contract every service keeps.

See ``shared/README.md`` for the contracts themselves.
"""
