"""Accounts tests run on SQLite and PostgreSQL (`db_settings`) unless a test says otherwise."""
