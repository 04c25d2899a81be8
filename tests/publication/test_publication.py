"""Public transparency: publishing IKM per unit and period, withdrawing it, the rencana tindak
lanjut approved by HR, the public pages (and what they must never show), the guide."""
import re
import time
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.feedback import ikm_report, ikm_scope
from kinerja.feedback.models import ComplaintStatus
from kinerja.organisation.models import Employee, Service, Unit
from kinerja.publication import follow_up, publication
from kinerja.publication.models import IkmPublication, PublicationStatus, StatementStatus
from tests.builders import (
    make_complaint,
    make_counter,
    make_rollup,
    make_service_rollup,
    make_unit,
)

NOW = datetime(2026, 5, 11, 3, 0, tzinfo=UTC)  # a Monday in May: the first quarter has ended
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture(autouse=True)
def _fresh_cache():
    publication.clear_cache()
    yield
    publication.clear_cache()


@pytest.fixture
def data(org, frozen_clock):
    """A counter in the section (published below) and one in the other dinas (never
    published), both with surveys in the first quarter; complaints with text and contact."""
    ktp = Service(code="KTP", name="KTP Elektronik")
    kia = Service(code="KIA", name="Kartu Identitas Anak")
    db.session.add_all([ktp, kia])
    counter = make_counter(org.section, code="DUK-01", name="Loket KTP", services=[ktp, kia])
    hidden_unit = make_unit("Puskesmas Rahasia Sekali")
    hidden = make_counter(hidden_unit, code="PKM-01", name="Loket Pasien Tersembunyi")
    other = make_counter(org.other_dinas, code="DKS-01", name="Loket Dinkes")
    for day in (date(2026, 1, 5), date(2026, 2, 10), date(2026, 3, 3)):
        make_rollup(counter, day, surveys=10, answer=3)
        # Of its ten citizens a day, six name KTP-el and three KIA; one names no service.
        make_service_rollup(counter, ktp, day, surveys=6, answer=3)
        make_service_rollup(counter, kia, day, surveys=3, answer=3)
        make_rollup(hidden, day, surveys=5, answer=2)
        make_rollup(other, day, surveys=4, answer=4)
    contact = "0812-3456-7890 ani.warga@example.com"
    make_complaint(counter, "Petugas Pak Slamet membentak saya", contact=contact, consent=True,
                   received_at=datetime(2026, 2, 2, 2, tzinfo=UTC))
    make_complaint(counter, "Antrean lama sekali", received_at=datetime(2026, 3, 2, 2, tzinfo=UTC),
                   status=ComplaintStatus.ANSWERED)
    make_complaint(counter, "Di luar periode", received_at=datetime(2026, 4, 2, 2, tzinfo=UTC))
    for person in db.session.scalars(sa.select(Employee)):
        person.email = f"{person.nip}@bulungan.go.id"
        person.phone = "081234567890"
    db.session.commit()
    return {"counter": counter, "hidden_unit": hidden_unit, "contact": contact}


def publish_section(org, label="Triwulan I 2026", dates=Q1):
    return publication.publish(org.hr, org.section, *dates, label)


# ---------------------------------------------------------------- rules


def test_period_choices_offer_only_ended_periods():
    choices = publication.period_choices(date(2026, 5, 11))
    assert choices[0].label == "Triwulan I 2026"
    assert (choices[0].start, choices[0].end) == Q1
    assert all(c.end < date(2026, 5, 11) for c in choices)
    assert {"Semester II 2025", "Tahun 2025", "Triwulan IV 2025"} <= {c.label for c in choices}


def test_only_hr_publishes_and_the_period_must_have_ended_and_have_surveys(org, data):
    with pytest.raises(NotAllowed):
        publication.publish(org.supervisor, org.section, *Q1, "Triwulan I 2026")
    with pytest.raises(RuleViolation) as problem:
        publication.publish(org.hr, org.section, date(2026, 4, 1), date(2026, 6, 30), "Triwulan II")
    assert problem.value.field == "end"
    with pytest.raises(RuleViolation) as problem:
        publication.publish(org.hr, org.section, date(2025, 1, 1), date(2025, 3, 31), "Triwulan I 2025")
    assert "survei lengkap" in str(problem.value.message)
    with pytest.raises(RuleViolation) as problem:
        publication.publish(org.hr, org.section, *Q1, "  ")
    assert problem.value.field == "label"
    with pytest.raises(RuleViolation):
        publication.publish(org.hr, org.section, date(2026, 3, 1), date(2026, 1, 1), "Mundur")
    publish_section(org)
    with pytest.raises(RuleViolation) as problem:
        publish_section(org, label="Lagi")
    assert "sudah diumumkan" in str(problem.value.message)


def test_publish_and_withdraw_are_audited_and_withdrawal_needs_a_reason(org, data):
    found = publish_section(org)
    with pytest.raises(RuleViolation):
        publication.withdraw(org.hr, found, " ")
    with pytest.raises(NotAllowed):
        publication.withdraw(org.head, found, "Salah")
    publication.withdraw(org.hr, found, "Data loket belum diverifikasi")
    assert found.status == PublicationStatus.WITHDRAWN
    with pytest.raises(RuleViolation):
        publication.withdraw(org.hr, found, "Dua kali")
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.subject_id) for e in events] == [
        ("ikm.publish", org.hr.id, found.id), ("ikm.withdraw", org.hr.id, found.id)]
    assert events[1].details["reason"] == "Data loket belum diverifikasi"
    # The row stays (the audit trail names it); it can be published again.
    assert db.session.get(IkmPublication, found.id) is not None
    assert publish_section(org).id != found.id


def test_figures_come_from_the_rollups(org, data):
    found = publish_section(org)
    figures = publication.figures(found)
    assert figures.survey.respondents == 30
    assert figures.survey.nrr["U1"] == 3
    assert figures.survey.mutu == "C"
    # Per service: each from the ratings naming it only; the rest name none.
    assert [(s.name, s.figures.full_surveys) for s in figures.services] == [
        ("KTP Elektronik", 18), ("Kartu Identitas Anak", 9), ("Layanan tidak disebut", 3)]
    # Complaints that arrived in the quarter: one answered, one open and overdue.
    assert figures.complaints == publication.ComplaintFigures(received=2, answered=1, open=1,
                                                              overdue=1)
    # The same figures as the IKM report for the unit and period.
    report = ikm_report.report(ikm_scope.Scope(unit=org.section), *Q1)
    assert report.survey == figures.survey


def rtl_row(element="U3", programme="Petugas tambahan pada jam sibuk", starts_on=date(2026, 5, 1),
            due_on=date(2026, 6, 30), responsible="Kepala Seksi Pelayanan"):
    return follow_up.ActionInput(element, programme, starts_on, due_on, responsible)


def test_the_follow_up_is_a_plan_of_rows_approved_by_hr_before_it_is_public(org, data, client):
    """The rencana tindak lanjut: per element, programme, time frame, who is responsible; its
    heads (or HR) write it, HR approves it, the public sees it only then; audited."""
    found = publish_section(org)
    url = f"/publik/ikm/{found.id}"
    for outsider in (org.employee, org.teammate, org.outsider):
        with pytest.raises(NotAllowed):
            follow_up.add_action(outsider, found, rtl_row())
    follow_up.add_action(org.supervisor, found, rtl_row())
    plan = found.plan
    assert plan.status == StatementStatus.DRAFT and len(plan.actions) == 1
    with pytest.raises(RuleViolation):
        follow_up.decide(org.hr, plan, approve=False, reason="Belum diajukan")  # only a submitted one
    follow_up.add_action(org.head, found, rtl_row("U9", "Kursi ruang tunggu", None,
                                                  date(2026, 9, 30), "Subbagian Umum"))
    follow_up.submit(org.supervisor, found)
    assert plan.status == StatementStatus.SUBMITTED
    assert "Kursi ruang tunggu" not in client.get(url).text
    with pytest.raises(NotAllowed):
        follow_up.decide(org.head, plan, approve=True)
    with pytest.raises(RuleViolation) as problem:
        follow_up.decide(org.hr, plan, approve=False)
    assert problem.value.field == "reason"
    follow_up.decide(org.hr, plan, approve=False, reason="Sebutkan program untuk unsur waktu.")
    assert plan.status == StatementStatus.REJECTED
    assert "Kursi ruang tunggu" not in client.get(url).text
    follow_up.save_note(org.supervisor, found, "Hasilnya diumumkan lagi triwulan depan.")
    follow_up.submit(org.supervisor, found)
    follow_up.decide(org.hr, plan, approve=True)
    page = client.get(url).text
    for shown in ("Waktu Penyelesaian", "Petugas tambahan pada jam sibuk", "Kepala Seksi Pelayanan",
                  "Sarana dan Prasarana", "Kursi ruang tunggu", "Subbagian Umum",
                  "30 Jun 2026", "Direncanakan", "Hasilnya diumumkan lagi triwulan depan."):
        assert shown in page, shown
    with pytest.raises(RuleViolation):  # approved: the programme stays as approved
        follow_up.add_action(org.supervisor, found, rtl_row("U1"))
    # Then its realisation, shown as it goes.
    with pytest.raises(RuleViolation) as problem:
        follow_up.record_progress(org.supervisor, plan.actions[0], "selesai", "")
    assert problem.value.field == "realisation"
    follow_up.record_progress(org.supervisor, plan.actions[0], "selesai",
                              "Dua petugas ditambah sejak 4 Mei.")
    page = client.get(url).text
    assert "Dua petugas ditambah sejak 4 Mei." in page and "Selesai" in page
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"ikm.follow_up_row_added", "ikm.follow_up_submit", "ikm.follow_up_reject",
            "ikm.follow_up_approve", "ikm.follow_up_progress"} <= actions


def test_hr_may_write_and_approve_a_plan_itself(org, data):
    found = publish_section(org)
    follow_up.add_action(org.hr, found, rtl_row())
    assert found.plan.status == StatementStatus.DRAFT
    follow_up.decide(org.hr, found.plan, approve=True)  # draft -> approved
    assert found.plan.status == StatementStatus.APPROVED
    approval = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "ikm.follow_up_approve"))
    assert approval.actor_id == org.hr.id and approval.details["rows"][0]["element"] == "U3"


def test_a_plan_row_names_an_element_a_programme_a_time_frame_and_who(org, data):
    found = publish_section(org)
    for row, field in ((rtl_row(element="U10"), "element"), (rtl_row(element=None), "element"),
                       (rtl_row(programme="  "), "programme"), (rtl_row(due_on=None), "due_on"),
                       (rtl_row(starts_on=None, due_on=date(2026, 3, 31)), "due_on"),  # not after the period
                       (rtl_row(starts_on=date(2026, 7, 1)), "starts_on"),  # after its target
                       (rtl_row(responsible=""), "responsible")):
        with pytest.raises(RuleViolation) as problem:
            follow_up.add_action(org.supervisor, found, row)
        assert problem.value.field == field
    with pytest.raises(RuleViolation):  # nothing to submit
        follow_up.submit(org.supervisor, found)
    with pytest.raises(RuleViolation):  # nor to approve
        follow_up.decide(org.hr, found.plan, approve=True)


# ---------------------------------------------------------------- public pages


def test_nothing_is_public_until_published(org, data, client):
    assert "Bidang Pelayanan" not in client.get("/publik/ikm").text
    assert "Bidang Pelayanan" not in client.get("/publik/").text
    found = IkmPublication(unit=org.section, start=Q1[0], end=Q1[1], label="Draf",
                           published_by_id=org.hr.id, status=PublicationStatus.WITHDRAWN)
    db.session.add(found)
    db.session.commit()
    assert client.get(f"/publik/ikm/{found.id}").status_code == 404
    assert client.get("/publik/ikm/999999").status_code == 404


def test_a_published_unit_shows_its_figures_chart_services_trend_and_complaints(org, data, client):
    earlier = publish_section(org, "Januari 2026", (date(2026, 1, 1), date(2026, 1, 31)))
    found = publish_section(org)
    response = client.get(f"/publik/ikm/{found.id}")
    assert response.status_code == 200
    page = response.text
    survey = publication.figures(found).survey
    assert "Bidang Pelayanan" in page and "Triwulan I 2026" in page
    assert survey.mutu == "C" and "Mutu C" in page
    assert f"{survey.converted:.2f}".replace(".", ",") in page
    assert '<svg' in page and 'role="img"' in page and "U9 Sarana dan Prasarana" in page
    assert "KTP Elektronik" in page and "Kartu Identitas Anak" in page
    assert f'href="/publik/ikm/{earlier.id}"' in page  # the trend links the other period
    assert 'style="' not in page  # the CSP forbids style attributes
    listing = client.get("/publik/ikm").text
    assert f'href="/publik/ikm/{found.id}"' in listing  # the latest period of the unit
    assert "(periode sebelumnya: 1)" in listing
    assert f'href="/publik/ikm/{found.id}"' in client.get("/publik/").text
    english = client.get(f"/publik/ikm/{found.id}?lang=en")
    assert english.status_code == 200 and 'lang="en"' in english.text


def test_public_pages_are_cacheable_and_carry_no_session(org, data, client):
    found = publish_section(org)
    for url in ("/publik/", "/publik/ikm", f"/publik/ikm/{found.id}"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "public, max-age=300", url
        assert "Set-Cookie" not in response.headers, url
        assert "csrf" not in response.text.lower(), url


def test_withdrawn_publications_vanish_from_every_public_page(org, data, client):
    found = publish_section(org)
    assert client.get(f"/publik/ikm/{found.id}").status_code == 200
    publication.withdraw(org.hr, found, "Keliru")
    assert client.get(f"/publik/ikm/{found.id}").status_code == 404
    for url in ("/publik/", "/publik/ikm"):
        assert "Bidang Pelayanan" not in client.get(url).text


NIP = re.compile(r"(?<!\d)\d{18}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+62|\b0)8[\d\s-]{7,}")


def test_no_personal_or_unpublished_data_on_any_public_page(app, org, data, client):
    """Every public page, in both languages: no NIP, name, email or phone of any employee, no
    complaint text or contact, nothing of units or periods that are not published."""
    found = publish_section(org)
    follow_up.add_action(org.supervisor, found, rtl_row())
    follow_up.submit(org.supervisor, found)
    follow_up.decide(org.hr, found.plan, approve=True)
    withdrawn = publication.publish(org.hr, org.section, date(2026, 2, 1), date(2026, 2, 28),
                                    "Februari Ditarik")
    publication.withdraw(org.hr, withdrawn, "Keliru")
    # Every public page without arguments (awards included, whoever builds them), and ours.
    urls = sorted({rule.rule for rule in app.url_map.iter_rules()
                   if rule.endpoint.startswith("public.") and not rule.arguments
                   # the logo and accent stylesheet are files, there only once configured
                   and not rule.endpoint.startswith("public.identity_")})
    assert {"/publik/", "/publik/ikm"} <= set(urls)
    urls.append(f"/publik/ikm/{found.id}")
    pages = {f"{url}{lang}": client.get(f"{url}{lang}") for url in urls for lang in ("", "?lang=en")}
    people = db.session.scalars(sa.select(Employee)).all()
    personal = [p.nip for p in people] + [p.name for p in people]
    personal += ["Petugas Pak Slamet", "Antrean lama sekali", data["contact"], "ani.warga"]
    # On the IKM pages (not, say, an awards filter listing every unit): nothing unpublished.
    unpublished = ["Puskesmas Rahasia Sekali", "Loket Pasien Tersembunyi", "Dinas Kesehatan",
                   "Dinas Kependudukan dan Pencatatan Sipil", "Februari Ditarik", "Keliru"]
    ikm_pages = ("/publik/?", "/publik/ikm")
    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.text
        for word in personal + (unpublished if url.startswith(ikm_pages) or url == "/publik/"
                                else []):
            assert word not in html, (url, word)
        assert not NIP.search(html), url
        assert not EMAIL.search(html), (url, EMAIL.search(html))
        assert not PHONE.search(html), (url, PHONE.search(html))


def _count_statements(work) -> int:
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_a_public_page_reads_a_few_rollup_queries_and_then_the_cache(org, data, client):
    found = publish_section(org)
    url = f"/publik/ikm/{found.id}"
    started = time.perf_counter()
    cold = _count_statements(lambda: client.get(url))
    cold_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    warm = _count_statements(lambda: client.get(url))
    warm_ms = (time.perf_counter() - started) * 1000
    print(f"public IKM page: cold {cold} queries {cold_ms:.0f} ms, warm {warm} queries {warm_ms:.0f} ms")
    assert warm <= 3  # the publication (with its plan) and the unit's periods
    assert cold <= 12
    # More rollups do not mean more queries.
    for day in range(1, 28):
        make_rollup(data["counter"], date(2026, 2, day) if day != 10 else date(2026, 1, 20),
                    surveys=2, answer=4)
    publication.clear_cache()
    assert _count_statements(lambda: client.get(url)) == cold


# ---------------------------------------------------------------- portal pages


def test_hr_publishes_and_withdraws_from_the_portal(org, data, login_as):
    hr = login_as("hr")
    page = hr.get("/publikasi-ikm")
    assert page.status_code == 200 and "Bidang Pelayanan" in page.text
    assert "Puskesmas Rahasia Sekali" in page.text  # a unit with counters can be picked
    bad = hr.post("/publikasi-ikm", data={"unit": org.section.id, "start": "2026-03-31",
                                          "end": "2026-01-01", "label": "Mundur"})
    assert bad.status_code == 400 and "Tanggal akhir tidak boleh sebelum tanggal awal" in bad.text
    missing = hr.post("/publikasi-ikm", data={"unit": "", "start": "2026-01-01",
                                              "end": "2026-03-31", "label": "X"})
    assert missing.status_code == 400
    done = hr.post("/publikasi-ikm", data={"unit": org.section.id, "start": "2026-01-01",
                                           "end": "2026-03-31", "label": "Triwulan I 2026"})
    assert done.status_code == 302
    found = db.session.scalar(sa.select(IkmPublication))
    assert found.label == "Triwulan I 2026" and found.published_by_id == org.hr.id
    assert hr.post(f"/publikasi-ikm/{found.id}/tarik", data={"reason": ""}).status_code == 400
    assert hr.post(f"/publikasi-ikm/{found.id}/tarik",
                   data={"reason": "Keliru"}).status_code == 302
    db.session.refresh(found)
    assert found.status == PublicationStatus.WITHDRAWN
    assert login_as("head").get("/publikasi-ikm").status_code == 403


def test_heads_write_the_plan_from_the_portal_and_hr_decides(org, data, login_as):
    found = publish_section(org)
    budi = login_as("supervisor")
    listing = budi.get("/tindak-lanjut-ikm")
    assert f"/tindak-lanjut-ikm/{found.id}" in listing.text
    form = budi.get(f"/tindak-lanjut-ikm/{found.id}")
    assert form.status_code == 200 and "<svg" in form.text
    assert "Sarana dan Prasarana" in form.text  # the elements by name
    row = {"element": "U3", "programme": "Menambah petugas.", "starts_on": "2026-05-01",
           "due_on": "2026-06-30", "responsible": "Kepala Seksi Pelayanan"}
    bad = budi.post(f"/tindak-lanjut-ikm/{found.id}/baris",
                    data={**row, "starts_on": "", "due_on": "2026-03-01"})
    assert bad.status_code == 400 and "Target selesai harus sesudah periode survei" in bad.text
    assert budi.post(f"/tindak-lanjut-ikm/{found.id}", data={"note": "", "aksi": "ajukan"}
                     ).status_code == 400  # no rows yet
    assert budi.post(f"/tindak-lanjut-ikm/{found.id}/baris", data=row).status_code == 302
    assert budi.post(f"/tindak-lanjut-ikm/{found.id}", data={"note": "", "aksi": "ajukan"}
                     ).status_code == 302
    plan = found.plan
    assert plan.status == StatementStatus.SUBMITTED
    hr = login_as("hr")
    assert "Menambah petugas." in hr.get("/publikasi-ikm").text
    url = f"/publikasi-ikm/tindak-lanjut/{plan.id}/putuskan"
    assert hr.post(url, data={"keputusan": "tolak", "reason": ""}).status_code == 400
    assert hr.post(url, data={"keputusan": "setujui"}).status_code == 302
    db.session.refresh(plan)
    assert plan.status == StatementStatus.APPROVED
    action = plan.actions[0]
    progress = f"/tindak-lanjut-ikm/{found.id}/baris/{action.id}/realisasi"
    assert budi.post(progress, data={"status": "berjalan", "realisation": "Satu petugas ditambah."}
                     ).status_code == 302
    db.session.refresh(action)
    assert action.realisation == "Satu petugas ditambah."
    assert login_as("outsider").get(f"/tindak-lanjut-ikm/{found.id}").status_code == 403
    assert login_as("employee").get("/tindak-lanjut-ikm").status_code == 403
    assert login_as("employee").post(progress, data={"status": "selesai"}).status_code == 403


def test_publishable_units_are_those_with_counters_and_above(org, data):
    names = {u.name for u in publication.publishable_units()}
    assert {"Bidang Pelayanan", "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan",
            "Puskesmas Rahasia Sekali"} == names
    assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == 4


# ---------------------------------------------------------------- the guide


@pytest.mark.parametrize("slug", sorted(["skp", "harian", "realisasi", "penilaian", "ikm", "sdm"]))
def test_every_guide_page_opens_with_its_screenshots(app, login_as, slug):
    from pathlib import Path
    response = login_as("employee").get(f"/panduan/{slug}")
    assert response.status_code == 200
    images = re.findall(r'<img src="/static/(guide/[\w-]+\.png)" alt="([^"]+)"', response.text)
    assert images, slug
    for path, alt in images:
        file = Path(app.static_folder) / path
        assert file.exists(), path
        assert file.stat().st_size < 120_000, path
        assert alt.strip()


def test_guide_index_links_every_page_and_handout(login_as, client):
    page = login_as("employee").get("/panduan").text
    for slug in publication_guide_slugs():
        assert f'href="/panduan/{slug}"' in page
    for role in ("pegawai", "atasan", "sdm"):
        assert f'href="/panduan/selebaran/{role}.pdf"' in page
    assert login_as("employee").get("/panduan/tidak-ada").status_code == 404
    assert client.get("/panduan").status_code == 302  # for logged-in users


def publication_guide_slugs():
    from portal.guide import PAGES
    return list(PAGES)


@pytest.mark.parametrize("role", ["pegawai", "atasan", "sdm"])
def test_each_handout_is_one_a4_page(login_as, role):
    import pypdfium2
    response = login_as("employee").get(f"/panduan/selebaran/{role}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.data)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_main_pages_link_to_their_guide(org, login_as):
    from tests.builders import make_period
    make_period(2026)
    client = login_as("supervisor")
    for url, slug in (("/skp", "skp"), ("/harian", "harian"), ("/penilaian", "penilaian"),
                      ("/ikm", "ikm")):
        assert f'href="/panduan/{slug}"' in client.get(url).text, url
