"""Command-line tasks: `flask --app wsgi init | seed-demo | create-user | import-employees | doctor | ...`."""
import getpass
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation import accounts, employee_import
from kinerja.organisation.models import Employee
from kinerja.organisation.nip import InvalidNip, parse_nip


def register(app: Flask) -> None:
    for command in (init, seed_demo, create_user, import_employees, create_kiosk, rebuild_rollups,
                    create_api_token, send_reminders, backup_data, restore_data, worker, doctor,
                    siasn):
        app.cli.add_command(command)


@click.command("init")
def init():
    """Create or upgrade the database schema (runs the migrations)."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade()
    click.echo("Database schema is up to date.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when employees already exist.")
def seed_demo(if_empty: bool):
    """Load a demo kabupaten: units, ~250 employees, counters and a login per role."""
    from kinerja import demo  # noqa: PLC0415 - demo data is only loaded on request

    if db.session.scalar(db.select(db.func.count(Employee.id))):
        if if_empty:
            click.echo("Employees exist already: demo data not loaded.")
            return
        raise click.ClickException("The database already holds employees; use an empty one.")
    summary = demo.seed()
    click.echo(f"Loaded {summary['units']} units, {summary['employees']} employees, "
               f"{summary['counters']} counters, {summary['skps']} SKPs and "
               f"{summary['activities']} daily activities, {summary['ratings']} citizen ratings "
               f"and {summary['complaints']} complaints; {summary['evaluations']} evaluations "
               f"and {summary.get('awards', 0)} awards.")
    click.echo("Demo logins (every other employee can log in with their NIP and the same "
               "password):")
    for role, username, name in summary["logins"]:
        click.echo(f"  {role:<20} {username:<10} {demo.DEMO_PASSWORD}   {name}")


@click.command("create-user")
@click.argument("nip")
@click.option("--username", help="Optional login name besides the NIP.")
@click.option("--name", help="Create the employee with this name if the NIP is not known yet.")
@click.option("--role", "roles", multiple=True, type=click.Choice(["hr", "admin"]))
@click.option("--password", help="Asked for when not given.")
def create_user(nip, username, name, roles, password):
    """Give an employee a login (creating the employee if --name is given)."""
    try:
        nip = parse_nip(nip).value
    except InvalidNip as problem:
        raise click.BadParameter(str(problem.args[0]), param_hint="NIP") from None
    employee = db.session.scalar(db.select(Employee).where(Employee.nip == nip))
    if employee is None:
        if not name:
            raise click.ClickException("No employee with this NIP: import it, or pass --name.")
        employee = Employee(nip=nip, name=name)
        db.session.add(employee)
        db.session.flush()
    if password is None:
        password = getpass.getpass("Password: ")
    problems = accounts.password_problems(password)
    if problems:
        raise click.ClickException(str(problems[0]))
    try:
        user = accounts.create_user(employee, password, username=username,
                                    hr="hr" in roles, admin="admin" in roles)
    except RuleViolation as problem:
        raise click.ClickException(str(problem.message)) from None
    click.echo(f"Account created for {employee.name} ({nip}), roles: "
               f"{', '.join(user.roles) or 'employee'}.")


@click.command("import-employees")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", is_flag=True, help="Write the good rows; without it, only a preview.")
def import_employees(path: Path, commit: bool):
    """Import employees from CSV or XLSX (dry run unless --commit)."""
    data = path.read_bytes()
    if len(data) > current_app.config["IMPORT_MAX_BYTES"] * 20:
        raise click.ClickException("File too large.")
    try:
        rows = employee_import.read_rows(data, current_app.config["IMPORT_MAX_ROWS"])
    except RuleViolation as problem:
        raise click.ClickException(str(problem.message)) from None
    if commit:
        plan = employee_import.apply_import(None, rows, path.name)
    else:
        plan = employee_import.plan_import(rows)
    for row in plan.bad_rows:
        click.echo(f"row {row.row_number} ({row.nip or '-'}): "
                   + " ".join(str(e) for e in row.errors))  # each error is a sentence
    counts = plan.summary
    click.echo(f"{'Imported' if commit else 'Preview'}: {counts['create']} new, "
               f"{counts['update']} updated, {counts['unchanged']} unchanged, "
               f"{counts['error']} bad rows{' skipped' if commit else ''}.")
    if not commit:
        click.echo("Nothing written. Run again with --commit to import the good rows.")


@click.command("create-kiosk")
@click.option("--counter", "counter_code", required=True, help="The counter's code, e.g. DUKCAPIL-01.")
@click.option("--name", default="", help="A name for the tablet.")
def create_kiosk(counter_code: str, name: str):
    """Register a kiosk for a counter and print its device token (for scripted provisioning)."""
    from kinerja.feedback import kiosks  # noqa: PLC0415
    from kinerja.organisation.models import ServiceCounter  # noqa: PLC0415

    counter = db.session.scalar(db.select(ServiceCounter)
                                .where(ServiceCounter.code == counter_code.strip().upper()))
    if counter is None:
        raise click.ClickException(f"No counter with code {counter_code!r}.")
    kiosk, token = kiosks.create_with_token(counter, name)
    click.echo(f"Kiosk {kiosk.id} ({kiosk.name}) at {counter.code}. Device token (shown once):")
    click.echo(token)


@click.command("create-api-token")
@click.option("--user", "owner", required=True, help="The owner's NIP (or username).")
@click.option("--scope", "scopes", multiple=True, default=("ikm:read",), show_default=True,
              help="A scope to grant; repeat for several (ikm:read, kinerja:read).")
@click.option("--days", default=365, show_default=True, type=int, help="Days until it expires.")
@click.option("--name", default="", help="What the token is for (default: cli-<NIP>).")
def create_api_token(owner: str, scopes: tuple[str, ...], days: int, name: str):
    """Issue an API token for a user and print it once (only its hash is stored)."""
    from kinerja.integration import api_tokens  # noqa: PLC0415

    try:
        token, text = api_tokens.create(None, owner, name or f"cli-{owner.strip()}", scopes, days)
    except RuleViolation as problem:
        raise click.ClickException(str(problem.message)) from None
    click.echo(f"API token {token.id} ({token.name}) for {token.user.employee.name}, scopes "
               f"{token.scopes}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC. Token (shown once):")
    click.echo(text)


@click.command("rebuild-rollups")
def rebuild_rollups():
    """Recount the IKM and activity rollups from the raw rows (after a bulk load or restore)."""
    from kinerja.feedback import rollup_rebuild  # noqa: PLC0415
    from kinerja.performance import activity_rollup  # noqa: PLC0415

    rollup_rebuild.rebuild_rating_rollups()
    activity_rollup.rebuild_all_periods()
    db.session.commit()
    click.echo("Rollups recounted.")


@click.command("send-reminders")
def send_reminders():
    """Store today's reminders (run once a day; running again adds nothing) and email them."""
    from kinerja.appraisal import reminders  # noqa: PLC0415

    report = reminders.send_reminders()
    for kind, count in report.created.items():
        click.echo(f"{kind:<22} {count}")
    click.echo(f"{report.total} notifications created, {report.emailed} emailed.")


@click.command("backup")
@click.option("--output", type=click.Path(path_type=Path),
              help="The archive to write, or a folder for it (default: instance/backups/).")
@click.option("--keep", type=click.IntRange(1), default=None,
              help="Then delete all but this many newest archives in that folder.")
def backup_data(output: Path | None, keep: int | None):
    """Write the database and the uploaded files to one archive (safe while the app runs)."""
    from kinerja import backup  # noqa: PLC0415

    try:
        path, manifest = backup.create(output)
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size / 1e6:.1f} MB): {manifest.backend}, "
               f"revision {manifest.revision}, {len(manifest.tables)} tables, {manifest.rows} rows, "
               f"{manifest.files} files.")
    if keep:
        for old in backup.prune(path.parent, keep):
            click.echo(f"Deleted the older backup {old.name}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking.")
def restore_data(path: Path, yes: bool):
    """Replace the database and the uploaded files with a backup's, then upgrade the schema."""
    from kinerja import backup  # noqa: PLC0415

    try:
        with backup.prepare(path) as prepared:
            manifest = prepared.manifest
            click.echo(f"Backup of {manifest.created_at}: {manifest.backend}, revision "
                       f"{manifest.revision}, {manifest.rows} rows, {manifest.files} files.")
            if prepared.upgrades:
                click.echo(f"The database will then be upgraded to revision {prepared.head}.")
            if not prepared.same_secret_key:
                click.echo("Warning: the backup was made under another SECRET_KEY. Kiosks must be "
                           "paired again and API tokens issued again (or restore with the old key).")
            if not yes:
                click.confirm("This replaces ALL data and files of this instance. Continue?",
                              abort=True)
            backup.restore(prepared)
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo("Restored. Restart the app so that no worker keeps the old data.")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Jobs carried out at once.")
def worker(threads: int):
    """Carry out background jobs and the daily reminders (production: JOBS_WORKER=separate)."""
    import logging  # noqa: PLC0415

    from kinerja.core import queue  # noqa: PLC0415

    app = current_app._get_current_object()
    if app.config["JOBS_QUEUE"] == "immediate":
        raise click.ClickException("JOBS_QUEUE=immediate runs jobs in the request: no worker needed.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    click.echo(f"Worker on the {app.config['JOBS_QUEUE']} queue with {threads} threads; "
               f"daily reminders at {app.config['REMINDERS_AT']} {app.config['REMINDERS_ZONE']}.")
    queue.queue_of(app).consumer(threads).run()


@click.command("doctor")
def doctor():
    """Check this configuration before a start: secret key, database and migrations, Redis,
    instance path, clock, PDF fonts, mail, jobs, SIASN. Exits with 1 when something must be
    fixed."""
    from kinerja import doctor as checks  # noqa: PLC0415

    results = checks.run(current_app._get_current_object())
    for check in results:
        mark = "FAIL" if not check.ok else "WARN" if check.warning else "ok  "
        click.echo(f"{mark}  {check.name}: {check.detail}")
    failed = [check.name for check in results if not check.ok]
    if failed:
        raise click.ClickException(f"Fix before starting: {', '.join(failed)}.")
    click.echo("Ready to start.")


@click.group("siasn")
def siasn():
    """BKN's SIASN: `status`, `pull` (master data from BKN), `push` (results to BKN)."""


@siasn.command("status")
def siasn_status():
    """Whether SIASN is configured, when it last reached BKN, and the outbox by status."""
    from kinerja.integration import siasn_outbox  # noqa: PLC0415

    link = siasn_outbox.link_status()
    if not link.configured:
        click.echo("SIASN: not configured" + (f" (missing {', '.join(link.missing)})"
                                             if link.missing else ""))
    else:
        click.echo("SIASN: configured")
    click.echo(f"last reached BKN: {link.last_reached_at.isoformat() if link.last_reached_at else 'never'}")
    if link.last_failure is not None:
        failure = link.last_failure
        click.echo(f"last failure: {failure.at.isoformat()} {failure.endpoint} "
                   f"{failure.status or '-'} {failure.message}")
    for status, count in link.counts.items():
        click.echo(f"{status.value}: {count}")


@siasn.command("pull")
@click.option("--nip", help="One employee's NIP.")
@click.option("--unit", "unit_code", help="A unit's code: its employees and those of the units below.")
def siasn_pull_command(nip: str | None, unit_code: str | None):
    """Compare master data with SIASN; the differences wait in Kelola → SIASN for HR."""
    from kinerja.integration import siasn_pull  # noqa: PLC0415
    from kinerja.organisation.models import Unit  # noqa: PLC0415

    if bool(nip) == bool(unit_code):
        raise click.UsageError("Give --nip or --unit.")
    try:
        if nip:
            found = siasn_pull.pull_nip(None, nip)
        else:
            unit = db.session.scalar(db.select(Unit).filter_by(code=unit_code))
            if unit is None:
                raise click.ClickException(f"No unit with code {unit_code}.")
            found = siasn_pull.pull_unit(None, unit)
    except RuleViolation as problem:
        raise click.ClickException(str(problem.message)) from None
    click.echo(f"{found.checked} compared, {len(found.changes)} changes wait for HR "
               f"(Kelola → SIASN, pull {found.id})")
    for change in found.changes:
        click.echo(f"  {change.employee.nip} {change.field}: {change.current_text} -> {change.proposed_text}")
    for note in found.notes:
        click.echo(f"  note: {note}")


@siasn.command("push")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send nothing.")
def siasn_push(dry_run: bool):
    """Queue the results set since the last run and send what is due (the worker does this
    every 5 minutes)."""
    from kinerja.integration import siasn_outbox  # noqa: PLC0415

    if dry_run:
        for line in siasn_outbox.plan():
            click.echo(line)
        return
    report = siasn_outbox.push_due()
    if report is None:
        raise click.ClickException("SIASN is not configured (SIASN_* settings).")
    click.echo(f"sent {report.sent}, refused {report.refused}, waiting {report.waiting}")
