"""The register's database: SQLite (standard library), WAL, foreign keys, versioned schema.

Every schema change is a numbered migration applied in one transaction and recorded in
`schema_migrations`; opening a register applies the missing ones. A database written by a
newer docgen (a version this one does not know) is refused rather than misread.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from docgen.errors import DocgenError, OutputError
from docgen.i18n import _

#: (version, name, SQL) in order; never edit a released one, add the next instead.
MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "decisions and awardees",
        """
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL CHECK (number <> ''),
            date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            year INTEGER NOT NULL,
            authority TEXT NOT NULL CHECK (authority <> ''),
            authority_symbol TEXT NOT NULL DEFAULT '',
            issuer_title TEXT NOT NULL DEFAULT '',
            place TEXT NOT NULL DEFAULT '',
            signer_authority TEXT NOT NULL DEFAULT '',
            signer_title TEXT NOT NULL DEFAULT '',
            signer_name TEXT NOT NULL DEFAULT '',
            round_id TEXT,
            round_label TEXT NOT NULL DEFAULT '',
            regime TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (authority, year, number),
            UNIQUE (authority, round_id)
        );
        CREATE TABLE awardees (
            id INTEGER PRIMARY KEY,
            decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE RESTRICT,
            kind TEXT NOT NULL CHECK (kind IN ('collective', 'person')),
            awardee_key TEXT NOT NULL CHECK (awardee_key <> ''),
            awardee_id TEXT,
            name TEXT NOT NULL CHECK (name <> ''),
            gender TEXT NOT NULL DEFAULT '',
            position TEXT NOT NULL DEFAULT '',
            unit_id TEXT NOT NULL DEFAULT '',
            unit_name TEXT NOT NULL DEFAULT '',
            parent_body TEXT NOT NULL DEFAULT '',
            award_id TEXT NOT NULL CHECK (award_id <> ''),
            award_name TEXT NOT NULL,
            award_kind TEXT NOT NULL DEFAULT 'campaign' CHECK (award_kind IN ('campaign', 'merit')),
            period TEXT NOT NULL CHECK (period <> ''),
            first_year INTEGER NOT NULL,
            last_year INTEGER NOT NULL CHECK (last_year >= first_year),
            achievement TEXT NOT NULL DEFAULT '',
            money INTEGER NOT NULL DEFAULT 0 CHECK (money >= 0),
            book_series TEXT NOT NULL,
            book_seq INTEGER NOT NULL CHECK (book_seq > 0),
            book_number TEXT NOT NULL CHECK (book_number <> ''),
            source TEXT NOT NULL,
            UNIQUE (decision_id, kind, awardee_key, award_id),
            UNIQUE (kind, awardee_key, award_id, period),
            UNIQUE (book_series, book_seq),
            UNIQUE (book_series, book_number)
        );
        CREATE INDEX awardees_by_key ON awardees (kind, awardee_key);
        CREATE INDEX awardees_by_year ON awardees (last_year);
        """,
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]

#: A test hook: seconds to sleep inside the `record` transaction, just before it commits
#: (so a test can kill the process mid-transaction). Never set in normal use.
SLEEP_ENV = "DOCGEN_REGISTER_TEST_SLEEP"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(path: Path, exc: sqlite3.Error) -> DocgenError:
    return DocgenError(
        _("sổ khen thưởng {path}: lỗi cơ sở dữ liệu ({error})").format(path=path, error=exc)
    )


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply the missing migrations, each in its own transaction; returns the version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    (current,) = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    if current > SCHEMA_VERSION:
        raise DocgenError(
            _(
                "sổ khen thưởng {path} có phiên bản lược đồ {found}, mới hơn phiên bản {known} "
                "mà bản docgen này biết; hãy cập nhật docgen"
            ).format(path=path, found=current, known=SCHEMA_VERSION)
        )
    for version, name, sql in MIGRATIONS:
        if version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, _now()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


@contextmanager
def connect(path: Path, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    """The register at `path`, migrated; with `create`, a missing one is made (and its folder
    must exist). Transactions are explicit (autocommit mode): see `transaction`."""
    if not create and not path.exists():
        raise DocgenError(
            _(
                "chưa có sổ khen thưởng {path} (tạo bằng 'docgen register record' hoặc "
                "'docgen register import')"
            ).format(path=path)
        )
    if create and not path.parent.is_dir():
        raise OutputError(
            _("không tạo được sổ khen thưởng {path}: thư mục {folder} không tồn tại").format(
                path=path, folder=path.parent
            )
        )
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise _error(path, exc) from exc
    try:
        _configure(conn)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            raise _error(path, exc) from exc
        yield conn
    finally:
        conn.close()


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection | None]:
    """Read-only access for lookups (check, dossier): None when there is no register yet;
    never creates or migrates the file."""
    if not path.exists():
        yield None
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _error(path, exc) from exc
    try:
        _configure(conn)
        try:
            row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        except sqlite3.DatabaseError as exc:
            raise _error(path, exc) from exc
        if row is None or row[0] != SCHEMA_VERSION:
            conn.close()
            with connect(path) as migrated:  # an older register: bring it up to date once
                del migrated
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            _configure(conn)
        yield conn
    finally:
        conn.close()


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE … COMMIT): all of it lands, or none of it."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise _error(path, exc) from exc
    try:
        yield conn
        delay = os.environ.get(SLEEP_ENV)
        if delay:
            time.sleep(float(delay))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def backup(path: Path, target: Path, force: bool = False) -> Path:
    """A consistent copy of the register (sqlite3's online backup API: readers and writers
    may go on meanwhile), written beside `target` and renamed over it only when complete."""
    from docgen.render.output import write_file

    with connect(path, create=False) as source:

        def copy(tmp: Path) -> None:
            dest = sqlite3.connect(tmp)  # write_file made it empty: an empty database
            try:
                source.backup(dest)
            finally:
                dest.close()

        return write_file(target, copy, force)
