"""In Chromium on a phone, from the demo data: a visitor without an account opens the public
page, the published IKM of a unit with its chart, and never sees an unpublished unit."""
from datetime import date

import pytest
import time_machine

from kinerja import demo
from kinerja.demo import publication as demo_publication
from kinerja.extensions import db
from kinerja.organisation.models import Unit
from kinerja.publication import publication
from kinerja.publication.models import IkmPublication, PublicationStatus

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 20)


@pytest.fixture
def demo_data(app):
    publication.clear_cache()
    with time_machine.travel("2026-11-20 09:00 +08:00", tick=True):
        demo.seed(TODAY)
        yield
    publication.clear_cache()


def test_a_visitor_reads_a_published_unit_on_a_phone(browser, live_server, demo_data):
    published = {p.unit.name for p in db.session.scalars(db.select(IkmPublication).where(
        IkmPublication.status == PublicationStatus.PUBLISHED))}
    assert published
    unpublished = [u.name for u in db.session.scalars(db.select(Unit)) if u.name not in published]
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()

    page.goto(f"{live_server}/publik/")
    page.get_by_role("heading", name="Informasi publik Kinerja").wait_for()
    page.get_by_role("button", name="Lihat semua hasil survei").click()
    page.get_by_role("heading", name="Hasil survei kepuasan masyarakat").wait_for()
    listing = page.content()
    for name in unpublished:
        assert f">{name}<" not in listing, name

    unit = f"{demo_publication.PUBLISHED[0]}"
    name = db.session.scalar(db.select(Unit.name).where(Unit.code == unit))
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name, level=1).wait_for()
    chart = page.get_by_role("img", name="Nilai rata-rata (NRR) per unsur pelayanan")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= 390  # fits the phone, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The latest period is a month; the trend links the quarter, which has the approved plan.
    page.get_by_role("link", name=demo_publication.last_full_quarter(TODAY)[2]).click()
    page.get_by_text("Unsur terendah kami adalah").wait_for()
    assert page.get_by_role("heading", name="Rencana tindak lanjut").is_visible()
    assert "Pelatihan pelayanan prima" in page.locator("table.follow-up-plan").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    detail = page.content()
    for other in unpublished:
        assert f">{other}<" not in detail, other
