"""The import's messages read as sentences: each says its field once, a row's reasons follow one
another as sentences, and an unknown unit code comes with the nearest known ones and where all
the codes are listed."""
from kinerja.organisation.employee_import import plan_import, read_rows, unknown_unit_code
from tests.builders import make_unit, valid_nip


def _reasons(*lines: str) -> list[list[str]]:
    data = ("\n".join(["nip,nama,kode_unit", *lines]) + "\n").encode()
    return [[str(e) for e in row.errors] for row in plan_import(read_rows(data, 100)).bad_rows]


def test_an_unknown_unit_code_suggests_the_nearest_and_where_codes_are_listed(app):
    make_unit("Dinas Kependudukan dan Pencatatan Sipil", code="DUKCAPIL")
    make_unit("Dinas Pendidikan", code="DISDIK")
    with app.test_request_context():
        [[reason]] = _reasons(f"{valid_nip(1)},Ani,DISDUKCAPIL")
        assert reason == ("Kode unit DISDUKCAPIL tidak dikenal. Maksudnya DUKCAPIL? "
                          "Semua kode ada di halaman Unit kerja.")
        assert unknown_unit_code("ZZZ", ["DUKCAPIL", "DISDIK"]) == \
            "Kode unit ZZZ tidak dikenal. Semua kode ada di halaman Unit kerja."
        assert unknown_unit_code("DISKES", ["DISDIK", "DINKES", "BAPPEDA"]) == (
            "Kode unit DISKES tidak dikenal. Maksudnya DINKES atau DISDIK? "
            "Semua kode ada di halaman Unit kerja.")


def test_the_preview_links_to_the_unit_codes(app):
    make_unit("Dinas Kependudukan dan Pencatatan Sipil", code="DUKCAPIL")
    data = f"nip,nama,kode_unit\n{valid_nip(1)},Ani,DISDUKCAPIL\n".encode()
    with app.test_request_context():
        plan = plan_import(read_rows(data, 100))
    assert plan.unknown_unit_codes == {"DISDUKCAPIL"}


def test_a_nip_reason_names_the_nip_once_and_reasons_read_as_sentences(app):
    make_unit("Dinas Pendidikan", code="DISDIK")
    with app.test_request_context():
        [reasons] = _reasons("12345,Ani,NOPE")
    assert reasons[0] == "NIP harus 18 digit (sekarang 5 digit)."  # not "NIP: NIP harus ..."
    assert all(reason.endswith((".", "?")) for reason in reasons)
    joined = " ".join(reasons)
    assert ".;" not in joined and "..;" not in joined


def test_the_command_line_lists_a_rows_reasons_as_sentences(app, tmp_path):
    make_unit("Dinas Pendidikan", code="DISDIK")
    path = tmp_path / "pegawai.csv"
    path.write_text("nip,nama,kode_unit\n12345,Ani,DISDIKK\n")
    output = app.test_cli_runner().invoke(args=["import-employees", str(path)]).output
    assert "(sekarang 5 digit). Kode unit DISDIKK tidak dikenal. Maksudnya DISDIK?" in output
    assert ".;" not in output and "NIP: NIP" not in output
