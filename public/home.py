"""The public landing page: where to find published results and awards."""
from flask import render_template

from public import bp


@bp.get("/")
def index():
    return render_template("public/index.html")
