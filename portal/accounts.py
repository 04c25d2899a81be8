"""Account administration: temporary passwords, roles, lockouts, two-factor resets. Admins only."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, accounts, sessions, two_factor
from kinerja.organisation.models import Employee, User
from portal import bp
from portal.forms import AccountForm, ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import show_problem


@bp.route("/akun")
def account_list():
    require(access.manages_accounts(acting_user()))
    page = request.args.get("page", 1, type=int)
    return render_template("portal/accounts/list.html",
                           accounts=accounts.accounts_page(request.args.get("q", "")[:100],
                                                           request.args.get("filter", ""),
                                                           max(page, 1)),
                           q=request.args.get("q", ""), filter=request.args.get("filter", ""))


@bp.route("/akun/<int:user_id>", methods=["GET", "POST"])
def account_edit(user_id: int):
    user = get_or_404(User, user_id)
    actor = acting_user()
    require(access.manages_accounts(actor))
    form = AccountForm(obj=user)
    if form.validate_on_submit():
        try:
            accounts.set_username(actor, user, form.username.data)
            accounts.set_roles(actor, user, hr=form.is_hr.data, admin=form.is_admin.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Akun %(name)s tersimpan.", name=user.employee.name), "success")
            return redirect(url_for("portal.account_edit", user_id=user.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/accounts/edit.html", form=form, account=user,
                           account_sessions=sessions.active_of(user), confirm=ConfirmForm(),
                           two_factor_enrolled=two_factor.is_enrolled(user),
                           two_factor_required=two_factor.required_for(user, current_app.config)
                           ), status


@bp.route("/pegawai/<int:employee_id>/sandi-sementara", methods=["POST"])
def account_reset_password(employee_id: int):
    employee = get_or_404(Employee, employee_id)
    actor = acting_user()
    require(access.manages_accounts(actor))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("portal.employee_detail", employee_id=employee.id))
    user, temporary = accounts.reset_password(actor, employee)
    # Shown once, never stored in clear: the admin hands it over and the user must change it.
    return render_template("portal/accounts/temporary_password.html", account=user,
                           temporary=temporary)


@bp.route("/akun/<int:user_id>/buka-kunci", methods=["POST"])
def account_unlock(user_id: int):
    user = get_or_404(User, user_id)
    require(access.manages_accounts(acting_user()))
    if ConfirmForm().validate_on_submit():
        accounts.unlock(acting_user(), user)
        flash(_("Kunci akun dibuka."), "success")
    return redirect(url_for("portal.account_edit", user_id=user.id))


@bp.route("/akun/<int:user_id>/aktif", methods=["POST"])
def account_set_enabled(user_id: int):
    user = get_or_404(User, user_id)
    require(access.manages_accounts(acting_user()))
    if ConfirmForm().validate_on_submit():
        enable = request.form.get("enabled") == "1"
        try:
            accounts.set_enabled(acting_user(), user, enable)
        except RuleViolation as problem:
            flash(str(problem.message), "error")
        else:
            flash(_("Akun diaktifkan.") if enable else _("Akun dinonaktifkan."), "success")
    return redirect(url_for("portal.account_edit", user_id=user.id))


@bp.route("/akun/<int:user_id>/2fa/reset", methods=["POST"])
def account_reset_two_factor(user_id: int):
    """Another admin turns the account's two-factor login off (a lost phone); it is logged out."""
    user = get_or_404(User, user_id)
    require(access.manages_accounts(acting_user()))
    if ConfirmForm().validate_on_submit():
        try:
            two_factor.reset(acting_user(), user)
        except RuleViolation as problem:
            flash(str(problem.message), "error")
        else:
            flash(_("Verifikasi dua langkah akun ini direset; akun sudah dikeluarkan dari semua "
                    "perangkat."), "success")
    return redirect(url_for("portal.account_edit", user_id=user.id))
