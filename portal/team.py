"""The supervisor's feed of daily activities: the chain below them, newest first, updated by
polling, with who has not reported yet."""
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.performance import activities
from kinerja.performance.activities import FeedFilters
from portal import bp
from portal.activities import ReviewForm
from portal.forms import ConfirmForm
from portal.guards import acting_user, require
from web.forms import parse_date
from web.rendering import is_htmx, render

FEED_TEMPLATE = "portal/team/feed.html"


def _filters() -> FeedFilters:
    rhk = (request.args.get("rhk") or "").strip()
    return FeedFilters(
        employee_id=request.args.get("pegawai", type=int),
        # One "RHK" field: an id (from a link on an RHK) or words to look for in RHK texts.
        rhk_id=int(rhk) if rhk.isdigit() else None,
        rhk_text=(request.args.get("q") or ("" if rhk.isdigit() else rhk))[:100].strip(),
        first=parse_date(request.args.get("dari")),
        last=parse_date(request.args.get("sampai")),
        unit_id=request.args.get("unit", type=int),
        status=request.args.get("status") or activities.DEFAULT_FEED_STATUS,
    )


def _item_context(user) -> dict:
    """What the item macro needs to offer the review actions to the direct supervisor."""
    return {"review_form": ReviewForm(formdata=None), "error": None, "failed_action": None,
            "typed": "", "can_review": lambda employee: access.can_review_activities_of(user, employee),
            "can_pick": lambda activity: activities.can_verify_in_bulk(user, activity)}


@bp.route("/tim/harian")
def team_feed():
    user = acting_user()
    require(access.watches_team(user))
    filters = _filters()
    page = max(request.args.get("page", 1, type=int), 1)
    team = activities.team_page(user, filters, page=page, per_page=current_app.config.get(
        "FEED_PER_PAGE", activities.FEED_PER_PAGE))
    return render(FEED_TEMPLATE, block="feed", team=team, filters=filters, new_items=None,
                  bulk_form=ConfirmForm(), page=page, **_item_context(user))


def _ids(name: str) -> list[int]:
    return [int(value) for value in request.form.getlist(name) if value.strip().isdigit()]


def _bulk_message(result: activities.BulkVerification) -> tuple[str, str]:
    parts = []
    if result.verified:
        parts.append(ngettext("%(num)s kegiatan diverifikasi.", "%(num)s kegiatan diverifikasi.",
                              len(result.verified)))
    if result.already_verified:
        parts.append(ngettext("%(num)s sudah diverifikasi sebelumnya.",
                              "%(num)s sudah diverifikasi sebelumnya.", result.already_verified))
    if result.not_verifiable:
        parts.append(ngettext(
            "%(num)s tidak dapat Anda verifikasi di sini (bukan bawahan langsung Anda, "
            "dikembalikan untuk diperbaiki, atau periodenya tidak berjalan).",
            "%(num)s tidak dapat Anda verifikasi di sini (bukan bawahan langsung Anda, "
            "dikembalikan untuk diperbaiki, atau periodenya tidak berjalan).",
            result.not_verifiable))
    return " ".join(parts), "success" if result.verified else "error"


@bp.route("/tim/harian/verifikasi", methods=["POST"])
def team_verify_many():
    """Verify the activities ticked in the feed, or all those the page showed ("semua")."""
    user = acting_user()
    require(access.watches_team(user))
    form = ConfirmForm()
    # Back to the same filters and page (named one by one: nothing else goes into the link).
    back = {key: request.form.get(key) for key in
            ("pegawai", "rhk", "q", "dari", "sampai", "unit", "status", "page")
            if request.form.get(key)}
    if form.validate_on_submit():
        ids = _ids("tampil") if request.form.get("semua") else _ids("pilih")
        try:
            result = activities.verify_many(user, ids)
        except RuleViolation as problem:
            flash(problem.message, "error")
        else:
            flash(*_bulk_message(result))
    else:
        flash(_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."), "error")
    return redirect(url_for("portal.team_feed", **back))


@bp.route("/tim/harian/baru")
def team_feed_new():
    """htmx polling: only the activities reported after `sejak`, to put on top of the feed."""
    user = acting_user()
    require(access.watches_team(user))
    filters = _filters()
    if not is_htmx():
        return redirect(url_for("portal.team_feed", **filters.as_args()))
    items = activities.team_feed_since(user, filters, max(request.args.get("sejak", 0, type=int), 0))
    if not items:
        return "", 204
    return render(FEED_TEMPLATE, block="new_items", new_items=items, filters=filters,
                  latest=items[0].id, **_item_context(user))
