"""The public landing page (what is published, and where), and how every public page is
rendered: in the visitor's language, cacheable for a few minutes, with no session or CSRF
token in it so a shared cache may keep it."""
from contextlib import nullcontext

from flask import current_app, make_response, render_template, request
from flask_babel import force_locale

from kinerja.publication import publication
from public import bp


def render_public(template: str, status: int = 200, **context):
    """A public page: ?lang=en|id picks the language (the URL, not a session, so a cached
    copy is right for everyone), and Cache-Control lets browsers and proxies keep it."""
    lang = request.args.get("lang")
    lang_args = {"lang": lang} if lang in current_app.config["LANGUAGES"] else {}
    with force_locale(lang) if lang_args else nullcontext():
        html = render_template(template, lang_args=lang_args, **context)
    response = make_response(html, status)
    if status == 200:
        response.headers["Cache-Control"] = f"public, max-age={publication.CACHE_SECONDS}"
    return response


def awards_published() -> bool:
    # Awards are another area's page; link to it only once it exists.
    return "public.awards" in current_app.view_functions


@bp.context_processor
def public_context():
    return {"awards": awards_published()}


@bp.get("/")
def index():
    published = publication.published()
    units = {}
    for item in published:
        units.setdefault(item.unit_id, item)
    return render_public("public/index.html", latest=sorted(units.values(), key=lambda p: p.unit.name),
                         newest=published[0] if published else None)
