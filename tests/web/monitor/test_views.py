"""Monitor pages: who sees what, the picker, unknown codes, the missing-results page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kansrijk.report import maps
from kansrijk.web.accounts.roles import OrganisationType, Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db

AMSTERDAM = "GM0363"
UTRECHT = "GM0344"
ALL_ROLES = list(Role)
NATIONAL = {Role.PROGRAMME_STAFF, Role.MONITOR_ANALYST, Role.ADMINISTRATOR}


def _client(role: Role, municipality: str = AMSTERDAM) -> Client:
    if role in (Role.COORDINATOR, Role.POLICY_ADVISOR):
        org = f.organisation(municipality_code=municipality)
    elif role is Role.PROFESSIONAL:
        org = f.organisation(type=OrganisationType.MIDWIFERY, municipality_code=municipality)
    else:
        org = f.organisation(type=OrganisationType.NATIONAL, municipality_code="")
    return f.signed_in(f.user(role=role, org=org))


@pytest.mark.parametrize(
    "url",
    [
        "/monitor/",
        f"/monitor/gemeente/{AMSTERDAM}/",
        f"/monitor/gemeente/{AMSTERDAM}/vergelijk/2019-07/",
        "/monitor/nationaal/",
        f"/monitor/gemeente/{AMSTERDAM}/download/xlsx",
        "/monitor/download/results.csv",
    ],
)
def test_anonymous_is_sent_to_login(results: Path, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unverified_second_factor_is_sent_to_verification(results: Path) -> None:
    client = Client()
    client.force_login(f.user(role=Role.COORDINATOR))  # needs TOTP, not verified
    response = client.get(f"/monitor/gemeente/{AMSTERDAM}/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_sees_any_municipality(results: Path, role: Role) -> None:
    client = _client(role)
    for code in (AMSTERDAM, UTRECHT):
        response = client.get(f"/monitor/gemeente/{code}/")
        assert response.status_code == 200, (role, code)
        assert "Lokale monitor" in response.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_national_dashboard_only_for_programme_staff_analysts_admins(
    results: Path, role: Role
) -> None:
    response = _client(role).get("/monitor/nationaal/")
    assert response.status_code == (200 if role in NATIONAL else 403)


def test_the_superuser_flag_opens_nothing_beyond_the_role(results: Path) -> None:
    """Least privilege (kansrijk.web.policy): permissions follow the role, not the flag."""
    org = f.organisation(type=OrganisationType.NATIONAL, municipality_code="")
    user = f.user(role=Role.POLICY_ADVISOR, org=org, is_superuser=True)
    assert f.signed_in(user).get("/monitor/nationaal/").status_code == 403


def test_national_link_only_for_those_who_may(results: Path) -> None:
    page = _client(Role.POLICY_ADVISOR).get(f"/monitor/gemeente/{AMSTERDAM}/").content.decode()
    assert "/monitor/nationaal/" not in page
    page = _client(Role.MONITOR_ANALYST).get(f"/monitor/gemeente/{AMSTERDAM}/").content.decode()
    assert "/monitor/nationaal/" in page


def test_index_goes_to_own_municipality(results: Path) -> None:
    response = _client(Role.POLICY_ADVISOR, UTRECHT).get("/monitor/")
    assert response.status_code == 302
    assert response["Location"] == f"/monitor/gemeente/{UTRECHT}/"


def test_index_shows_the_picker_to_users_without_a_municipality(results: Path) -> None:
    response = _client(Role.MONITOR_ANALYST).get("/monitor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<select class="utrecht-select utrecht-select--html-select" id="id_gemeente"' in html
    assert '<label class="utrecht-form-label" for="id_gemeente">Gemeente</label>' in html
    assert f'<option value="{AMSTERDAM}">Amsterdam</option>' in html
    assert html.count('<option value="GM') == 342  # municipalities of 2023


def test_picker_redirects_to_the_chosen_municipality(results: Path) -> None:
    client = _client(Role.POLICY_ADVISOR, UTRECHT)
    response = client.get("/monitor/", {"gemeente": "gm0599"})
    assert response.status_code == 302
    assert response["Location"] == "/monitor/gemeente/GM0599/"


def test_picker_explains_an_unknown_choice(results: Path) -> None:
    response = _client(Role.MONITOR_ANALYST).get("/monitor/", {"gemeente": "GM9999"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_gemeente_error"' in html
    assert 'id="id_gemeente_error"' in html


def test_unknown_codes_and_indicators_are_404(results: Path) -> None:
    client = _client(Role.MONITOR_ANALYST)
    assert client.get("/monitor/gemeente/GM9999/").status_code == 404
    assert client.get("/monitor/gemeente/PV27/").status_code == 404
    assert client.get("/monitor/gemeente/NL01/").status_code == 404
    assert client.get(f"/monitor/gemeente/{AMSTERDAM}/vergelijk/2019-99/").status_code == 404
    assert client.get("/monitor/gemeente/GM9999/vergelijk/2019-07/").status_code == 404
    assert client.get(f"/monitor/gemeente/{AMSTERDAM}/download/pdf").status_code == 404
    assert client.get("/monitor/download/secret.parquet").status_code == 404


def test_lower_case_code_redirects(results: Path) -> None:
    response = _client(Role.MONITOR_ANALYST).get("/monitor/gemeente/gm0363/")
    assert response.status_code == 302
    assert response["Location"] == f"/monitor/gemeente/{AMSTERDAM}/"


def test_compare_page(results: Path) -> None:
    response = _client(Role.POLICY_ADVISOR).get(f"/monitor/gemeente/{AMSTERDAM}/vergelijk/2019-07/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trechterdiagram" in html
    assert html.count('<tr class="utrecht-table__row') == 342 + 1  # header + municipalities
    assert 'id="municipalities"' in html and 'href="#municipalities"' in html


def test_navigation_has_the_monitor(results: Path) -> None:
    html = _client(Role.PROFESSIONAL).get("/").content.decode()
    assert 'href="/monitor/"' in html and ">Monitor<" in html


def test_missing_results_page(no_results: Path) -> None:
    response = _client(Role.POLICY_ADVISOR).get(f"/monitor/gemeente/{AMSTERDAM}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er zijn nog geen monitorresultaten" in html
    assert "kansrijk monitor run" in html and str(no_results) in html
    assert _client(Role.MONITOR_ANALYST).get("/monitor/").status_code == 200


def test_unreadable_results_page(tmp_path: Path, settings: object) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "results.parquet").write_bytes(b"not parquet")
    (broken / "manifest.json").write_text(json.dumps({"run_id": "x"}))
    settings.KANSRIJK_MONITOR_DIR = broken  # type: ignore[attr-defined]
    response = _client(Role.PROGRAMME_STAFF).get("/monitor/nationaal/")
    assert response.status_code == 503
    assert "kunnen niet worden getoond" in response.content.decode()


def test_specs_are_served_and_checked(results: Path) -> None:
    from kansrijk.web.monitor import store

    run_id = store.current().run_id
    base = f"/monitor/grafiek/{run_id}/nl"
    analyst = _client(Role.MONITOR_ANALYST)
    response = analyst.get(f"{base}/trend/2019-07/{AMSTERDAM}.json")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private, max-age=")
    spec = json.loads(response.content)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert "Amsterdam" in json.dumps(spec)
    gz = analyst.get(f"{base}/funnel/2019-07/{AMSTERDAM}.json", HTTP_ACCEPT_ENCODING="gzip")
    assert gz.status_code == 200 and gz["Content-Encoding"] == "gzip"
    map_spec = json.loads(analyst.get(f"{base}/map/2019-07/{AMSTERDAM}.json").content)
    assert "boundaries" not in map_spec.get("datasets", {})  # loaded once per page instead
    if maps.notice_of(map_spec) is None:  # classes centre on the national value, named so
        legend = json.dumps(map_spec)
        assert "(Nederland: " in legend and "(gemiddelde: " not in legend
    assert analyst.get(f"{base}/national/2019-07/NL01.json").status_code == 200
    assert analyst.get(f"{base}/breakdown/2019-07/NL01.json").status_code == 200
    advisor = _client(Role.POLICY_ADVISOR)
    assert advisor.get(f"{base}/national/2019-07/NL01.json").status_code == 403
    assert (
        advisor.get(f"/monitor/grafiek/0000/nl/trend/2019-07/{AMSTERDAM}.json").status_code == 404
    )
    assert advisor.get(f"{base}/trend/2019-07/PV27.json").status_code == 404
    assert advisor.get(f"{base}/pie/2019-07/{AMSTERDAM}.json").status_code == 404


def test_boundaries_and_script_bundle(results: Path) -> None:
    from kansrijk.web.monitor.specs import bundle_version

    client = _client(Role.POLICY_ADVISOR)
    features = json.loads(client.get("/monitor/grenzen/2023.json").content)
    assert len(features) == 342
    assert client.get("/monitor/grenzen/1999.json").status_code == 404
    script = Client().get(f"/monitor/vega-embed/{bundle_version()}.js")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("text/javascript")
    assert b"vegaEmbed" in script.content
    assert "immutable" in script["Cache-Control"]
    assert Client().get("/monitor/vega-embed/old.js").status_code == 302
