"""Backup and restore of one instance: the whole database and the uploaded files, in one archive.

An archive is a tar file holding `manifest.json` (first), the database (`database.sqlite3.gz`,
made with SQLite's online backup API and gzipped, or `database.pgdump`, pg_dump's compressed
custom format of the app's schema) and the instance's files under `files/` (every subfolder of
the instance folder, such as evidence/, except the transient imports/ and backups/). The
manifest names the format, the backend, the Alembic revision, the time, each table's row count
and the sha256 of every part, so a restore can refuse a damaged archive, or one from another
backend or from a newer version of the code, before it touches anything.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404 # runs pg_dump/pg_restore/psql by path, no shell
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade

from kinerja.extensions import db

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_PART = "database.sqlite3.gz"
POSTGRES_PART = "database.pgdump"
FILES_PREFIX = "files/"
# Not data: previews of an import in progress, background jobs' files (made again on request,
# deleted after a week), and where the backups themselves go by default.
SKIPPED_DIRS = {"imports", "backups", "jobs"}
# pg_dump waits at most this long for a lock (another session's ALTER or DROP) before it gives up.
LOCK_WAIT = "60s"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Manifest:
    backend: str
    revision: str
    created_at: str
    tables: dict[str, int]
    parts: dict[str, dict]
    schema: str | None = None
    server_version: str | None = None
    pg_dump_version: str | None = None
    key_check: str | None = None
    format: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def files(self) -> int:
        return sum(1 for name in self.parts if name.startswith(FILES_PREFIX))

    def to_json(self) -> str:
        return json.dumps({"format": self.format, "app": "kinerja", "backend": self.backend,
                           "revision": self.revision, "created_at": self.created_at,
                           "schema": self.schema, "server_version": self.server_version,
                           "pg_dump_version": self.pg_dump_version, "key_check": self.key_check,
                           "tables": self.tables,
                           "parts": self.parts}, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: bytes) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("app") != "kinerja":
                raise ValueError
            fmt = int(data["format"])
            if fmt > FORMAT_VERSION:
                raise BackupError(f"The archive has format {fmt}; this code reads format "
                                  f"{FORMAT_VERSION} at most. Restore it with a newer Kinerja.")
            return cls(backend=str(data["backend"]), revision=str(data["revision"]),
                       created_at=str(data["created_at"]),
                       tables={str(k): int(v) for k, v in data["tables"].items()},
                       parts={str(k): {"sha256": str(v["sha256"]), "size": int(v["size"])}
                              for k, v in data["parts"].items()},
                       schema=data.get("schema"), server_version=data.get("server_version"),
                       pg_dump_version=data.get("pg_dump_version"),
                       key_check=data.get("key_check"), format=fmt)
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError("The archive's manifest is unreadable: this is not a Kinerja "
                              "backup, or it is damaged.") from None


# ---------------------------------------------------------------- the database and its revision


def backend() -> str:
    name = db.engine.url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("The SQLite database is not a plain file: nothing to back up.")
    return Path(database)


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def _known_revision(revision: str) -> bool:
    # Exactly one of the code's revisions (get_revision would also take a prefix or "heads").
    return revision in {script.revision for script in _script().walk_revisions()}


def _revision_of(rows: list) -> str:
    if len(rows) != 1:
        raise BackupError("The database has no migration revision: run `flask --app wsgi init` "
                          "first (there is nothing to back up).")
    return str(rows[0][0])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dispose() -> None:
    # No pooled connection may keep a lock, or see the old data, while the database is replaced.
    db.session.remove()
    db.engine.dispose()


# ---------------------------------------------------------------- PostgreSQL tools


def _tool(name: str) -> Path:
    bindir = current_app.config.get("PG_BINDIR") or os.environ.get("PG_BINDIR")
    found = (Path(bindir) / name) if bindir else None
    if found is None:
        which = shutil.which(name)
        found = Path(which) if which else None
    if found is None or not found.is_file():
        where = f" in {bindir}" if bindir else " on the PATH"
        raise BackupError(f"{name} was not found{where}. Install the PostgreSQL client tools "
                          "of the server's major version (Debian: apt install postgresql-client), "
                          "or set PG_BINDIR to the folder that holds them.")
    return found


def _major(version: str) -> int:
    match = re.search(r"(\d+)(?:\.(\d+))?", version)
    if not match:
        raise BackupError(f"Cannot read a PostgreSQL version from {version!r}.")
    return int(match.group(1))


def _tool_version(tool: Path) -> str:
    result = subprocess.run([str(tool), "--version"], capture_output=True, text=True,  # noqa: S603  # nosec B603 # fixed argv, no shell
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} --version failed: {result.stderr.strip()}")
    return result.stdout.strip()


def _libpq(url: sa.engine.URL) -> tuple[str, dict[str, str]]:
    """A libpq URI for the tools (no password in it: that goes in PGPASSWORD) and their env."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # noqa: S603  # nosec B603 # argv built here, no shell
    if result.returncode != 0:
        message = result.stderr.strip() or result.stdout.strip()
        raise BackupError(f"{what} failed: {message}")
    return result.stdout


def _server_version(connection) -> str:
    return str(connection.execute(sa.text("SHOW server_version")).scalar())


def _check_pg_dump(server_version: str) -> tuple[Path, str]:
    tool = _tool("pg_dump")
    version = _tool_version(tool)
    if _major(version) < _major(server_version):
        raise BackupError(f"{version} cannot dump a PostgreSQL {server_version} server: install "
                          f"the client tools of version {_major(server_version)} (or newer), or "
                          "set PG_BINDIR to them.")
    return tool, version


# ---------------------------------------------------------------- making a backup


def default_name(folder: Path) -> Path:
    """kinerja-<backend>-<UTC time>.tar in `folder`, never the name of an existing file."""
    stem = f"kinerja-{backend()}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    path, n = folder / f"{stem}.tar", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.tar"
    return path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives this command wrote in `folder` (by their names'
    time); returns what went. Counting archives, not days: backups that failed for a week do not
    take the last good ones with them."""
    archives = sorted(folder.glob("kinerja-*.tar"), key=lambda path: path.stat().st_mtime)
    gone = archives[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


def _key_check() -> str:
    # Tells whether SECRET_KEY is the same at restore time, without storing the key (a backup
    # alone must not let anyone test kiosk or API tokens against their HMACs).
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"kinerja backup key check", hashlib.sha256).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _dump_sqlite(target: Path) -> tuple[str, dict[str, int]]:
    """Copy the live database page by page (consistent while the app writes), then read the
    revision and the row counts from the copy, so they describe exactly what was copied."""
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        revision = _revision_of(_sqlite_rows(copy, "SELECT version_num FROM alembic_version"))
        names = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        tables = {name: copy.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]  # noqa: S608  # nosec B608 # identifiers quoted by _quote
                  for name in names}
    finally:
        copy.close()
        source.close()
    return revision, tables


def _gzip(source: Path, target: Path) -> None:
    # Only the database is compressed: uploads (PDF, JPEG, Office files) are already, and
    # deflating them again would make a backup several times slower for nothing.
    with source.open("rb") as plain, gzip.open(target, "wb", compresslevel=6) as packed:
        shutil.copyfileobj(plain, packed, CHUNK)
    source.unlink()


def _sqlite_rows(connection: sqlite3.Connection, sql: str) -> list:
    try:
        return connection.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []


def _current_schema(connection) -> str:
    schema = connection.execute(sa.text("SELECT current_schema()")).scalar()
    if not schema:
        raise BackupError("The database's search_path names no existing schema.")
    return str(schema)


def _pg_tables(connection, schema: str) -> list[str]:
    return list(connection.execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY tablename"),
        {"schema": schema}).scalars())


def _dump_postgres(target: Path) -> tuple[str, dict[str, int], dict]:
    """pg_dump of the app's schema in the snapshot in which the revision and the row counts are
    read (an exported snapshot), so the manifest describes exactly the dump."""
    engine = db.engine
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
        server_version = _server_version(connection)
        tool, version = _check_pg_dump(server_version)
        schema = _current_schema(connection)
        names = _pg_tables(connection, schema)
        if "alembic_version" not in names:
            _revision_of([])
        revision = _revision_of(connection.execute(sa.text(
            f"SELECT version_num FROM {_quote(schema)}.alembic_version")).all())  # noqa: S608  # nosec B608 # identifiers quoted by _quote
        tables = {name: connection.execute(sa.text(
            f"SELECT count(*) FROM {_quote(schema)}.{_quote(name)}")).scalar()  # noqa: S608  # nosec B608 # identifiers quoted by _quote
            for name in names}
        uri, env = _libpq(engine.url)
        _run([str(tool), "--format=custom", f"--schema={_quote(schema)}", f"--snapshot={snapshot}",
              f"--lock-wait-timeout={LOCK_WAIT}", f"--file={target}", f"--dbname={uri}"], env, "pg_dump")
        connection.rollback()
    return revision, tables, {"schema": schema, "server_version": server_version,
                              "pg_dump_version": version}


def _file_dirs(instance: Path, exclude: set[Path]) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every uploaded file, in a stable order; nothing in or under a
    path of `exclude` (the archive being written, its work folder, a live SQLite file)."""
    if not instance.is_dir():
        return
    for folder in sorted(instance.iterdir()):
        if not folder.is_dir() or folder.is_symlink() or folder.name in SKIPPED_DIRS \
                or folder.name.startswith("."):
            continue
        for path in sorted(folder.rglob("*")):
            resolved = path.resolve()
            if path.is_file() and not path.is_symlink() and resolved not in exclude \
                    and not exclude.intersection(resolved.parents):
                yield FILES_PREFIX + path.relative_to(instance).as_posix(), path


def create(output: Path | None = None) -> tuple[Path, Manifest]:
    """Write a backup archive (to `output`, a file or a folder, or instance/backups/) and
    return its path and manifest. The archive appears complete or not at all."""
    kind = backend()
    if output is None:
        output = Path(current_app.instance_path) / "backups"
        output.mkdir(parents=True, exist_ok=True, mode=0o700)
    output = Path(output)
    if output.is_dir():
        output = default_name(output)
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    instance = Path(current_app.instance_path)
    exclude = {output.resolve()}
    with tempfile.TemporaryDirectory(prefix="kinerja-backup-", dir=output.parent) as work:
        work = Path(work)
        exclude.add(work.resolve())
        if kind == "sqlite":
            part = SQLITE_PART
            live = _sqlite_path().resolve()
            exclude |= {live, *(live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal"))}
            revision, tables = _dump_sqlite(work / "database.sqlite3")
            _gzip(work / "database.sqlite3", work / part)
            extra = {}
        else:
            part = POSTGRES_PART
            revision, tables, extra = _dump_postgres(work / part)
        manifest = Manifest(backend=kind, revision=revision, tables=tables, parts={},
                            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                            key_check=_key_check(), **extra)
        try:
            _write_archive(output, work, part, list(_file_dirs(instance, exclude)), manifest)
        except OSError as problem:
            # Uploaded files are never changed, but one may be removed while it is copied.
            raise BackupError(f"Writing the archive failed ({problem}); nothing was written. "
                              "Run the backup again.") from None
    return output, manifest


def _write_archive(output: Path, work: Path, part: str, files: list[tuple[str, Path]],
                   manifest: Manifest) -> None:
    manifest.parts = {part: {"sha256": _sha256(work / part), "size": (work / part).stat().st_size}}
    for name, path in files:
        manifest.parts[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
    partial = work / "archive.tar"
    # Password hashes and personal data: only the owner may read the archive.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
        _add_bytes(archive, MANIFEST, manifest.to_json().encode())
        archive.add(work / part, arcname=part, recursive=False)
        for name, path in files:
            archive.add(path, arcname=name, recursive=False)
    partial.replace(output)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, fileobj=io.BytesIO(data))


# ---------------------------------------------------------------- checking an archive


@dataclass
class PreparedRestore:
    """An archive unpacked into a private folder, every part checked, and found fit for this
    instance: `restore` may apply it."""
    manifest: Manifest
    folder: Path
    head: str | None

    @property
    def upgrades(self) -> bool:
        return self.head is not None and self.manifest.revision != self.head

    @property
    def same_secret_key(self) -> bool:
        """False when the archive was made under another SECRET_KEY: kiosk device tokens and
        API tokens (stored as HMACs keyed with it) will not work after the restore."""
        return self.manifest.key_check in (None, _key_check())


def _safe_member(name: str) -> bool:
    if name in (MANIFEST, SQLITE_PART, POSTGRES_PART):
        return True
    path = PurePosixPath(name)
    return (name.startswith(FILES_PREFIX) and not path.is_absolute() and ".." not in path.parts
            and len(path.parts) >= 3 and "\\" not in name)


def _unpack(path: Path, folder: Path) -> Manifest:
    damaged = f"The archive {path} is damaged or not a Kinerja backup"
    try:
        with tarfile.open(path, mode="r:*") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{damaged}: it has no manifest.")
            manifest = Manifest.from_json(archive.extractfile(first).read())
            seen = set()
            for member in archive:
                if member is first:
                    continue
                if not member.isfile() or not _safe_member(member.name) \
                        or member.name not in manifest.parts or member.name in seen:
                    raise BackupError(f"{damaged}: unexpected entry {member.name!r}.")
                seen.add(member.name)
                target = folder / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, target.open("wb") as sink:
                    for chunk in iter(lambda s=source: s.read(CHUNK), b""):
                        digest.update(chunk)
                        sink.write(chunk)
                if digest.hexdigest() != manifest.parts[member.name]["sha256"]:
                    raise BackupError(f"{damaged}: the checksum of {member.name} does not match.")
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError) as problem:
        raise BackupError(f"{damaged} ({problem}).") from None
    missing = sorted(set(manifest.parts) - seen)
    if missing:
        raise BackupError(f"{damaged}: {missing[0]} is missing.")
    return manifest


@contextlib.contextmanager
def prepare(path: Path) -> Iterator[PreparedRestore]:
    """Unpack and check an archive without changing anything; raise BackupError when it is
    damaged, from another backend, from a newer version of the code, or cannot be restored
    here. The unpacked copy is removed when the block ends."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    kind = backend()
    instance = Path(current_app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    # Unpacked inside the instance folder: the file folders are then swapped in by renaming.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=instance) as folder:
        folder = Path(folder)
        manifest = _unpack(path, folder)
        expected = SQLITE_PART if manifest.backend == "sqlite" else POSTGRES_PART
        if manifest.backend != kind:
            raise BackupError(f"The archive is a {manifest.backend} backup; this instance uses "
                              f"{kind}. Restore it into a {manifest.backend} instance.")
        if expected not in manifest.parts:
            raise BackupError(f"The archive {path} is damaged: it holds no database.")
        if not _known_revision(manifest.revision):
            raise BackupError(f"The archive comes from a newer version of Kinerja (database "
                              f"revision {manifest.revision}, unknown to this code): upgrade "
                              "Kinerja first, then restore.")
        if kind == "sqlite":
            _unpack_sqlite(folder / SQLITE_PART)
        else:
            _check_postgres_restore(manifest)
        yield PreparedRestore(manifest=manifest, folder=folder, head=_script().get_current_head())


def _check_postgres_restore(manifest: Manifest) -> None:
    tool = _tool("pg_restore")
    version = _tool_version(tool)
    if manifest.pg_dump_version and _major(version) < _major(manifest.pg_dump_version):
        raise BackupError(f"The archive was made by {manifest.pg_dump_version}; {version} cannot "
                          "read it. Install newer client tools, or set PG_BINDIR to them.")
    with db.engine.connect() as connection:
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar()
    if schema and schema != manifest.schema:
        raise BackupError(f"The archive holds schema {manifest.schema!r}; this instance uses "
                          f"{schema!r} (search_path). Restore it where the schema is the same.")
    _refuse_while_in_use(manifest.schema)


def _refuse_while_in_use(schema: str) -> None:
    """pg_restore would wait, without a word, for every session that holds a lock on a table
    of the schema (pg_restore sets lock_timeout = 0 itself): say who they are instead."""
    _dispose()
    with db.engine.connect() as connection:
        sessions = connection.execute(sa.text(
            "SELECT DISTINCT a.pid, a.application_name, a.state FROM pg_locks l "
            "JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE n.nspname = :schema AND l.pid <> pg_backend_pid() ORDER BY a.pid"),
            {"schema": schema}).all()
    if sessions:
        names = ", ".join(f"pid {pid} ({app or 'no name'}, {state})" for pid, app, state in sessions)
        raise BackupError(f"Other sessions are using the database ({names}): stop the app and "
                          "anything else connected, then restore again. Nothing was changed.")


# ---------------------------------------------------------------- restoring


def restore(prepared: PreparedRestore) -> None:
    """Replace the database and the files with the archive's, then upgrade to the code's head.
    The database is replaced in one transaction; the files only once the database is in."""
    manifest, folder = prepared.manifest, prepared.folder
    _dispose()
    try:
        if manifest.backend == "sqlite":
            _restore_sqlite(folder / SQLITE_PART)
        else:
            _restore_postgres(folder / POSTGRES_PART, manifest)
    finally:
        _dispose()
    _check_counts(manifest)
    _restore_files(folder)
    upgrade()
    _dispose()


def _unpack_sqlite(packed: Path) -> None:
    """Decompress the database next to its archive copy and check it is a sound SQLite file."""
    plain_path = packed.with_suffix("")
    try:
        with gzip.open(packed, "rb") as compressed, plain_path.open("wb") as plain:
            shutil.copyfileobj(compressed, plain, CHUNK)
        connection = sqlite3.connect(f"file:{plain_path}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except (OSError, EOFError, zlib.error, sqlite3.Error) as problem:
        raise BackupError(f"The archive's database cannot be read: {problem}.") from None
    if verdict != "ok":
        raise BackupError(f"The archive's database is damaged: {verdict}.")


def _restore_sqlite(packed: Path) -> None:
    source_path = packed.with_suffix("")
    target_path = _sqlite_path()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        # The backup API replaces every page of the target in one write transaction.
        source.backup(target)
    except sqlite3.Error as problem:
        raise BackupError(f"Restoring the SQLite database failed (nothing changed): {problem}. "
                          "Stop the app if it holds the database.") from None
    finally:
        target.close()
        source.close()


def _restore_postgres(dump: Path, manifest: Manifest) -> None:
    tool = _tool("pg_restore")
    uri, env = _libpq(db.engine.url)
    listing = _run([str(tool), "--list", str(dump)], env, "pg_restore --list")
    # The schema itself stays as it is (owner, grants, other objects); its contents are replaced.
    kept = [line for line in listing.splitlines()
            if not re.match(r"^\d+; \d+ \d+ (SCHEMA - |\S+ - SCHEMA )", line)]
    dumped = {match.group(1) for line in kept
              if (match := re.match(r"^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) ", line))}
    dumped_keys = {match.group(1) for line in kept
                   if (match := re.match(r"^\d+; \d+ \d+ FK CONSTRAINT \S+ \S+ (\S+) ", line))}
    list_file = dump.with_suffix(".list")
    list_file.write_text("\n".join(kept) + "\n")
    schema = manifest.schema
    _refuse_while_in_use(schema)
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {_quote(schema)}"))
        # Tables of a later migration than the archive's: dropped, so that the upgrade after the
        # restore can create them again (they would hold the foreign keys --clean cannot drop).
        for name in sorted(set(_pg_tables(connection, schema)) - dumped):
            connection.execute(sa.text(f"DROP TABLE {_quote(schema)}.{_quote(name)} CASCADE"))
        # Foreign keys a later migration added to the archive's tables: the same (the upgrade
        # adds them again with their columns).
        for table, key in _pg_foreign_keys(connection, schema):
            if key not in dumped_keys:
                connection.execute(sa.text(f"ALTER TABLE {_quote(schema)}.{_quote(table)} "
                                           f"DROP CONSTRAINT {_quote(key)}"))
    _dispose()
    try:
        _run([str(tool), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", f"--use-list={list_file}", f"--dbname={uri}", str(dump)],
             env, "pg_restore")
    except BackupError as problem:
        raise BackupError(f"{problem}\nThe restore ran in one transaction: the data is as it "
                          "was before.") from None


def _pg_foreign_keys(connection, schema: str) -> list[tuple[str, str]]:
    """(table, constraint) of every foreign key in the schema."""
    return list(connection.execute(sa.text(
        "SELECT rel.relname, con.conname FROM pg_constraint con "
        "JOIN pg_class rel ON rel.oid = con.conrelid "
        "JOIN pg_namespace ns ON ns.oid = rel.relnamespace "
        "WHERE con.contype = 'f' AND ns.nspname = :schema"), {"schema": schema}).all())


def _check_counts(manifest: Manifest) -> None:
    with db.engine.connect() as connection:
        for name, expected in manifest.tables.items():
            found = connection.execute(sa.text(f"SELECT count(*) FROM {_quote(name)}")).scalar()  # noqa: S608  # nosec B608 # identifiers quoted by _quote
            if found != expected:
                raise BackupError(f"After the restore, table {name} holds {found} rows instead of "
                                  f"{expected}: check the database.")


def _restore_files(folder: Path) -> None:
    """Swap each file folder of the instance for the archive's (folders the archive lacks are
    emptied: their files belong to rows that the restore took away). The old folders go to the
    unpack folder, removed with it."""
    instance = Path(current_app.instance_path)
    unpacked, old = folder / FILES_PREFIX.rstrip("/"), folder / "replaced"
    old.mkdir()
    names = {p.name for p in unpacked.iterdir() if p.is_dir()} if unpacked.is_dir() else set()
    names |= {p.name for p in instance.iterdir() if p.is_dir() and not p.is_symlink()
              and p.name not in SKIPPED_DIRS and not p.name.startswith(".")}
    for name in sorted(names):
        if (instance / name).exists():
            (instance / name).rename(old / name)
        if (unpacked / name).is_dir():
            (unpacked / name).rename(instance / name)
        else:
            (instance / name).mkdir()
