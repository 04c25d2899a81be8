"""Logging in and out, changing one's own password, choosing the language."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from kinerja.core.errors import RuleViolation
from kinerja.extensions import limiter
from kinerja.organisation import accounts, sessions
from kinerja.organisation.accounts import LoginResult
from portal import bp
from portal.forms import ChangePasswordForm, LoginForm
from web.forms import show_problem


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
            # A fresh session at login: nothing planted before it survives (session fixation).
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            # Expires after PERMANENT_SESSION_LIFETIME (8 h): a login left open on a shared
            # office computer does not last for ever.
            session.permanent = True
            sessions.start(user, request.remote_addr, request.user_agent.string)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        status = 401 if result is LoginResult.BAD_CREDENTIALS else 403
        messages = {
            LoginResult.BAD_CREDENTIALS: _("NIP/nama pengguna atau kata sandi salah."),
            LoginResult.DISABLED: _("Akun ini dinonaktifkan. Hubungi admin kepegawaian."),
        }
        form.form_errors.append(messages[result])
    elif form.is_submitted():
        status = 400
    return render_template("portal/auth/login.html", form=form), status


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
