"""The portal's navigation: which sections this user may open, decided once per request."""
from dataclasses import dataclass

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kinerja.services import access
from portal import bp


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, endpoint, endpoint prefixes that mark it active, who may see it)
MAIN = [
    (_l("Beranda"), "portal.dashboard", ("portal.dashboard",), None),
    (_l("SKP"), "portal.skp_mine", ("portal.skp", "portal.rhk", "portal.indicator",
                                    "portal.realisation", "portal.feedback", "portal.dialogue"), None),
    (_l("Harian"), "portal.activity_week", ("portal.activity", "portal.evidence"), None),
    (_l("Kinerja"), "portal.progress_mine", ("portal.progress",), None),
    (_l("Tim"), "portal.team_feed", ("portal.team",), access.watches_team),
    (_l("Pengaduan"), "portal.complaint_list", ("portal.complaint",), access.handles_complaints),
    (_l("IKM"), "portal.ikm_report", ("portal.ikm",), access.sees_ikm_reports),
]
MANAGE = [
    (_l("Periode kinerja"), "portal.period_list", ("portal.period",), access.manages_periods),
    (_l("Pegawai"), "portal.employee_list", ("portal.employee",), access.manages_organisation),
    (_l("Unit kerja"), "portal.unit_tree", ("portal.unit_tree", "portal.unit_create"),
     access.manages_organisation),
    (_l("Loket layanan"), "portal.counter_list", ("portal.counter",), access.manages_organisation),
    (_l("Perangkat kiosk"), "portal.kiosk_list", ("portal.kiosk",), access.manages_organisation),
    (_l("Penilaian ditandai"), "portal.flagged_ratings", ("portal.flagged", "portal.rating_"),
     access.sees_all_performance),
    (_l("Token API"), "portal.api_tokens", ("portal.api_token",), access.manages_api_tokens),
    (_l("Akun"), "portal.account_list", ("portal.account",), access.manages_accounts),
    (_l("Audit"), "portal.audit_log", ("portal.audit",), access.reads_audit_trail),
]


def _items(entries) -> list[NavItem]:
    endpoint = request.endpoint or ""
    user = current_user._get_current_object()
    return [NavItem(str(label), url_for(target), endpoint.startswith(prefixes))
            for label, target, prefixes, allowed in entries
            if allowed is None or allowed(user)]


def navigation() -> dict:
    if "navigation" not in g:
        g.navigation = {"main": _items(MAIN), "manage": _items(MANAGE)}
    return g.navigation


@bp.app_context_processor
def inject_navigation():
    # A function, so pages that draw no navigation (errors, login) pay nothing.
    return {"navigation": navigation}
