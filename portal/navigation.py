"""The portal's navigation: which sections this user may open, decided once per request."""
from dataclasses import dataclass

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kinerja.notifications import notifications
from kinerja.organisation import access
from portal import bp
from web.rendering import is_htmx


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
    (_l("Harian"), "portal.activity_week", ("portal.activity", "portal.evidence"),
     access.keeps_own_plan),
    (_l("Kinerja"), "portal.progress_mine", ("portal.progress",), access.keeps_own_plan),
    (_l("Penilaian"), "portal.appraisal_home", ("portal.appraisal", "portal.evaluation",
                                                "portal.objection"), None),
    (_l("Tim"), "portal.team_feed", ("portal.team",), access.watches_team),
    (_l("Pengaduan"), "portal.complaint_list", ("portal.complaint", "portal.investigation"),
     access.handles_complaints),
    (_l("IKM"), "portal.ikm_report", ("portal.ikm",), access.sees_ikm_reports),
    (_l("Kinerja unit"), "portal.unit_performance_compare", ("portal.unit_performance",),
     access.sees_unit_performance),
]
MANAGE = [
    (_l("Periode kinerja"), "portal.period_list", ("portal.period",), access.manages_periods),
    (_l("Pegawai"), "portal.employee_list", ("portal.employee",), access.manages_organisation),
    (_l("Unit kerja"), "portal.unit_tree", ("portal.unit_tree", "portal.unit_create"),
     access.manages_organisation),
    (_l("Loket layanan"), "portal.counter_list", ("portal.counter",), access.manages_organisation),
    (_l("Perangkat kiosk"), "portal.kiosk_list", ("portal.kiosk",), access.manages_organisation),
    (_l("Pelatihan"), "portal.course_list", ("portal.course", "portal.training_needs"),
     access.manages_appraisal_settings),
    (_l("Capaian organisasi"), "portal.unit_predikat_list", ("portal.unit_predikat",
                                                             "portal.unit_capaian",
                                                             "portal.distribution_limit"),
     access.sees_unit_capaian),
    (_l("Publikasi IKM"), "portal.publication_list", ("portal.publication",),
     access.manages_publication),
    (_l("Penghargaan"), "portal.award_list", ("portal.award",), access.uses_awards),
    (_l("Hukuman disiplin"), "portal.sanction_list", ("portal.sanction",), access.manages_sanctions),
    (_l("Penilaian ditandai"), "portal.flagged_ratings", ("portal.flagged", "portal.rating_"),
     access.sees_all_performance),
    (_l("Masukan TPP"), "portal.tpp_sheet", ("portal.tpp_",), access.manages_tpp),
    (_l("SIASN"), "portal.siasn_queue", ("portal.siasn_",), access.manages_siasn),
    (_l("Token API"), "portal.api_tokens", ("portal.api_token",), access.manages_api_tokens),
    (_l("Akun"), "portal.account_list", ("portal.account",), access.manages_accounts),
    (_l("Rantai penilai"), "portal.chain_of_authority", ("portal.chain_of_authority",
                                                         "portal.acting_"),
     access.manages_acting_officials),
    (_l("PPK"), "portal.ppk_settings", ("portal.ppk_",), access.manages_ppk),
    (_l("Hari libur"), "portal.holiday_list", ("portal.holiday",), access.manages_holidays),
    (_l("Aturan keberatan"), "portal.settings_objection_rule", ("portal.settings_objection",),
     access.manages_objection_rule),
    (_l("Identitas daerah"), "portal.identity_settings", ("portal.identity",),
     access.manages_identity),
    (_l("Audit"), "portal.audit_log", ("portal.audit",), access.reads_audit_trail),
]


def _items(entries) -> list[NavItem]:
    endpoint = request.endpoint or ""
    user = current_user._get_current_object()
    return [NavItem(str(label), url_for(target), endpoint.startswith(prefixes))
            for label, target, prefixes, allowed in entries
            if allowed is None or allowed(user)]


def _unread() -> int:
    # One COUNT per full page; htmx fragments draw no navigation.
    return 0 if is_htmx() else notifications.unread_count(current_user._get_current_object())


# Below which width the header's links fold behind a menu button (static/css/nav-collapsed.css),
# by how many sections the reader has (a Kelola menu counts as one): measured in Chromium with
# Pico's type scale, a staff member's five fit one row from 768px, a supervisor's six from
# 1024px, a head's, HR's or an admin's only from 1280px.
COLLAPSE_BELOW = ((5, "(max-width: 767.98px)"), (6, "(max-width: 1023.98px)"))
COLLAPSE_LONG = "(max-width: 1279.98px)"


def collapse_media(main: list, manage: list) -> str:
    sections = len(main) + bool(manage)
    return next((media for most, media in COLLAPSE_BELOW if sections <= most), COLLAPSE_LONG)


def navigation() -> dict:
    if "navigation" not in g:
        main, manage = _items(MAIN), _items(MANAGE)
        g.navigation = {"main": main, "manage": manage, "unread": _unread(),
                        "notifications_url": url_for("portal.notification_list"),
                        "collapse_media": collapse_media(main, manage)}
    return g.navigation


@bp.app_context_processor
def inject_navigation():
    # A function, so pages that draw no navigation (errors, login) pay nothing.
    return {"navigation": navigation}
