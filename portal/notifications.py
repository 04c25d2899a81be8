"""Notifications: the user's list (newest first, unread marked), opening one marks it read."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from kinerja.appraisal import peer_feedback
from kinerja.notifications import notifications
from kinerja.notifications.models import Notification
from kinerja.organisation import access
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.rendering import render

LIST_TEMPLATE = "portal/notifications/list.html"


@bp.route("/notifikasi")
def notification_list():
    user = acting_user()
    page = notifications.listing(user, request.args.get("page", 1, type=int))
    unit = user.employee.unit
    return render(LIST_TEMPLATE, block="results", page=page, message=notifications.message,
                  form=ConfirmForm(), peer_requests=peer_feedback.open_count(user),
                  zone=unit.time_zone if unit is not None else None)


@bp.route("/notifikasi/<int:notification_id>/baca", methods=["POST"])
def notification_read(notification_id: int):
    notification = get_or_404(Notification, notification_id)
    user = acting_user()
    require(access.owns_notification(user, notification))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("portal.notification_list")), 400
    link = notifications.mark_read(user, notification)
    # Only a path inside the app: a stored link never sends anyone elsewhere.
    if link and link.startswith("/") and not link.startswith("//"):
        return redirect(link)
    return redirect(url_for("portal.notification_list"))


@bp.route("/notifikasi/baca-semua", methods=["POST"])
def notification_read_all():
    if ConfirmForm().validate_on_submit():
        count = notifications.mark_all_read(acting_user())
        if count:
            flash(_("Semua pemberitahuan ditandai sudah dibaca."), "success")
    return redirect(url_for("portal.notification_list"))
