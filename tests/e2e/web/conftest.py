"""The web tests share the API tests' fixtures: a migrated SQLite copy per test."""

from tests.e2e.api.conftest import client, database_file, migrated_template, plan

__all__ = ["client", "database_file", "migrated_template", "plan"]
