"""Logging in (the password, then a two-factor code where the account has it) and out,
changing one's own password, choosing the language."""
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from kinerja.core.errors import RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db, limiter
from kinerja.organisation import accounts, sessions, two_factor
from kinerja.organisation.accounts import LoginResult
from kinerja.organisation.models import User
from portal import bp
from portal.forms import ChangePasswordForm, LoginForm, TwoFactorCodeForm
from web.forms import show_problem

# Between the password and the code, the Flask session holds only this marker: who passed the
# password, when, and how many wrong codes followed. No login session exists until the code.
PENDING_LOGIN = "pending_login"
PENDING_SECONDS = 5 * 60
MAX_WRONG_CODES = 5  # then back to the password


def _account_key() -> str:
    return "login:" + accounts.login_key(request.form.get("identifier"))


def _failed(response) -> bool:
    # Only attempts that did not log in count: a shared counter PC is not throttled for its
    # staff logging in one after another.
    return response.status_code != 302


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login is a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("portal.dashboard")


def _fresh_session() -> None:
    """A fresh session at each login step: nothing planted before it survives (session
    fixation); only the chosen language is kept."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _log_in(user: User, target: str):
    _fresh_session()
    # Expires after PERMANENT_SESSION_LIFETIME (8 h): a login left open on a shared office
    # computer does not last for ever.
    session.permanent = True
    sessions.start(user, request.remote_addr, request.user_agent.string)
    login_user(user)
    return redirect(target)


def _await_code(user: User, target: str):
    """The password was right and the account has two-factor login: ask for the code."""
    _fresh_session()
    session[PENDING_LOGIN] = {"user_id": user.id, "since": int(utcnow().timestamp()),
                              "wrong": 0, "next": target}
    return redirect(url_for("portal.login_code"))


def _pending_user() -> User | None:
    """Who is between the password and the code, if they still may type it."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict):
        return None
    user = None
    if utcnow().timestamp() - pending["since"] <= PENDING_SECONDS:
        user = db.session.get(User, pending["user_id"])
    # An account disabled or reset in the meantime is back at the password too.
    if user is None or not user.is_active or not two_factor.is_enrolled(user):
        session.pop(PENDING_LOGIN)
        return None
    return user


def code_key() -> str:
    # The account the code is for: the one between password and code, or the logged-in one.
    pending = session.get(PENDING_LOGIN) or {}
    user_id = current_user.id if current_user.is_authenticated else pending.get("user_id")
    return f"two-factor:{user_id or request.remote_addr}"


def code_refused(response) -> bool:
    # Only wrong codes count (the view marks them): a person typing theirs right is not throttled.
    return g.get("code_refused", False)


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("portal.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result, user = accounts.authenticate(form.identifier.data, form.password.data,
                                             request.remote_addr)
        if result is LoginResult.OK:
            target = _safe_next(request.args.get("next"))
            if two_factor.is_enrolled(user):
                return _await_code(user, target)
            # Where two-factor login is required but not set up yet, the portal's guard sends
            # the person to enrol before anything else (portal/__init__.py).
            return _log_in(user, target)
        status = 401 if result is LoginResult.BAD_CREDENTIALS else 403
        messages = {
            LoginResult.BAD_CREDENTIALS: _("NIP/nama pengguna atau kata sandi salah."),
            LoginResult.DISABLED: _("Akun ini dinonaktifkan. Hubungi admin kepegawaian."),
        }
        form.form_errors.append(messages[result])
    elif form.is_submitted():
        status = 400
    return render_template("portal/auth/login.html", form=form), status


@bp.route("/masuk/kode", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=code_refused)
@limiter.limit(lambda: current_app.config["TWO_FACTOR_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=code_key, deduct_when=code_refused)
def login_code():
    """The second step: a code from the authenticator app, or a recovery code.

    Wrong codes are bounded twice: MAX_WRONG_CODES per password entered (kept in the signed
    session cookie, which a replayed older cookie could reset), and per account in the rate
    limiter's store on the server, which no cookie resets."""
    if current_user.is_authenticated:
        return redirect(url_for("portal.dashboard"))
    user = _pending_user()
    if user is None:
        flash(_("Waktu untuk memasukkan kode sudah habis. Masuk lagi dengan kata sandi."), "info")
        return redirect(url_for("portal.login"))
    form = TwoFactorCodeForm()
    status = 200
    if form.validate_on_submit():
        kind = two_factor.verify(user, form.code.data, request.remote_addr)
        if kind is not None:
            response = _log_in(user, session[PENDING_LOGIN]["next"])
            if kind is two_factor.CodeKind.RECOVERY_CODE:
                flash(_("Anda masuk dengan kode pemulihan; sisa %(n)s kode. Buat kode baru di "
                        "halaman Verifikasi dua langkah.", n=two_factor.recovery_codes_left(user)),
                      "info")
            return response
        g.code_refused = True
        pending = session[PENDING_LOGIN]
        pending["wrong"] = pending.get("wrong", 0) + 1
        session[PENDING_LOGIN] = pending
        if pending["wrong"] >= MAX_WRONG_CODES:
            session.pop(PENDING_LOGIN)
            flash(_("Terlalu banyak kode salah. Masuk lagi dengan kata sandi."), "error")
            return redirect(url_for("portal.login"))
        form.code.errors = [_("Kode salah atau sudah dipakai. Periksa kode di aplikasi "
                              "autentikator lalu coba lagi.")]
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("portal/auth/login_code.html", form=form), status


@bp.route("/keluar", methods=["POST"])
def logout():
    if current_user.is_authenticated:  # the server forgets the session: a copied cookie is dead
        sessions.log_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("portal.login"))


@bp.route("/akun/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Kata sandi sudah diganti."), "success")
            return redirect(url_for("portal.dashboard"))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/auth/change_password.html", form=form), status


@bp.route("/bahasa", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
