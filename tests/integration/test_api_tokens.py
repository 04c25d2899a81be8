"""API tokens: shown once, stored as a keyed hash, scoped, expiring, revocable; issued by admins
in the portal or with `flask create-api-token`."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kinerja.core.errors import RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.integration import api_tokens
from kinerja.integration.models import ApiToken
from tests.builders import make_api_token

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_only_a_keyed_hash_is_stored(org):
    token, text = make_api_token(org.hr)
    assert text.startswith("knj_") and len(text) > 40
    stored = db.session.get(ApiToken, token.id)
    assert stored.token_hash != text and text not in stored.token_hash
    assert stored.prefix == text[:12]
    assert api_tokens.authenticate(text).id == token.id


def test_the_hash_depends_on_the_secret_key(app, org):
    _, text = make_api_token(org.hr)
    app.config["SECRET_KEY"] = "another-secret-key-of-enough-length-0123456789"
    assert api_tokens.authenticate(text) is None


def test_a_token_expires(org):
    _, text = make_api_token(org.hr, days=7)
    with time_machine.travel(NOW + timedelta(days=7, seconds=1), tick=False):
        assert api_tokens.authenticate(text) is None
    with time_machine.travel(NOW + timedelta(days=6), tick=False):
        assert api_tokens.authenticate(text) is not None


def test_a_revoked_token_and_a_disabled_owner_stop_working(org):
    token, text = make_api_token(org.hr)
    other_token, other_text = make_api_token(org.supervisor)
    api_tokens.revoke(org.admin, token)
    assert api_tokens.authenticate(text) is None
    org.supervisor.enabled = False
    db.session.commit()
    assert api_tokens.authenticate(other_text) is None
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "api_token.revoked", AuditEvent.subject_id == token.id))


def test_scopes_are_checked(org):
    token, _ = make_api_token(org.hr, scopes=("ikm:read", "kinerja:read"))
    assert api_tokens.has_scope(token, "ikm:read") and api_tokens.has_scope(token, "kinerja:read")
    narrow, _ = make_api_token(org.hr, scopes=("kinerja:read",))
    assert not api_tokens.has_scope(narrow, "ikm:read")


@pytest.mark.parametrize(("owner", "name", "scopes", "days", "field"), [
    ("999999999999999999", "Dasbor", ["ikm:read"], 30, "owner"),
    ("sdm", "  ", ["ikm:read"], 30, "name"),
    ("sdm", "Dasbor", [], 30, "scopes"),
    ("sdm", "Dasbor", ["admin:write"], 30, "scopes"),
    ("sdm", "Dasbor", ["ikm:read"], 0, "days"),
    ("sdm", "Dasbor", ["ikm:read"], 5000, "days"),
])
def test_bad_token_requests_are_refused(org, owner, name, scopes, days, field):
    with pytest.raises(RuleViolation) as problem:
        api_tokens.create(org.admin, owner, name, scopes, days)
    assert problem.value.field == field


def test_the_owner_is_found_by_nip_or_username(org):
    assert api_tokens.find_owner(org.hr.employee.nip).id == org.hr.id
    assert api_tokens.find_owner("sdm").id == org.hr.id


def test_an_admin_creates_a_token_shown_once_and_revokes_it(login_as, org):
    admin = login_as("admin")
    assert admin.get("/token-api").status_code == 200
    created = admin.post("/token-api", data={"name": "Dasbor provinsi", "owner": org.hr.employee.nip,
                                             "scopes": ["ikm:read"], "days": "90"})
    assert created.status_code == 200
    token = db.session.scalar(sa.select(ApiToken))
    assert token.name == "Dasbor provinsi" and token.scope_list == ["ikm:read"]
    assert token.expires_at == NOW + timedelta(days=90)
    text = created.text.split('class="api-token-text">')[1].split("<")[0]
    assert api_tokens.authenticate(text).id == token.id
    listing = admin.get("/token-api").text
    assert token.prefix in listing and text not in listing  # never shown again
    assert admin.post(f"/token-api/{token.id}/cabut").status_code == 302
    db.session.expire_all()  # the request revoked it in its own session
    assert api_tokens.authenticate(text) is None


def test_a_bad_token_form_keeps_what_was_typed(login_as):
    response = login_as("admin").post("/token-api", data={
        "name": "Dasbor", "owner": "tidak-ada", "scopes": ["ikm:read"], "days": "30"})
    assert response.status_code == 400
    assert "Tidak ada akun dengan NIP atau nama pengguna itu." in response.text
    assert 'value="Dasbor"' in response.text


def test_hr_cannot_issue_tokens(login_as, org):
    assert login_as("hr").get("/token-api").status_code == 403
    token, _ = make_api_token(org.hr)
    assert login_as("hr").post(f"/token-api/{token.id}/cabut").status_code == 403


def test_the_cli_prints_a_working_token_once(app, org):
    result = app.test_cli_runner().invoke(args=[
        "create-api-token", "--user", org.hr.employee.nip, "--scope", "ikm:read", "--days", "30"])
    assert result.exit_code == 0, result.output
    text = result.output.strip().splitlines()[-1]
    token = api_tokens.authenticate(text)
    assert token.user_id == org.hr.id and token.scope_list == ["ikm:read"]
    assert token.expires_at == NOW + timedelta(days=30)


def test_the_cli_refuses_an_unknown_user(app, org):
    result = app.test_cli_runner().invoke(args=["create-api-token", "--user", "123"])
    assert result.exit_code != 0
    assert "Tidak ada akun" in result.output
