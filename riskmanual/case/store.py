"""Opening the case store: SQLite in the user's data folder by default, PostgreSQL by URL.

The schema is kept by Alembic migrations, applied when the store is opened. A store that is
missing its folder, locked, corrupt or made by a newer riskmanual is a :class:`StoreError` with
a clear message, never a traceback. The SQLite file is created readable by its owner only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import Issue, StoreError
from ..messages import tr
from .keys import load_or_create_key

__all__ = ["DB_ENV", "KEY_ENV", "Store", "default_db_url", "default_key_path", "open_store"]

DB_ENV = "RISKMANUAL_DB"
KEY_ENV = "RISKMANUAL_KEY_FILE"
BUSY_TIMEOUT_MS = 10_000


def _data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("riskmanual", appauthor=False))


def default_db_url() -> str:
    """``$RISKMANUAL_DB`` (a path or a URL), else ``cases.sqlite`` in the user's data folder."""
    configured = os.environ.get(DB_ENV)
    if configured:
        return configured
    return str(_data_dir() / "cases.sqlite")


def default_key_path() -> Path:
    configured = os.environ.get(KEY_ENV)
    return Path(configured) if configured else _data_dir() / "pseudonym.key"


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a container): say so rather than guess
        return "unknown"


def _url(target: str) -> sa.URL:
    if "://" in target:
        try:
            return sa.make_url(target)
        except SQLAlchemyError as exc:
            raise StoreError(tr("not a database URL or file"), [Issue(tr("{reason}", reason=str(exc)),
                                                                      file=_shown(target))]) from None
    return sa.URL.create("sqlite+pysqlite", database=str(Path(target).expanduser()))


def _shown(target: str) -> str:
    """A database URL without its password, for messages."""
    try:
        return sa.make_url(target).render_as_string(hide_password=True) if "://" in target else target
    except SQLAlchemyError:
        return "<database URL>"


@dataclass
class Store:
    """An open case store: its engine, a session factory, the pseudonym key and who is acting."""

    engine: sa.Engine
    key: bytes
    actor: str
    where: str

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: everything in it, the audit entry included, is written or nothing is."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            raise _operational(exc, self.where) from None
        finally:
            session.close()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def close(self) -> None:
        self.engine.dispose()


def open_store(target: str | None = None, *, key_path: Path | None = None, actor: str | None = None,
               create: bool = True) -> Store:
    """Open (and, with ``create``, create or upgrade) the store at ``target`` (a path or a URL)."""
    target = target or default_db_url()
    url = _url(target)
    where = _shown(target)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database)
        if not path.exists():
            if not create:
                raise StoreError(tr("no case store at {file}", file=str(path)))
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(tr("cannot create the case store"), [Issue(tr("{reason}", reason=exc.strerror or str(exc)),
                                                                            file=str(path))]) from None
        elif not path.is_file():
            raise StoreError(tr("the case store {file} is not a file", file=str(path)))
    engine = _engine(url)
    try:
        _migrate(engine, where)
    except StoreError:
        engine.dispose()
        raise
    key = load_or_create_key(key_path or default_key_path(), create=create)
    return Store(engine=engine, key=key, actor=actor or default_actor(), where=where)


def _engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below starts transactions
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock now: no deadlock on upgrade

    return engine


def _migrate(engine: sa.Engine, where: str) -> None:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current is not None and current not in known:
                raise StoreError(tr("the case store {file} was made by a newer riskmanual (schema {found}); "
                                    "upgrade riskmanual to open it", file=where, found=current))
            if current != script.get_current_head():
                from alembic import command

                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except OperationalError as exc:
        raise _operational(exc, where) from None
    except DatabaseError as exc:
        raise StoreError(tr("the case store {file} cannot be read: it is damaged or not a database", file=where),
                         [Issue(tr("the case store cannot be read: it is damaged or not a database ({reason})",
                                   reason=str(exc.orig)), file=where)]) from None


def _operational(exc: OperationalError, where: str) -> StoreError:
    text = str(exc.orig)
    if "locked" in text or "busy" in text:
        return StoreError(tr("the case store {file} is locked by another program; try again", file=where))
    if "not a database" in text or "malformed" in text:
        return StoreError(tr("the case store {file} cannot be read: it is damaged or not a database", file=where))
    return StoreError(tr("the case store {file} cannot be used", file=where), [Issue(tr("{reason}", reason=text),
                                                                                      file=where)])
