"""The case: subjects under keyed pseudonyms, consent as events, assessments and decisions, and
an audit log whose entries are chained by hash; stored with SQLAlchemy (SQLite or PostgreSQL).

Importing this package loads nothing heavy; :mod:`riskmanual.case.store` imports SQLAlchemy.
"""
