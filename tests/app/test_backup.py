"""Backup and restore (`flask backup`, `flask restore`): a round trip on the suite's backend
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set), and the archives a restore refuses."""
import hashlib
import io
import json
import os
import secrets
import tarfile
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from kinerja import backup, create_app
from kinerja.appraisal.models import Evaluation
from kinerja.extensions import db
from kinerja.feedback.models import Complaint
from kinerja.organisation.models import Employee
from kinerja.performance import evidence as evidence_files
from kinerja.performance.models import Evidence
from tests import builders
from tests.conftest import BACKENDS, base_config, postgres_url


def _snapshot() -> dict[str, list]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = table.select().order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(app, org):
    """A little of everything: a period, an SKP with RHK, activities with an evidence file,
    citizen ratings, a complaint and a set evaluation."""
    employee = org.employee.employee
    period = builders.make_period()
    skp = builders.make_skp(employee, period, rhks=2)
    activity = builders.make_activity(employee, skp.rhks[0], date(2026, 3, 2))
    builders.make_activity(employee, skp.rhks[1], date(2026, 3, 3), minutes=90)
    evidence = builders.make_evidence(activity, builders.docx_bytes(), "laporan.docx")
    counter = builders.make_counter(org.section)
    rating = builders.make_rating(counter, date(2026, 3, 2), score=2, elements={"U1": 2, "U2": 3})
    builders.make_rating(counter, date(2026, 3, 3), score=4)
    builders.make_complaint(counter, rating=rating, contact="0812 3456 7890", consent=True)
    builders.make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai")
    path = evidence_files.path_of(evidence)
    return {"evidence_id": evidence.id, "evidence_path": path, "evidence_sha": _sha256(path),
            "employee_id": employee.id}


def _change_everything(data) -> None:
    """What a restore must undo: an edit, deletions, a new row, a lost and a stray file."""
    db.session.get(Employee, data["employee_id"]).name = "Nama Diganti"
    db.session.execute(sa.delete(Complaint))
    for evaluation in db.session.scalars(sa.select(Evaluation)):
        db.session.delete(evaluation)
    db.session.delete(db.session.get(Evidence, data["evidence_id"]))
    builders.make_employee("Pegawai Baru")
    db.session.commit()
    data["evidence_path"].unlink()
    (data["evidence_path"].parent / "stray-file").write_bytes(b"%PDF-1.4 no row for this")


def test_round_trip_restores_every_row_and_file(app, data, tmp_path):
    before = _snapshot()
    assert before["evaluations"] and before["complaints"] and before["evidence"]
    path, manifest = backup.create(tmp_path / "backup.tar")
    assert manifest.backend == db.engine.url.get_backend_name()
    assert manifest.tables["employees"] == len(before["employees"])
    assert manifest.files == 1 and (path.stat().st_mode & 0o777) == 0o600

    _change_everything(data)
    assert _snapshot() != before
    with backup.prepare(path) as prepared:
        assert not prepared.upgrades
        backup.restore(prepared)

    assert _snapshot() == before
    assert db.session.get(Employee, data["employee_id"]).name == "Ani Lestari"
    assert _sha256(data["evidence_path"]) == data["evidence_sha"]
    assert sorted(p.name for p in data["evidence_path"].parent.iterdir()) == \
        [data["evidence_path"].name]  # the stray file belonged to no restored row
    # The sequences came back too: new rows do not collide with restored ones.
    assert builders.make_employee("Sesudah Pemulihan").id > max(r[0] for r in before["employees"])


def test_the_commands_back_up_and_restore_after_confirmation(app, data, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output and "1 files" in result.output
    (archive,) = tmp_path.glob("kinerja-*.tar")
    before = _snapshot()
    _change_everything(data)
    changed = _snapshot()

    refused = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert refused.exit_code == 1 and "replaces ALL data" in refused.output
    assert _snapshot() == changed  # said no: nothing changed

    result = runner.invoke(args=["restore", str(archive)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "SECRET_KEY" not in result.output  # the same key: no warning
    assert _snapshot() == before
    assert _sha256(data["evidence_path"]) == data["evidence_sha"]


def test_backup_goes_to_the_instance_backups_folder_and_not_into_the_next_one(app, data):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup"]).exit_code == 0
    first, manifest = backup.create()
    assert first.parent == Path(app.instance_path) / "backups"
    assert len(list(first.parent.iterdir())) == 2
    assert [name for name in manifest.parts if name.startswith("files/")] == \
        [f"files/evidence/{data['evidence_path'].name}"]


def test_the_daily_backup_keeps_the_newest_archives_only(app, tmp_path):
    runner = app.test_cli_runner()
    older = [tmp_path / f"kinerja-sqlite-2026010{day}-020000.tar" for day in (1, 2, 3)]
    for age, path in enumerate(reversed(older), start=1):
        path.write_bytes(b"an old archive")
        os.utime(path, (time.time() - age * 86400,) * 2)
    unrelated = tmp_path / "notes.tar"
    unrelated.write_bytes(b"not ours")
    result = runner.invoke(args=["backup", "--output", str(tmp_path), "--keep", "2"])
    assert result.exit_code == 0, result.output
    kept = sorted(path.name for path in tmp_path.glob("kinerja-*.tar"))
    assert len(kept) == 2 and older[2].name in kept  # the new one and the newest old one
    assert "Deleted the older backup kinerja-sqlite-20260101-020000.tar." in result.output
    assert unrelated.exists()


# ---------------------------------------------------------------- refusals


def _rewrite(source: Path, target: Path, *, manifest=None, part=None) -> Path:
    """A copy of an archive with the manifest changed by `manifest(dict)` and/or the database
    part's bytes replaced by `part(bytes)` (the manifest's checksums left as they were)."""
    with tarfile.open(source) as archive, tarfile.open(target, "w") as out:
        for member in archive.getmembers():
            content = archive.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                loaded = json.loads(content)
                manifest(loaded)
                content = json.dumps(loaded).encode()
            elif member.name.startswith("database.") and part:
                content = part(content)
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    return target


def _files(app) -> list[tuple[str, str]]:
    instance = Path(app.instance_path)
    return sorted((str(p.relative_to(instance)), _sha256(p) if p.is_file() else "")
                  for p in instance.rglob("*"))


def _refused(app, archive: Path, message: str) -> None:
    """The command refuses with `message`, exit code 1, and changes nothing (no row, no file,
    nothing left behind)."""
    before, files = _snapshot(), _files(app)
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(archive)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert _snapshot() == before and _files(app) == files


@pytest.fixture
def archive(app, data, tmp_path):
    path, _ = backup.create(tmp_path / "good.tar")
    _change_everything(data)  # a restore that went ahead would show
    return path


def test_a_damaged_part_is_refused(app, archive, tmp_path):
    def flip_a_byte(content: bytes) -> bytes:
        middle = len(content) // 2
        return content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1:]

    damaged = _rewrite(archive, tmp_path / "bad.tar", part=flip_a_byte)
    _refused(app, damaged, "the checksum of database.")


def test_a_truncated_archive_is_refused(app, archive, tmp_path):
    truncated = tmp_path / "cut.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(app, truncated, "is damaged or not a Kinerja backup")
    (tmp_path / "other.tar").write_bytes(b"not an archive at all")
    _refused(app, tmp_path / "other.tar", "is damaged or not a Kinerja backup")


def test_a_backup_of_the_other_backend_is_refused(app, archive, tmp_path):
    other = "postgresql" if db.engine.url.get_backend_name() == "sqlite" else "sqlite"
    wrong = _rewrite(archive, tmp_path / "other.tar",
                     manifest=lambda m: m.update(backend=other))
    _refused(app, wrong, f"is a {other} backup")


def test_a_backup_from_newer_code_is_refused(app, archive, tmp_path):
    newer = _rewrite(archive, tmp_path / "newer.tar",
                     manifest=lambda m: m.update(revision="0099_from_the_future"))
    _refused(app, newer, "newer version of Kinerja")


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """A database of its own (the suite's shared one is always at head): a SQLite file, or a
    private PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    schema = f"kinerja_backup_{secrets.token_hex(4)}"
    admin = sa.create_engine(postgres_url("public"))
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield postgres_url(schema)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_an_older_backup_is_upgraded_after_the_restore(empty_database, tmp_path):
    """A backup made at the revision before head comes back at head, also when the database
    holds tables of the later revision (PostgreSQL: they would block pg_restore --clean)."""
    app = create_app(base_config(tmp_path / "instance", empty_database))
    with app.app_context():
        script = backup._script()
        head = script.get_current_head()
        previous = script.get_revision(head).down_revision
        upgrade(revision=previous)
        # In SQL, not through the models: they describe the head's tables, not the older ones.
        db.session.execute(sa.text(
            "INSERT INTO units (code, name, kind, time_zone, active) "
            "VALUES ('LAMA', 'Dinas Lama', 'dinas', 'WITA', :yes)"), {"yes": True})
        db.session.execute(sa.text(
            "INSERT INTO employees (nip, name, unit_id, active) "
            "SELECT '198503122010011003', 'Pegawai Lama', id, :yes FROM units"), {"yes": True})
        db.session.commit()
        path, manifest = backup.create(tmp_path / "old.tar")
        assert manifest.revision == previous
        upgrade()
        with backup.prepare(path) as prepared:
            assert prepared.upgrades and prepared.head == head
            backup.restore(prepared)
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        assert db.session.scalars(sa.select(Employee.name)).all() == ["Pegawai Lama"]
        db.session.remove()
        db.engine.dispose()


def test_a_restore_under_another_secret_key_warns_about_kiosks_and_api_tokens(app, archive):
    app.config["SECRET_KEY"] = "another-key-of-at-least-thirty-two-characters"
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(archive)])
    assert result.exit_code == 0, result.output
    assert "another SECRET_KEY" in result.output and "paired again" in result.output


# ---------------------------------------------------------------- PostgreSQL's tools


@pytest.fixture
def postgres(app):
    if db.engine.url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only (set TEST_DATABASE_URL)")


def test_the_dump_is_of_the_apps_own_schema(app, postgres, data, tmp_path):
    schema = db.session.scalar(sa.text("SELECT current_schema()"))
    _, manifest = backup.create(tmp_path / "b.tar")
    assert manifest.schema == schema and schema != "public"
    assert manifest.pg_dump_version.startswith("pg_dump (PostgreSQL)")


def test_missing_tools_are_named(app, postgres, data, tmp_path):
    app.config["PG_BINDIR"] = str(tmp_path / "nowhere")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "pg_dump was not found" in result.output and "PG_BINDIR" in result.output


def test_an_older_pg_dump_than_the_server_is_refused(app, postgres, data, tmp_path):
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    app.config["PG_BINDIR"] = str(fake.parent)
    with pytest.raises(backup.BackupError, match="9.6.24 cannot dump a PostgreSQL"):
        backup.create(tmp_path / "b.tar")
    assert not (tmp_path / "b.tar").exists()


def test_a_backup_of_another_schema_is_refused(app, postgres, archive, tmp_path):
    other = _rewrite(archive, tmp_path / "other.tar",
                     manifest=lambda m: m.update(schema="someone_else"))
    _refused(app, other, "holds schema 'someone_else'")



def test_a_dump_newer_than_pg_restore_is_refused(app, postgres, archive, tmp_path):
    newer = _rewrite(archive, tmp_path / "newer.tar",
                     manifest=lambda m: m.update(pg_dump_version="pg_dump (PostgreSQL) 99.1"))
    _refused(app, newer, "cannot read it")


def test_a_restore_while_another_session_holds_a_table_is_refused(app, postgres, archive):
    other = sa.create_engine(db.engine.url)
    with other.connect() as connection:
        connection.execute(sa.text("SELECT count(*) FROM units"))  # a lock until it ends
        _refused(app, archive, "Other sessions are using the database")
        connection.rollback()
    other.dispose()
