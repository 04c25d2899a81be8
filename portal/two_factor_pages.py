"""A person's two-factor login: its state, setting it up (QR code, then a code to confirm,
then the recovery codes shown once) and new recovery codes. The login's code step is in
portal/auth.py; an admin's reset of another account is in portal/accounts.py."""
from flask import current_app, g, redirect, render_template, session, url_for

from kinerja.core.errors import RuleViolation
from kinerja.extensions import limiter
from kinerja.organisation import two_factor
from portal import bp
from portal.auth import code_key, code_refused
from portal.forms import TwoFactorCodeForm
from portal.guards import acting_user
from web.forms import show_problem

# The secret being set up waits in the session until the person confirms a code from it, so
# that reloading the page shows the same QR code. The session cookie is signed, not encrypted:
# it shows the secret only to whoever holds the cookie, the person the page shows it to anyway;
# it leaves the cookie when enrolment is confirmed.
PENDING_ENROLMENT = "two_factor_enrolment"


def _recovery_codes_page(codes: list[str]):
    # Rendered in the POST's answer, never behind a redirect or a GET: shown this once.
    return render_template("portal/auth/recovery_codes.html", codes=codes)


@bp.route("/akun/2fa")
def two_factor_status():
    return _status_page(TwoFactorCodeForm())


def _status_page(form, status: int = 200):
    user = acting_user()
    left = two_factor.recovery_codes_left(user) if two_factor.is_enrolled(user) else None
    return render_template("portal/auth/two_factor.html", form=form, codes_left=left,
                           codes_total=two_factor.RECOVERY_CODE_COUNT,
                           enrolled=two_factor.is_enrolled(user),
                           required=two_factor.required_for(user, current_app.config)), status


@bp.route("/akun/2fa/aktifkan", methods=["GET", "POST"])
def two_factor_enrol():
    user = acting_user()
    if two_factor.is_enrolled(user):
        return redirect(url_for("portal.two_factor_status"))
    secret = session.get(PENDING_ENROLMENT) or two_factor.begin_enrolment(user)
    session[PENDING_ENROLMENT] = secret
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(user, secret, form.code.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            session.pop(PENDING_ENROLMENT)
            return _recovery_codes_page(codes)
    status = 400 if form.is_submitted() and form.errors else 200
    uri = two_factor.provisioning_uri(user, secret)
    return render_template("portal/auth/two_factor_enrol.html", form=form,
                           qr=two_factor.qr_svg(uri), secret=secret,
                           account_label=two_factor.account_label(user),
                           required=two_factor.required_for(user, current_app.config)), status


@bp.route("/akun/2fa/kode-pemulihan", methods=["POST"])
@limiter.limit(lambda: current_app.config["TWO_FACTOR_LIMIT_PER_ACCOUNT"], key_func=code_key,
               deduct_when=code_refused)
def two_factor_regenerate():
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_recovery_codes(acting_user(), form.code.data)
        except RuleViolation as problem:
            g.code_refused = True
            show_problem(form, problem)
        else:
            return _recovery_codes_page(codes)
    return _status_page(form, 400)
