"""The kabupaten's identity page (Kelola → Identitas daerah): the government's name, short name,
logo, place of signing and accent colour. Admins only; the rules are in
kinerja.organisation.identity."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, identity
from portal import bp
from portal.guards import acting_user, require
from web.forms import Form, show_problem

DEFAULT_ACCENT = "#0b5394"  # Kinerja's own blue (static/css/app.css)


class IdentityForm(Form):
    government_name = StringField(_l("Nama pemerintah daerah"))
    short_name = StringField(_l("Nama singkat"))
    place = StringField(_l("Tempat penandatanganan dokumen"))
    accent = StringField(_l("Warna aksen"))
    logo = FileField(_l("Logo (PNG, JPG atau WEBP)"))
    remove_logo = BooleanField(_l("Hapus logo"))


def _initial() -> dict:
    row = identity.saved()
    if row is not None:
        return {"government_name": row.government_name, "short_name": row.short_name,
                "place": row.place, "accent": row.accent or ""}
    offered = identity.suggestion()
    return {"government_name": offered.government_name, "short_name": offered.short_name}


def _uploaded(field) -> bytes | None:
    """The chosen file's bytes (at most one byte over the limit, so a huge one is not read
    whole), or None when no file was chosen."""
    storage = field.data
    if not storage or not getattr(storage, "filename", ""):
        return None
    return storage.stream.read(identity.MAX_LOGO_BYTES + 1)


@bp.route("/kelola/identitas", methods=["GET", "POST"])
def identity_settings():
    actor = acting_user()
    require(access.manages_identity(actor))
    form = IdentityForm(data=_initial())
    status = 200
    if form.validate_on_submit():
        try:
            identity.update(actor, government_name=form.government_name.data,
                            short_name=form.short_name.data, place=form.place.data,
                            accent=form.accent.data, logo=_uploaded(form.logo),
                            remove_logo=form.remove_logo.data)
        except RuleViolation as problem:
            show_problem(form, problem)
            status = 413 if isinstance(problem, identity.LogoTooLarge) else 400
        else:
            flash(_("Identitas daerah tersimpan."), "success")
            return redirect(url_for("portal.identity_settings"))
    elif form.is_submitted():
        status = 400
    return render_template("portal/identity/edit.html", form=form, saved=identity.saved(),
                           default_accent=DEFAULT_ACCENT), status
