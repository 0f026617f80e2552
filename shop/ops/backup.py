"""`python manage.py backup` and `python manage.py restore FILE`.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`
(the restore either fully replaces the data or changes nothing). SQLite: the online backup API,
both ways, so the shop may keep running while a copy is taken. Media files (product images)
are plain files: copy MEDIA_ROOT with rsync beside the database dump (docs/deploy.md).

A URL whose `options` set a `search_path` (one schema per tenant, or per test run) dumps and
restores only that schema, never its neighbours.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from shop.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(click.ClickException):
    """A backup or restore that cannot go ahead; the message says why, nothing was changed."""


def register_commands(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def libpq_url(sqlalchemy_url: str) -> tuple[str, str | None]:
    """The URL pg_dump understands (no +psycopg), and the schema named in its search_path."""
    parts = urlsplit(sqlalchemy_url)
    scheme = parts.scheme.split("+", 1)[0]
    schema = None
    options = " ".join(parse_qs(parts.query).get("options", []))
    match = re.search(r"search_path\s*=\s*([A-Za-z0-9_]+)", unquote(options))
    if match:
        schema = match.group(1)
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, "")), schema


def _sqlite_path(url: str) -> str:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("This SQLite database lives in memory; there is nothing to back up.")
    return path


def default_backup_path(dialect: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = current_app.config.get("BACKUP_DIR") or os.path.join(current_app.instance_path,
                                                                   "backups")
    extension = "dump" if dialect == "postgresql" else "sqlite3"
    return os.path.join(folder, f"shop-{stamp}.{extension}")


def backup(output: str | None = None) -> str:
    """Write a consistent copy of the database to `output`; return its path. Raises BackupError."""
    url = _database_url()
    dialect = make_url(url).get_backend_name()
    output = output or default_backup_path(dialect)
    folder = os.path.dirname(os.path.abspath(output))
    os.makedirs(folder, exist_ok=True)
    partial = output + ".partial"
    try:
        if dialect == "sqlite":
            source = sqlite3.connect(_sqlite_path(url))
            target = sqlite3.connect(partial)
            try:
                with target:
                    source.backup(target)
            finally:
                target.close()
                source.close()
        elif dialect == "postgresql":
            _require("pg_dump")
            conninfo, schema = libpq_url(url)
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                       f"--file={partial}", f"--dbname={conninfo}"]
            if schema:
                command.append(f"--schema={schema}")
            _run(command, "pg_dump")
        else:
            raise BackupError(f"Backups of {dialect} databases are not supported.")
        os.replace(partial, output)  # a half-written file never carries the final name
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    os.chmod(output, 0o600)
    return output


def restore(path: str) -> None:
    """Replace the database's contents with the backup at `path`. Raises BackupError."""
    if not os.path.isfile(path):
        raise BackupError(f"No backup file at {path}.")
    with open(path, "rb") as handle:
        head = handle.read(16)
    url = _database_url()
    dialect = make_url(url).get_backend_name()
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old data (or a lock) open
    if dialect == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite backup.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            source.execute("PRAGMA quick_check").fetchone()
            with target:
                source.backup(target)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} cannot be read as an SQLite database: {exc}") from exc
        finally:
            target.close()
            source.close()
    elif dialect == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format backup.")
        _require("pg_restore")
        conninfo, _schema = libpq_url(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={conninfo}", path],
             "pg_restore")
    else:
        raise BackupError(f"Restores into {dialect} databases are not supported.")


def _require(program: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} was not found; install the PostgreSQL client (apt-get install "
            "postgresql-client) in a version not older than the server."
        )


def _run(command: list[str], name: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Where to write the backup (default: instance/backups/shop-<UTC time>.*).")
@with_appcontext
def backup_command(output):
    """Back up the database (pg_dump, or SQLite's online backup)."""
    path = backup(output)
    click.echo(f"Backup written to {path} ({os.path.getsize(path)} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path, yes):
    """Replace the database's contents with a backup made by `backup`."""
    if not os.path.isfile(path):
        raise BackupError(f"No backup file at {path}.")
    if not yes:
        click.confirm(
            "This replaces every row in the database with the backup. Continue?", abort=True
        )
    restore(path)
    click.echo(f"Restored the database from {path}. Run `python manage.py db upgrade heads` "
               "if the backup predates the current code.")
