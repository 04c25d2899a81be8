"""The start page after login: who I am, my place in the chart, and my role's shortcuts."""
from flask import render_template
from flask_login import current_user

from kinerja.appraisal import home
from kinerja.feedback import alerts
from kinerja.organisation import access, org
from portal import bp


@bp.route("/")
def dashboard():
    me = current_user.employee
    headed_units = org.units_headed_by(me)
    return render_template(
        "portal/dashboard.html",
        me=me,
        agenda=home.agenda(current_user),
        chain=org.supervisor_chain(me),
        reports=org.direct_reports(me),
        headed_units=headed_units,
        counts=org.organisation_counts() if access.manages_organisation(current_user) else None,
        # Heads of unit and HR: complaint and IKM alerts (None for everyone else).
        alert_panel=alerts.dashboard_alerts(current_user),
    )
