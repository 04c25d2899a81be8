"""The portal: the logged-in face of Kinerja for employees, supervisors, HR and admins."""
from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user

from kinerja.core.errors import NotAllowed
from kinerja.organisation import two_factor
from portal import vocabulary
from web.errors import render_error
from web.rendering import remember_viewer_zone

bp = Blueprint("portal", __name__)
bp.record_once(vocabulary.register)

# Pages reachable without logging in; everything else in the portal requires a login.
PUBLIC_ENDPOINTS = {"portal.login", "portal.login_code", "portal.set_language"}
# Pages a user who must change their password may still open.
PASSWORD_CHANGE_ENDPOINTS = PUBLIC_ENDPOINTS | {"portal.change_password", "portal.logout"}
# Pages a user who must set up two-factor login may still open.
ENROLMENT_ENDPOINTS = PUBLIC_ENDPOINTS | {"portal.two_factor_enrol", "portal.logout"}


@bp.before_request
def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("portal.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("portal.change_password"))
    # HR and admins where two-factor login is required: logged in with the password alone, they
    # set it up before anything else.
    if (two_factor.must_enrol(current_user, current_app.config)
            and request.endpoint not in ENROLMENT_ENDPOINTS):
        return redirect(url_for("portal.two_factor_enrol"))
    return None


@bp.before_request
def show_times_in_the_viewers_zone():
    # Every time on a portal page is in the reader's unit's zone (a WITA kabupaten reads WITA).
    if current_user.is_authenticated:
        remember_viewer_zone(lambda: current_user.employee.time_zone)


@bp.errorhandler(NotAllowed)
def not_allowed(error: NotAllowed):
    """A service refused the acting user: the 403 page, as require(False) and abort(403) give."""
    return render_error(403)


from portal import (  # noqa: E402, F401 - the views register themselves on bp
    accounts,
    activities,
    appraisals,
    audit_log,
    auth,
    awards,
    chain_of_authority,
    complaints,
    counters,
    dashboard,
    development,
    documents,
    employees,
    guide,
    holidays,
    identity,
    ikm,
    imports,
    investigations,
    jobs,
    kiosks,
    login_sessions,
    navigation,
    notifications,
    peer_feedback,
    periods,
    progress,
    publication,
    rating_review,
    realisation,
    rosters,
    sanctions,
    siasn,
    skp,
    team,
    tpp,
    transfers,
    two_factor_pages,
    unit_performance,
    units,
)
