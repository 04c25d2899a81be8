"""Numbers and dates out of any range, in paths and query strings, are a 4xx, never a 500."""
import pytest

HUGE = 10 ** 30
QUERY = {name: HUGE for name in ("page", "halaman", "tahun", "bulan", "periode", "pegawai", "unit",
                                 "loket", "layanan", "rhk", "point", "titik", "per_page", "year")}
QUERY |= {name: "99999-12-31" for name in ("minggu", "dari", "sampai", "hari", "start", "end",
                                           "mulai", "selesai")}


def get_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.endpoint.startswith("static")]


@pytest.mark.parametrize("role", ["hr", "employee"])
def test_huge_ids_in_paths_are_not_server_errors(app, org, login_as, role):
    client = login_as(role)
    failures = []
    with app.test_request_context():
        from flask import url_for
        for rule in get_rules(app):
            ints = [name for name, converter in rule._converters.items()
                    if type(converter).__name__ == "IntegerConverter"]
            if not ints:
                continue
            args = {name: (HUGE if name in ints else "x") for name in rule.arguments}
            url = url_for(rule.endpoint, **args)
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{status} {url}")
    assert failures == []


@pytest.mark.parametrize("role", ["anonymous", "hr", "head"])
def test_huge_numbers_and_far_dates_in_query_strings_are_not_server_errors(app, org, login_as, role):
    client = app.test_client() if role == "anonymous" else login_as(role)
    failures = []
    with app.test_request_context():
        from flask import url_for
        for rule in get_rules(app):
            if rule.arguments:
                continue
            url = url_for(rule.endpoint, **QUERY)
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{status} {url}")
    assert failures == []
