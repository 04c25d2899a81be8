"""Builders for two-factor tests: an enrolled account, and the code its app shows at a time."""
from datetime import datetime, timedelta

import pyotp

from kinerja.core.types import utcnow
from kinerja.organisation import two_factor
from kinerja.organisation.models import User

STEP = timedelta(seconds=30)  # one TOTP time step


def code_at(secret: str, when: datetime | None = None) -> str:
    """The 6 digits an authenticator app holding `secret` shows at `when` (now by default)."""
    return pyotp.TOTP(secret).at(when or utcnow())


def enrol(user: User) -> tuple[str, list[str]]:
    """Turn two-factor login on for `user` as the enrolment page would: (secret, recovery
    codes). The current time step is used up by the confirmation: the next login needs a
    later code (move the clock on by STEP)."""
    secret = two_factor.begin_enrolment(user)
    return secret, two_factor.confirm_enrolment(user, secret, code_at(secret))
