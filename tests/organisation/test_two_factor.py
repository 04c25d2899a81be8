"""Two-factor login rules: who must use it, enrolment, codes good once, single-use recovery
codes, and resets by another admin only, audited."""
from datetime import UTC, datetime

import pytest

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.organisation import sessions, two_factor
from kinerja.organisation.models import RecoveryCode
from tests.builders import make_user
from tests.organisation.builders import STEP, code_at, enrol

NOW = datetime(2026, 5, 4, 2, 0, 0, tzinfo=UTC)  # the start of a time step

pytestmark = pytest.mark.usefixtures("frozen_clock")


def actions() -> list[str]:
    return db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_required_for_hr_and_admins_when_the_configuration_says_so(org):
    on, off = {"TWO_FACTOR_REQUIRED": True}, {"TWO_FACTOR_REQUIRED": False}
    assert two_factor.required_for(org.hr, on) and two_factor.required_for(org.admin, on)
    assert not two_factor.required_for(org.employee, on)
    assert not two_factor.required_for(org.supervisor, on)  # a supervisor is no role
    assert not two_factor.required_for(org.admin, off)


def test_must_enrol_until_enrolled(org):
    config = {"TWO_FACTOR_REQUIRED": True}
    assert two_factor.must_enrol(org.hr, config)
    enrol(org.hr)
    assert not two_factor.must_enrol(org.hr, config)


def test_enrolment_needs_a_right_code_and_gives_ten_recovery_codes(org, frozen_clock):
    secret = two_factor.begin_enrolment(org.hr)
    with pytest.raises(RuleViolation) as refused:
        two_factor.confirm_enrolment(org.hr, secret, f"{(int(code_at(secret)) + 1) % 10**6:06d}")
    assert refused.value.field == "code"
    assert not two_factor.is_enrolled(org.hr)
    codes = two_factor.confirm_enrolment(org.hr, secret, code_at(secret))
    assert len(codes) == len(set(codes)) == 10
    assert two_factor.is_enrolled(org.hr) and org.hr.totp_secret == secret
    assert "two_factor.enrolled" in actions()


def test_recovery_codes_are_stored_hashed(org):
    _, codes = enrol(org.hr)
    stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & set(stored)
    assert all(len(value) == 64 for value in stored)


def test_a_tampered_secret_is_refused(org):
    with pytest.raises(RuleViolation):
        two_factor.confirm_enrolment(org.hr, "not-base32!", "123456")


def test_an_enrolled_account_cannot_enrol_again(org):
    enrol(org.hr)
    with pytest.raises(RuleViolation):
        two_factor.begin_enrolment(org.hr)


def test_a_current_code_is_accepted_once(org, frozen_clock):
    secret, _ = enrol(org.hr)
    frozen_clock.shift(STEP)
    code = code_at(secret)
    assert two_factor.verify(org.hr, code) is two_factor.CodeKind.TOTP
    assert two_factor.verify(org.hr, code) is None  # replayed within its validity
    assert "two_factor.code_failed" in actions()


def test_a_code_typed_with_a_space_is_accepted(org, frozen_clock):
    secret, _ = enrol(org.hr)
    frozen_clock.shift(STEP)
    code = code_at(secret)
    assert two_factor.verify(org.hr, f"{code[:3]} {code[3:]}")


def test_the_step_before_and_after_count_but_not_further(org, frozen_clock):
    secret, _ = enrol(org.hr)
    frozen_clock.shift(5 * STEP)
    now = NOW + 5 * STEP
    assert two_factor.verify(org.hr, code_at(secret, now - 2 * STEP)) is None
    assert two_factor.verify(org.hr, code_at(secret, now - STEP))  # a slow phone
    assert two_factor.verify(org.hr, code_at(secret, now + STEP))  # a fast one
    assert two_factor.verify(org.hr, code_at(secret, now + 2 * STEP)) is None


def test_an_earlier_code_is_refused_after_a_later_one(org, frozen_clock):
    secret, _ = enrol(org.hr)
    frozen_clock.shift(3 * STEP)
    now = NOW + 3 * STEP
    assert two_factor.verify(org.hr, code_at(secret, now))
    assert two_factor.verify(org.hr, code_at(secret, now - STEP)) is None


def test_a_recovery_code_is_good_once(org):
    _, codes = enrol(org.hr)
    assert two_factor.verify(org.hr, codes[0], "10.0.0.1") is two_factor.CodeKind.RECOVERY_CODE
    assert two_factor.verify(org.hr, codes[0]) is None
    assert two_factor.recovery_codes_left(org.hr) == 9
    used = db.session.scalar(db.select(AuditEvent).filter_by(action="two_factor.recovery_code_used"))
    assert (used.subject_id, used.ip_address, used.details["left"]) == (org.hr.id, "10.0.0.1", 9)


def test_a_recovery_code_may_be_typed_in_capitals_without_its_dash(org):
    _, codes = enrol(org.hr)
    assert two_factor.verify(org.hr, codes[1].replace("-", " ").upper())


def test_another_accounts_recovery_code_is_refused(org):
    _, codes = enrol(org.hr)
    enrol(org.admin)
    assert two_factor.verify(org.admin, codes[0]) is None


def test_nothing_verifies_without_enrolment(org):
    assert two_factor.verify(org.hr, "123456") is None


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(org, frozen_clock):
    secret, old = enrol(org.hr)
    frozen_clock.shift(STEP)
    with pytest.raises(RuleViolation):
        two_factor.regenerate_recovery_codes(org.hr, old[0])  # a recovery code is not enough
    new = two_factor.regenerate_recovery_codes(org.hr, code_at(secret))
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.verify(org.hr, old[1]) is None
    assert two_factor.verify(org.hr, new[0])
    assert "two_factor.recovery_codes_renewed" in actions()


def test_another_admin_resets_an_account_audited_and_logs_it_out(org):
    enrol(org.hr)
    sessions.start(org.hr, None, None)
    two_factor.reset(org.admin, org.hr)
    assert not two_factor.is_enrolled(org.hr) and org.hr.totp_secret is None
    assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
    assert sessions.active_of(org.hr) == []
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="two_factor.reset"))
    assert (event.actor_id, event.subject_id, event.details["sessions_ended"]) == (
        org.admin.id, org.hr.id, 1)


def test_an_admin_cannot_reset_their_own(org):
    enrol(org.admin)
    with pytest.raises(RuleViolation, match="admin lain"):
        two_factor.reset(org.admin, org.admin)
    assert two_factor.is_enrolled(org.admin)


def test_only_admins_reset(org):
    enrol(org.employee)
    with pytest.raises(NotAllowed):
        two_factor.reset(org.hr, org.employee)
    second_admin = make_user(username="admin2", admin=True)
    enrol(org.admin)
    two_factor.reset(second_admin, org.admin)  # admins reset each other
    assert not two_factor.is_enrolled(org.admin)


def test_resetting_an_account_without_two_factor_is_refused(org):
    with pytest.raises(RuleViolation):
        two_factor.reset(org.admin, org.hr)


def test_the_qr_code_carries_the_issuer_and_the_account(org):
    secret = two_factor.begin_enrolment(org.hr)
    uri = two_factor.provisioning_uri(org.hr, secret)
    assert uri.startswith("otpauth://totp/Kinerja:sdm?") and f"secret={secret}" in uri
    assert "issuer=Kinerja" in uri
    assert two_factor.qr_svg(uri).startswith("<svg")
