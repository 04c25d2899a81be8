"""The flask commands: seed-demo, create-user, import-employees."""
from kinerja.extensions import db
from kinerja.organisation.access import supervises
from kinerja.organisation.models import Employee, ServiceCounter, Unit, UnitKind, User
from kinerja.organisation.nip import is_valid_nip
from tests.builders import valid_nip


def test_seed_demo_builds_a_realistic_kabupaten(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "kinerja2026" in result.output  # the demo password is printed
    units = db.session.scalars(db.select(Unit)).all()
    employees = db.session.scalars(db.select(Employee)).all()
    assert 12 <= len(units) <= 20
    assert {UnitKind.DINAS, UnitKind.BADAN, UnitKind.KECAMATAN, UnitKind.KELURAHAN,
            UnitKind.PUSKESMAS} <= {u.kind for u in units}
    assert 200 <= len(employees) <= 300
    # Every ASN has a valid NIP; the PPK (the Bupati) is no ASN and has none.
    assert [e.name for e in employees if e.nip is None] == [e.name for e in employees if e.is_ppk]
    assert len([e for e in employees if e.is_ppk]) == 1
    assert all(is_valid_nip(e.nip) for e in employees if not e.is_ppk)
    assert not any(supervises(e, e) for e in employees)  # no cycles
    assert all(u.head is not None for u in units)
    assert db.session.scalar(db.select(db.func.count(ServiceCounter.id))) >= 10
    usernames = set(db.session.scalars(db.select(User.username).where(User.username.is_not(None))))
    assert {"admin", "hr", "kepala", "atasan", "pegawai", "bupati", "plt", "guru",
            "perawat"} <= usernames


def test_seed_demo_if_empty_leaves_existing_data_alone(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    count = db.session.scalar(db.select(db.func.count(Employee.id)))
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Employee.id))) == count
    assert runner.invoke(args=["seed-demo"]).exit_code != 0


def test_create_user_for_a_new_employee(app, auth):
    nip = valid_nip()
    result = app.test_cli_runner().invoke(args=[
        "create-user", nip, "--name", "Admin Pertama", "--username", "root.admin",
        "--role", "admin", "--password", "kata-sandi-awal-2026"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(username="root.admin"))
    assert user.is_admin and user.employee.nip == nip
    assert auth.login("root.admin", "kata-sandi-awal-2026").status_code == 302


def test_create_user_refuses_a_bad_nip(app):
    result = app.test_cli_runner().invoke(args=["create-user", "123", "--password", "x" * 12])
    assert result.exit_code != 0
    assert "18 digit" in result.output


def test_import_employees_previews_then_commits(app, tmp_path):
    good, bad = valid_nip(), "198502302010011003"
    path = tmp_path / "pegawai.csv"
    path.write_text(f"nip,nama\n{good},Siti Aminah\n{bad},Tanggal Salah\n")
    runner = app.test_cli_runner()
    preview = runner.invoke(args=["import-employees", str(path)])
    assert "row 3" in preview.output and "Nothing written" in preview.output
    assert db.session.scalar(db.select(Employee).filter_by(nip=good)) is None
    runner.invoke(args=["import-employees", str(path), "--commit"])
    assert db.session.scalar(db.select(Employee).filter_by(nip=good)).name == "Siti Aminah"
