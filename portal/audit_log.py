"""The audit trail, readable by admins."""
from flask import render_template, request

from kinerja.core import audit
from kinerja.organisation import access
from portal import bp
from portal.guards import acting_user, require


@bp.route("/audit")
def audit_log():
    require(access.reads_audit_trail(acting_user()))
    page = request.args.get("page", 1, type=int)
    action = request.args.get("action", "")[:60]
    return render_template("portal/audit/list.html", events=audit.recent_events(max(page, 1),
                           action=action), action=action)
