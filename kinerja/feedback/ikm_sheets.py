"""The IKM report as sheets for its Excel export: Ringkasan, NRR per unsur, Demografi, Per loket
(or Per unit) and Tren bulanan. Figures are numbers (not text), so they can be summed and charted
in a spreadsheet."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from kinerja.core.tables import Sheet
from kinerja.feedback.ikm_figures import SCORES
from kinerja.feedback.ikm_report import DIMENSION_NAMES, Report


def _cell_number(value: Decimal | None, places: int = 4):
    return float(round(value, places)) if value is not None else None


def _names(*names) -> list[str]:
    return [str(name) for name in names]


def sheets(report: Report) -> list[Sheet]:
    """The report's sheets, in the order of the workbook."""
    survey = report.survey
    rows = [
        (_l("Cakupan"), report.scope.label),
        (_l("Periode"), report.period_label),
        (_l("Dari tanggal"), report.start),
        (_l("Sampai tanggal"), report.end),
        (_l("Responden survei lengkap (9 unsur)"), report.totals.full_surveys),
        (_l("IKM (skala 1–4)"), _cell_number(survey.ikm)),
        (_l("Nilai konversi IKM (25–100)"), _cell_number(survey.converted, 2)),
        (_l("Mutu pelayanan"), survey.mutu),
        (_l("Bobot tiap unsur"), report.weight_label),
        (_l("Kinerja unit pelayanan"), survey.performance),
        (_l("Penilaian satu sentuhan (bukan SKM lengkap)"), report.totals.ratings),
        (_l("Indeks satu sentuhan (skala 1–4)"), _cell_number(report.totals.one_tap_index)),
        *((face, report.totals.score_counts[s]) for s, face in
          zip(SCORES, (_l("Wajah 1 (tidak puas)"), _l("Wajah 2 (kurang puas)"),
                       _l("Wajah 3 (puas)"), _l("Wajah 4 (sangat puas)")), strict=True)),
    ]
    if report.population:
        rows += [(_l("Populasi penerima layanan"), report.population),
                 (_l("Sampel minimum (Krejcie dan Morgan)"), report.sample_needed),
                 (_l("Sampel tercukupi"), str(_l("Ya") if report.sample_met else _l("Belum")))]
    summary = Sheet("Ringkasan", title=str(_l("Laporan Hasil Survei Kepuasan Masyarakat")),
                    rows=[[str(label), value] for label, value in rows],
                    date_format="yyyy-mm-dd", widths={"A": 46, "B": 48})

    nrr = Sheet("NRR per unsur", header=_names(
        _l("Unsur"), _l("Nama unsur"), _l("Jumlah jawaban"), _l("Jumlah nilai"), "NRR",
        _l("NRR tertimbang (NRR × %(weight)s)", weight=report.weight_symbol),
        _l("Unsur terendah")), widths={"B": 42})
    for row in report.nrr_rows:
        nrr.rows.append([row.element, row.name, row.answers, row.total, _cell_number(row.nrr),
                         _cell_number(row.weighted), str(_l("Ya")) if row.weakest else ""])
    nrr.rows.append(["", str(_l("IKM (jumlah NRR tertimbang)")), None, None, None,
                     _cell_number(survey.ikm), ""])
    nrr.rows.append(["", str(_l("Nilai konversi (IKM × 25)")), None, None, None,
                     _cell_number(survey.converted, 2), survey.mutu or ""])

    demography = Sheet("Demografi", header=_names(
        _l("Karakteristik"), _l("Kategori"), _l("Semua penilaian"), _l("Survei lengkap")),
        widths={"A": 22, "B": 24})
    for dimension, entries in report.demographics.items():
        for entry in entries:
            demography.rows.append([str(DIMENSION_NAMES[dimension]), entry.label, entry.ratings,
                                    entry.full_surveys])

    per_line = Sheet("Per unit" if report.compares_units else "Per loket", header=_names(
        _l("Kode"), _l("Unit") if report.compares_units else _l("Loket"), _l("Unit"),
        _l("Survei lengkap"), "IKM", _l("Nilai konversi"), _l("Mutu"),
        _l("Penilaian satu sentuhan"), _l("Indeks satu sentuhan")), widths={"B": 36, "C": 36})
    for row in report.comparison:
        figures = row.figures
        per_line.rows.append([row.code, row.name, row.unit_name, figures.full_surveys,
                              _cell_number(figures.survey.ikm),
                              _cell_number(figures.survey.converted, 2), figures.survey.mutu,
                              figures.ratings, _cell_number(figures.one_tap_index)])

    per_service = Sheet("Per layanan", header=_names(
        _l("Kode"), _l("Layanan"), _l("Survei lengkap"), "IKM", _l("Nilai konversi"), _l("Mutu"),
        _l("Penilaian satu sentuhan")), widths={"B": 42})
    for line in report.services.lines if report.services else []:
        figures = line.figures
        per_service.rows.append([line.code or "", line.name, figures.full_surveys,
                                 _cell_number(figures.survey.ikm),
                                 _cell_number(figures.survey.converted, 2), figures.survey.mutu,
                                 figures.ratings])

    trend = Sheet("Tren bulanan", header=_names(
        _l("Bulan"), _l("Survei lengkap"), "IKM", _l("Nilai konversi"),
        _l("Penilaian satu sentuhan"), _l("Indeks satu sentuhan")), date_format="mmm yyyy")
    for row in report.months:
        trend.rows.append([row.month, row.figures.full_surveys,
                           _cell_number(row.figures.survey.ikm),
                           _cell_number(row.figures.survey.converted, 2), row.figures.ratings,
                           _cell_number(row.figures.one_tap_index)])
    return [summary, nrr, demography, per_line,
            *([per_service] if report.services else []), trend]

