"""Shared fixtures; the database, server and browser ones live in ``fixtures_servers``."""

pytest_plugins = ["fixtures_servers"]
