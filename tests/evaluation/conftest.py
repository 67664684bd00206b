"""The case-store fixtures (SQLite, and PostgreSQL when one can start) for the evaluation's tests."""

from tests.case.conftest import postgres_url, store  # noqa: F401
