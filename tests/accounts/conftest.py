"""Accounts tests run on SQLite and PostgreSQL (`db_settings`) unless a test says otherwise."""

from __future__ import annotations

from tests.db_fixtures import db_settings, pg_settings, sqlite_settings

__all__ = ["db_settings", "pg_settings", "sqlite_settings"]
