"""Awards: the ranking over real data, candidate changes with reasons, nominations, decision,
publication and withdrawal, photos with consent, the certificate, the kiosk's idle screen,
the API, and the privacy of the public page."""
import re
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import event

from kinerja.core import holidays
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.recognition import awards
from kinerja.recognition.models import Award, AwardScope, AwardStatus, AwardWinner, RankingSnapshot
from tests.builders import (
    make_activity,
    make_api_token,
    make_counter,
    make_employee,
    make_evaluation,
    make_kiosk,
    make_period,
    make_rating,
    make_realisation,
    make_skp,
)
from tests.recognition.builders import PNG_BYTES, make_award, make_winner

# Tuesday 10 March 2026, 10:00 WITA.
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
WEEK = [date(2026, 3, d) for d in range(2, 7)]  # Monday 2 to Friday 6 March


class Scene:
    pass


@pytest.fixture
def scene(org):
    """March's first week in the dinas: Ani (SB, half her target, 6 ratings, 2 days reported),
    Rudi (B, nothing else, 2 ratings), Budi (an SKP and nothing else); the head has no SKP; the
    outsider (another dinas) has an SKP but is out of scope."""
    s = Scene()
    s.period = make_period(2026)
    s.ani, s.rudi, s.budi = org.employee.employee, org.teammate.employee, org.supervisor.employee
    s.head, s.outsider = org.head.employee, org.outsider.employee
    for n, person in enumerate((s.ani, s.rudi, s.budi, s.head, s.outsider)):
        person.email, person.phone = f"orang{n}@contoh.go.id", f"0812345678{n:02d}"
    s.counter = make_counter(org.section)
    skp_ani = make_skp(s.ani, s.period, rhks=1)
    skp_rudi = make_skp(s.rudi, s.period, rhks=1)
    make_skp(s.budi, s.period)
    make_skp(s.outsider, s.period)
    make_evaluation(skp_ani, point=2, result="di_atas", behaviour="di_atas")   # Sangat Baik
    make_evaluation(skp_rudi, point=2, result="sesuai", behaviour="sesuai")    # Baik
    rhk = skp_ani.rhks[0]
    make_realisation(rhk.indicators[0], 3, "6")  # 6 of a yearly 12
    make_activity(s.ani, rhk, WEEK[0])
    make_activity(s.ani, rhk, WEEK[1])
    make_activity(s.ani, rhk, WEEK[1])
    make_activity(s.ani, rhk, date(2026, 3, 7))  # a Saturday: not a working day
    for day, score in zip(WEEK + [WEEK[4]], [4, 4, 3, 4, 4, 3], strict=True):
        make_rating(s.counter, day, score, staff=s.ani)
    make_rating(s.counter, WEEK[2], 1, staff=s.ani, excluded=True)  # HR excluded it
    make_rating(s.counter, date(2026, 2, 27), 1, staff=s.ani)       # before the award's range
    make_rating(s.counter, WEEK[0], 4, staff=s.rudi)
    make_rating(s.counter, WEEK[1], 4, staff=s.rudi)
    s.award = make_award(s.period, unit=org.dinas, name="ASN Teladan Maret", winners=2,
                         min_respondents=5, date_from=WEEK[0], date_to=WEEK[4])
    s.hr = org.hr
    db.session.commit()
    return s


def _rows(scene):
    return awards.ranking(scene.hr, scene.award, date(2026, 3, 10)).rows


# ---------------------------------------------------------------- the ranking over the data


def test_the_ranking_shows_each_value_contribution_and_total(scene, org):
    awards.nominate(org.supervisor, scene.award, scene.ani, "Pelayanan KTP-el tanpa antrean.")
    rows = _rows(scene)
    assert [r["name"] for r in rows] == ["Ani Lestari", "Rudi Hartono", "Budi Santoso"]
    ani = rows[0]
    values = {name: (c["value"], c["contribution"]) for name, c in ani["criteria"].items()}
    assert values == {
        "predikat": ("100.00", "30.00"),         # SB, weight 30
        "realisation": ("50.00", "12.50"),       # 6 / 12, weight 25
        "satisfaction": ("91.67", "18.33"),      # 22 / 6 = 3.67 x 25, weight 20
        "regularity": ("40.00", "6.00"),         # 2 of 5 working days, weight 15
        "nomination": ("100.00", "10.00"),       # nominated by Budi, weight 10
    }
    assert ani["total"] == "76.83"  # 30 + 12.5 + 18.333... + 6 + 10
    assert ani["facts"] == {"predikat": "SB", "indicators": 1, "respondents": 6, "index": "3.67",
                            "active_days": 2, "working_days": 5, "nominated": True}
    rudi = rows[1]
    assert rudi["criteria"]["satisfaction"] == {"value": "0.00", "contribution": "0.00",
                                                "short": True}  # 2 respondents of the 5 needed
    assert rudi["total"] == "22.50"
    assert rows[2]["total"] == "0.00"


def test_candidates_are_active_employees_in_scope_with_an_skp(scene, org):
    names = {r["name"] for r in _rows(scene)}
    assert org.head.employee.name not in names  # no SKP
    assert org.outsider.employee.name not in names  # another dinas
    scene.rudi.active = False
    db.session.commit()
    assert "Rudi Hartono" not in {r["name"] for r in _rows(scene)}


def test_kinds_and_all_scopes(scene, org):
    scene.award.scope, scene.award.unit_id = AwardScope.ALL, None
    db.session.commit()
    assert "Dewi Kartika" in {r["name"] for r in _rows(scene)}
    scene.award.scope, scene.award.unit_kind = AwardScope.KIND, org.section.kind
    db.session.commit()
    assert len(_rows(scene)) == 4  # every unit of the builders is a dinas


def test_the_ranking_reads_a_bounded_number_of_queries(scene, org):
    def count(work) -> int:
        statements = []
        seen_all.append(statements)

        def seen(*args):
            statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            work()
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        return len(statements)

    award_id = scene.award.id
    seen_all = []

    def rank():
        db.session.expire_all()
        holidays.forget()  # as a new request: the holiday calendar is read once per request
        awards.ranking(scene.hr, db.session.get(Award, award_id), date(2026, 3, 10))

    few = count(rank)
    for n in range(12):
        person = make_employee(f"Staf {n:02d}", unit=org.section, supervisor=scene.budi)
        skp = make_skp(person, scene.period, rhks=2)
        make_activity(person, skp.rhks[0], WEEK[n % 5])
        make_rating(scene.counter, WEEK[n % 5], 3, staff=person)
        make_evaluation(skp, point=2, result="sesuai", behaviour="di_atas")
    many = count(rank)
    assert len(_rows(scene)) == 15
    # Eligibility adds two (the low predikats and the sanctions), the holiday calendar one,
    # the leave spans one and the plans a transfer split one.
    assert many == few <= 19


# ---------------------------------------------------------------- candidate changes


def test_hr_removes_and_adds_candidates_only_with_a_reason(scene, org):
    with pytest.raises(RuleViolation) as problem:
        awards.remove_candidate(scene.hr, scene.award, scene.rudi, "tidak")
    assert problem.value.field == "reason"
    awards.remove_candidate(scene.hr, scene.award, scene.rudi,
                            "Sedang menjalani hukuman disiplin sedang sejak Februari.")
    awards.add_candidate(scene.hr, scene.award, scene.head,
                         "Kepala dinas diusulkan Bupati meski SKP-nya belum diinput.")
    rows = _rows(scene)
    assert "Rudi Hartono" not in {r["name"] for r in rows}
    head = next(r for r in rows if r["name"] == scene.head.name)
    assert head["added"] is True
    with pytest.raises(RuleViolation):  # already a candidate
        awards.add_candidate(scene.hr, scene.award, scene.head, "Alasan yang cukup panjang.")
    with pytest.raises(RuleViolation):  # not a candidate (any more)
        awards.remove_candidate(scene.hr, scene.award, scene.rudi, "Alasan yang cukup panjang.")
    actions = [e.action for e in awards.history(scene.award)]
    assert actions == ["award.candidate_removed", "award.candidate_added"]
    with pytest.raises(NotAllowed):
        awards.remove_candidate(org.supervisor, scene.award, scene.ani, "Alasan yang cukup panjang.")


def test_candidate_pages_say_what_is_wrong(scene, login_as):
    hr = login_as("hr")
    url = f"/penghargaan/{scene.award.id}/kandidat/hapus"
    short = hr.post(url, data={"employee_id": scene.rudi.id, "reason": "tidak"})
    assert short.status_code == 400
    assert "paling sedikit 10 karakter" in short.text
    bogus = hr.post(url, data={"employee_id": "x" * 40, "reason": "Alasan yang cukup panjang."})
    assert bogus.status_code == 400
    done = hr.post(url, data={"employee_id": scene.rudi.id,
                              "reason": "Mutasi ke Dinas Kesehatan per 1 April."})
    assert done.status_code == 302
    page = hr.get(f"/penghargaan/{scene.award.id}").text
    assert "Mutasi ke Dinas Kesehatan per 1 April." in page
    unknown = hr.post(f"/penghargaan/{scene.award.id}/kandidat/tambah",
                      data={"nip": "199001012020011999", "reason": "Alasan yang cukup panjang."})
    assert unknown.status_code == 400 and "tidak ditemukan" in unknown.text
    added = hr.post(f"/penghargaan/{scene.award.id}/kandidat/tambah",
                    data={"nip": scene.head.nip, "reason": "Diusulkan langsung oleh Sekda."})
    assert added.status_code == 302
    assert "ditambahkan SDM" in hr.get(f"/penghargaan/{scene.award.id}").text


# ---------------------------------------------------------------- nominations


def test_heads_nominate_the_candidates_of_their_units(scene, org, login_as):
    budi = login_as("supervisor")
    page = budi.get(f"/penghargaan/{scene.award.id}/nominasi")
    assert page.status_code == 200 and "Ani Lestari" in page.text
    assert budi.get("/penghargaan").status_code == 200
    missing = budi.post(f"/penghargaan/{scene.award.id}/nominasi",
                        data={"employee_id": scene.ani.id, "citation": ""})
    assert missing.status_code == 400
    done = budi.post(f"/penghargaan/{scene.award.id}/nominasi",
                     data={"employee_id": scene.ani.id,
                           "citation": "Merekam KTP-el lansia di rumah mereka setiap Jumat."})
    assert done.status_code == 302
    outside = budi.post(f"/penghargaan/{scene.award.id}/nominasi",
                        data={"employee_id": scene.outsider.id, "citation": "Alasan cukup panjang."})
    assert outside.status_code == 400
    assert login_as("employee").get(f"/penghargaan/{scene.award.id}/nominasi").status_code == 403
    with pytest.raises(NotAllowed):  # a head of another dinas
        awards.nominate(org.outsider, scene.award, scene.ani, "Alasan yang cukup panjang.")
    row = next(r for r in _rows(scene) if r["name"] == "Ani Lestari")
    assert row["facts"]["nominated"] is True


# ---------------------------------------------------------------- decide, publish, withdraw


def _decide(scene, org):
    awards.nominate(org.supervisor, scene.award, scene.ani, "Pelayanan KTP-el tanpa antrean.")
    return awards.decide(scene.hr, scene.award, date(2026, 3, 10))


def test_deciding_freezes_the_ranking_and_names_the_top_n(scene, org):
    winners = _decide(scene, org)
    assert [(w.rank, w.name) for w in winners] == [(1, "Ani Lestari"), (2, "Rudi Hartono")]
    assert winners[0].citation == "Pelayanan KTP-el tanpa antrean."  # from the nomination
    assert winners[1].citation == ""
    snapshot = db.session.scalar(db.select(RankingSnapshot))
    assert [r["total"] for r in snapshot.rows] == ["76.83", "22.50", "0.00"]
    assert snapshot.settings["weights"]["predikat"] == 30
    # Later data does not move a decided ranking.
    make_rating(scene.counter, WEEK[3], 4, staff=scene.rudi)
    assert _rows(scene)[1]["total"] == "22.50"
    with pytest.raises(RuleViolation):
        awards.decide(scene.hr, scene.award)
    with pytest.raises(RuleViolation):
        awards.edit(scene.hr, scene.award, awards.input_of(scene.award))
    with pytest.raises(RuleViolation):  # Rudi has no citation yet
        awards.publish(scene.hr, scene.award)
    awards.set_citation(scene.hr, winners[1], "Selalu hadir lebih awal membuka loket.")
    awards.publish(scene.hr, scene.award)
    with pytest.raises(RuleViolation):  # citations are fixed once published
        awards.set_citation(scene.hr, winners[1], "Lain")
    with pytest.raises(RuleViolation):
        awards.withdraw(scene.hr, scene.award, "")
    awards.withdraw(scene.hr, scene.award, "Terbukti melanggar disiplin setelah diumumkan.")
    assert scene.award.status is AwardStatus.WITHDRAWN
    assert [e.action for e in awards.history(scene.award)] == [
        "award.nominated", "award.ranked", "award.decided", "award.citation_changed",
        "award.published", "award.withdrawn"]


def test_an_award_with_no_candidate_cannot_be_decided(org):
    award = make_award(make_period(2026), unit=org.other_dinas)
    with pytest.raises(RuleViolation):
        awards.decide(org.hr, award)


def test_reopening_a_decision_returns_to_a_live_draft(scene, org):
    _decide(scene, org)
    with pytest.raises(RuleViolation):
        awards.reopen(scene.hr, scene.award, "")
    awards.reopen(scene.hr, scene.award, "Data predikat Februari ternyata belum lengkap.")
    assert scene.award.is_draft and not scene.award.winners
    assert db.session.scalar(db.select(RankingSnapshot)) is None
    assert "award.reopened" in [e.action for e in awards.history(scene.award)]


def test_hr_runs_an_award_through_the_pages(scene, org, login_as):
    hr = login_as("hr")
    bad = hr.post("/penghargaan/baru", data={
        "name": "Inovator Pelayanan", "year": 2026, "date_from": "2026-01-01",
        "date_to": "2026-12-31", "scope": "unit", "unit_id": org.dinas.id, "unit_kind": "",
        "winners_count": 1, "min_respondents": 10, "weight_predikat": 30,
        "weight_realisation": 30, "weight_satisfaction": 20, "weight_regularity": 10,
        "weight_nomination": 9})
    assert bad.status_code == 400 and "Jumlah bobot harus 100 (sekarang 99)" in bad.text
    no_unit = hr.post("/penghargaan/baru", data={
        "name": "Inovator Pelayanan", "year": 2026, "date_from": "2026-01-01",
        "date_to": "2026-12-31", "scope": "unit", "unit_id": "", "winners_count": 1,
        "min_respondents": 10, "weight_predikat": 30, "weight_realisation": 30,
        "weight_satisfaction": 20, "weight_regularity": 10, "weight_nomination": 10})
    assert no_unit.status_code == 400 and "Pilih unit kerja" in no_unit.text
    created = hr.post("/penghargaan/baru", data={
        "name": "Inovator Pelayanan", "year": 2026, "date_from": "2026-03-02",
        "date_to": "2026-03-06", "scope": "unit", "unit_id": org.dinas.id, "winners_count": 1,
        "min_respondents": 5, "weight_predikat": 30, "weight_realisation": 25,
        "weight_satisfaction": 20, "weight_regularity": 15, "weight_nomination": 10})
    assert created.status_code == 302
    award = db.session.scalar(db.select(Award).where(Award.name == "Inovator Pelayanan"))
    page = hr.get(f"/penghargaan/{award.id}").text
    assert "Peringkat kandidat" in page and "66,83" in page  # Ani, not nominated here
    assert "kurang responden" in page and "Aturan bila nilai sama" in page
    assert hr.post(f"/penghargaan/{award.id}/putuskan").status_code == 302
    assert hr.get(f"/penghargaan/{award.id}/ubah").status_code == 400
    winner = award.winners[0]
    publish_early = hr.post(f"/penghargaan/{award.id}/publikasikan")
    assert publish_early.status_code == 400 and "Isi kutipan" in publish_early.text
    assert hr.post(f"/penghargaan/pemenang/{winner.id}/kutipan",
                   data={"citation": "Cepat, ramah, tuntas."}).status_code == 302
    assert hr.post(f"/penghargaan/{award.id}/publikasikan").status_code == 302
    assert "Cepat, ramah, tuntas." in hr.get("/publik/penghargaan").text
    page = hr.get(f"/penghargaan/{award.id}").text
    for step in ("Didefinisikan", "Peringkat dibekukan", "Diputuskan", "Kutipan diubah",
                 "Dipublikasikan"):
        assert step in page
    assert hr.post(f"/penghargaan/{award.id}/tarik", data={"reason": "x"}).status_code == 400
    assert hr.post(f"/penghargaan/{award.id}/tarik",
                   data={"reason": "Salah unit kerja pada pengumuman."}).status_code == 302
    assert "Cepat, ramah, tuntas." not in hr.get("/publik/penghargaan").text
    assert "Salah unit kerja pada pengumuman." in hr.get(f"/penghargaan/{award.id}").text


def test_only_hr_sees_the_ranking(scene, login_as):
    for role in ("employee", "supervisor", "head", "admin"):
        assert login_as(role).get(f"/penghargaan/{scene.award.id}").status_code == 403


# ---------------------------------------------------------------- photo and certificate


def test_a_photo_needs_consent_and_an_image(scene, org, login_as, app):
    winner = _decide(scene, org)[0]
    hr = login_as("hr")
    url = f"/penghargaan/pemenang/{winner.id}/foto"

    def upload(data, consent=True):
        form = {"photo": (BytesIO(data), "foto.png")}
        if consent:
            form["consent"] = "y"
        return hr.post(url, data=form, content_type="multipart/form-data")
    refused = upload(PNG_BYTES, consent=False)
    assert refused.status_code == 400 and "menyetujui" in refused.text
    not_image = upload(b"%PDF-1.4 bukan foto")
    assert not_image.status_code == 400 and "JPG, PNG atau WEBP" in not_image.text
    assert upload(PNG_BYTES).status_code == 302
    db.session.refresh(winner)
    assert winner.photo_consent and winner.photo_type == "image/png"
    path = awards.photo_path(winner)
    with Image.open(path) as kept:  # re-encoded (no metadata), the same picture
        assert (kept.format, kept.size) == ("PNG", (1, 1))
    public = app.test_client()
    assert public.get(f"/publik/penghargaan/foto/{winner.id}").status_code == 404  # not yet
    assert hr.get(url).status_code == 200  # HR's preview
    awards.set_citation(scene.hr, scene.award.winners[1], "Selalu hadir lebih awal.")
    awards.publish(scene.hr, scene.award)
    shown = public.get(f"/publik/penghargaan/foto/{winner.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert f"/publik/penghargaan/foto/{winner.id}" in public.get("/publik/penghargaan").text
    assert hr.post(f"{url}/hapus").status_code == 302  # consent withdrawn: the file goes
    assert not path.exists()
    assert public.get(f"/publik/penghargaan/foto/{winner.id}").status_code == 404


def jpeg_with_gps() -> bytes:
    """A photo as phones take them: EXIF with the camera and the GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif.get_ifd(0x8825).update({1: "S", 2: (2.0, 31.0, 0.0), 3: "E", 4: (117.0, 21.0, 0.0)})
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_published_photo_carries_no_metadata(scene, org, app):
    winner = _decide(scene, org)[0]
    data = jpeg_with_gps()
    with Image.open(BytesIO(data)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the upload does carry a position
    awards.set_photo(scene.hr, winner, data, consent=True)
    awards.set_citation(scene.hr, scene.award.winners[1], "Selalu hadir lebih awal.")
    awards.publish(scene.hr, scene.award)
    shown = app.test_client().get(f"/publik/penghargaan/foto/{winner.id}")
    with Image.open(BytesIO(shown.data)) as published:
        assert (published.format, published.size) == ("JPEG", (40, 30))
        assert not published.getexif() and "exif" not in published.info
    assert b"KameraPonsel" not in shown.data


def test_the_certificate_is_a_pdf_for_hr_and_the_published_winner(scene, org, login_as):
    winner = _decide(scene, org)[0]
    ani = login_as("employee")
    assert ani.get(f"/penghargaan/pemenang/{winner.id}/sertifikat.pdf").status_code == 403
    pdf = login_as("hr").get(f"/penghargaan/pemenang/{winner.id}/sertifikat.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    awards.set_citation(scene.hr, scene.award.winners[1], "Selalu hadir lebih awal.")
    awards.publish(scene.hr, scene.award)
    assert ani.get(f"/penghargaan/pemenang/{winner.id}/sertifikat.pdf").status_code == 200


def test_the_certificate_carries_the_kabupatens_logo_and_place(scene, org, login_as):
    from kinerja.organisation import identity
    from tests.appraisal.test_documents import image_count, pdf_text
    from tests.organisation.test_identity import picture

    winner = _decide(scene, org)[0]
    identity.update(org.admin, government_name="Pemerintah Kabupaten Bulungan",
                    short_name="Kabupaten Bulungan", place="Tanjung Selor", accent=None,
                    logo=picture())
    pdf = login_as("hr").get(f"/penghargaan/pemenang/{winner.id}/sertifikat.pdf")
    text = pdf_text(pdf.data)
    assert "PEMERINTAH KABUPATEN BULUNGAN" in text and "Tanjung Selor, " in text
    assert image_count(pdf.data) == 1


# ---------------------------------------------------------------- public page, kiosk, API


def test_the_public_page_carries_nothing_private(scene, org, app):
    winners = _decide(scene, org)
    awards.set_citation(scene.hr, winners[1], "Selalu hadir lebih awal membuka loket.")
    awards.publish(scene.hr, scene.award)
    hidden = [make_award(scene.period, unit=org.dinas, name="Rahasia Draf"),
              make_award(scene.period, unit=org.dinas, name="Rahasia Diputuskan",
                         status=AwardStatus.DECIDED),
              make_award(scene.period, unit=org.dinas, name="Rahasia Ditarik",
                         status=AwardStatus.WITHDRAWN)]
    make_winner(hidden[1], scene.budi, citation="Kutipan belum diumumkan")
    client = app.test_client()
    pages = [client.get(url) for url in (
        "/publik/penghargaan", "/publik/penghargaan?tahun=2026",
        f"/publik/penghargaan?unit={org.dinas.id}", "/publik/penghargaan?lang=en",
        "/publik/")]
    assert all(page.status_code == 200 for page in pages)
    html = "\n".join(page.text for page in pages)
    assert "Ani Lestari" in html and "Pelayanan KTP-el tanpa antrean." in html
    for person in (scene.ani, scene.rudi, scene.budi, scene.head, scene.outsider):
        assert person.nip not in html
        assert person.email not in html and person.phone not in html
    for award in hidden:
        assert award.name not in html
    assert "Kutipan belum diumumkan" not in html and "Budi Santoso" not in html
    for score in ("76,83", "76.83", "22,50", "22.50"):  # the ranking stays with HR
        assert score not in html
    assert not re.search(r"\b\d{18}\b", html)  # no NIP-like number at all
    assert client.get("/publik/penghargaan?tahun=2025").status_code == 200
    assert "Ani Lestari" not in client.get(f"/publik/penghargaan?unit={org.other_dinas.id}").text


def test_the_kiosk_shows_recent_winners_of_its_unit(scene, org, client):
    counter = make_counter(org.section, code="DUK-99")
    _, token = make_kiosk(counter)
    for n in range(4):  # eight winners in scope: the screen takes six
        award = make_award(scene.period, unit=org.dinas, name=f"Teladan {n}",
                           status=AwardStatus.PUBLISHED)
        make_winner(award, scene.ani, citation="x")
        make_winner(award, scene.rudi, rank=2, citation="y")
    elsewhere = make_award(scene.period, unit=org.other_dinas, name="Teladan Dinkes",
                           status=AwardStatus.PUBLISHED)
    make_winner(elsewhere, scene.outsider)
    old = make_award(scene.period, unit=org.dinas, name="Teladan Lama", status=AwardStatus.PUBLISHED)
    old.published_at = NOW - timedelta(days=400)
    withdrawn = make_award(scene.period, unit=org.dinas, name="Teladan Ditarik",
                           status=AwardStatus.WITHDRAWN)
    make_winner(old, scene.budi)
    make_winner(withdrawn, scene.budi)
    db.session.commit()
    config = client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"}).json
    people = config["recognition"]
    assert len(people) == 6
    assert people[0] == {"name": "Ani Lestari", "position": "", "award": people[0]["award"]}
    assert {p["award"] for p in people} <= {f"Teladan {n}" for n in range(4)}
    assert {p["name"] for p in people} == {"Ani Lestari", "Rudi Hartono"}
    assert all(set(p) == {"name", "position", "award"} for p in people)


def test_the_api_lists_published_awards_without_nip(scene, org, client):
    winners = _decide(scene, org)
    awards.set_citation(scene.hr, winners[1], "Selalu hadir lebih awal membuka loket.")
    awards.publish(scene.hr, scene.award)
    make_award(scene.period, unit=org.dinas, name="Rahasia Draf")
    assert client.get("/api/v1/awards").status_code == 401
    _, token = make_api_token(org.admin, scopes=("ikm:read",))
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/awards", headers=headers).json
    assert body["total"] == 1
    item = body["items"][0]
    assert (item["name"], item["year"], item["scope"], item["unit_code"]) == (
        "ASN Teladan Maret", 2026, "unit", org.dinas.code)
    assert item["weights"] == {"predikat": 30, "realisation": 25, "satisfaction": 20,
                               "regularity": 15, "nomination": 10}
    assert [w["name"] for w in item["winners"]] == ["Ani Lestari", "Rudi Hartono"]
    assert set(item["winners"][0]) == {"rank", "name", "position", "unit", "citation"}
    text = client.get("/api/v1/awards", headers=headers).text
    assert scene.ani.nip not in text and "76.83" not in text
    assert client.get(f"/api/v1/awards?unit={org.section.code}", headers=headers).json["total"] == 1
    assert client.get(f"/api/v1/awards?unit={org.other_dinas.code}",
                      headers=headers).json["total"] == 0
    assert client.get("/api/v1/awards?unit=TIDAK-ADA", headers=headers).status_code == 400
    assert client.get("/api/v1/awards?tahun=2026", headers=headers).status_code == 400


def test_winners_keep_what_was_announced(scene, org):
    winner = _decide(scene, org)[0]
    scene.ani.name = "Ani Lestari Pindahan"
    db.session.commit()
    assert db.session.get(AwardWinner, winner.id).name == "Ani Lestari"


def test_every_step_is_in_the_audit_trail(scene, org):
    awards.define(scene.hr, awards.input_of(scene.award))
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "award.defined"))
