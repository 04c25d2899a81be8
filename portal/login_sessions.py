"""Where an account is logged in: a person's own sessions (end one, or all but this one) and,
for admins, an account's sessions (end them all)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from kinerja.organisation import access, sessions
from kinerja.organisation.models import LoginSession, User
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require


@bp.route("/akun/sesi")
def session_list():
    user = acting_user()
    current = sessions.current(user)
    return render_template("portal/auth/sessions.html", sessions=sessions.active_of(user),
                           current_id=current.id if current else None, confirm=ConfirmForm())


@bp.route("/akun/sesi/<int:session_id>/akhiri", methods=["POST"])
def session_end(session_id: int):
    record = get_or_404(LoginSession, session_id)
    actor = acting_user()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sessions.end_session(actor, record)
    flash(_("Sesi diakhiri."), "success")
    if record.user_id == actor.id:
        return redirect(url_for("portal.session_list"))
    return redirect(url_for("portal.account_edit", user_id=record.user_id))


@bp.route("/akun/sesi/lainnya", methods=["POST"])
def session_end_others():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ended = sessions.end_other_sessions(acting_user())
    flash(_("%(n)s sesi lain diakhiri.", n=ended), "success")
    return redirect(url_for("portal.session_list"))


@bp.route("/akun/<int:user_id>/sesi/akhiri", methods=["POST"])
def account_end_sessions(user_id: int):
    user = get_or_404(User, user_id)
    require(access.manages_accounts(acting_user()))
    if ConfirmForm().validate_on_submit():
        ended = sessions.end_sessions_of(acting_user(), user)
        flash(_("%(n)s sesi akun ini diakhiri.", n=ended), "success")
    return redirect(url_for("portal.account_edit", user_id=user.id))
