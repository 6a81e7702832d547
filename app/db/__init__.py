"""Chalk's database: SQLAlchemy 2 models (models.py), engines and sessions (engine.py) and
Alembic migrations (migrations/). `chalk db upgrade` brings a database to the newest schema."""
