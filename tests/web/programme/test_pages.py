"""The programme indicators page, downloads and the staff's recompute action."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kansrijk.programme import compute_programme, publish_programme
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.programme import services
from tests.unit.programme.fixtures import year_facts
from tests.web import factories as f

pytestmark = pytest.mark.django_db
URL = "/programme/"


def _publish() -> Path:
    out = services.results_dir()
    publish_programme(compute_programme([year_facts(2020), year_facts(2021)]), out)
    return out


def _professional() -> Client:
    org = f.organisation(type=OrganisationType.MIDWIFERY)
    return f.signed_in(f.user(role=Role.PROFESSIONAL, org=org))


def _staff() -> Client:
    return f.signed_in(f.user(role=Role.PROGRAMME_STAFF, org=f.organisation()))


class _Outline(HTMLParser):
    """Headings in order, tables with their captions and header scopes, SVG titles."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.svgs: list[dict[str, str | None]] = []
        self.svg_titles = 0
        self.svg_descs = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.th_without_scope += tag == "th" and "scope" not in dict(attrs)
        if tag == "svg":
            self.svgs.append(dict(attrs))
        self.svg_titles += tag == "title" and bool(self.svgs)
        self.svg_descs += tag == "desc"
        self.scripts += tag == "script"


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Client().get(reverse("programme:download", args=["csv"])).status_code == 302


def test_nothing_published_yet() -> None:
    page = _professional().get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "have not been published yet" in html or "nog niet gepubliceerd" in html
    assert reverse("programme:recompute") not in html  # no button for professionals
    assert _outline(html).headings == [1]


def test_page_shows_every_indicator_accessibly() -> None:
    _publish()
    client = _professional()
    client.cookies["django_language"] = "en"
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    outline = _outline(html)
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False))
    assert outline.tables == outline.captions == 7
    assert outline.th_without_scope == 0
    assert len(outline.svgs) == 7 and outline.svg_titles == 7 and outline.svg_descs == 7
    assert all(s.get("role") == "img" and s.get("aria-labelledby") for s in outline.svgs)
    assert outline.scripts == 0
    for title in (
        "Municipalities with a local or regional coalition for the first 1000 days",
        "JGZ organisations offering CenteringOuderschap",
        "Midwifery practices trained in CenteringZwangerschap",
    ):
        assert title in html
    # Indicator 1 in 2021 (fixture): 2 of 6 Impuls (33%), 2 of 4 answering (50%), 2 unknown
    section = html.split('id="indicator-1"')[1].split('id="indicator-2"')[0]
    assert "33%" in section and "50%" in section
    assert "Unknown: no answer (n)" in section
    assert (
        "The questionnaire's reference date" in section
        or "questionnaire&#x27;s reference date" in section
    )
    assert reverse("programme:download", args=["csv"]) in html
    assert reverse("programme:download", args=["xlsx"]) in html


def test_dutch_titles_come_from_the_definitions() -> None:
    _publish()
    client = _professional()
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl"' in html
    assert "JGZ-organisaties die CenteringOuderschap aanbieden" in html
    assert "Aantal verloskundigenpraktijken" in html  # RIVM's Dutch numerator text


def test_downloads() -> None:
    # Streaming bodies are read to the end: that closes the file, and the test client closes
    # the response without closing the database connection (response.close() would).
    out = _publish()
    client = _professional()
    csv = client.get(reverse("programme:download", args=["csv"]))
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert "attachment" in csv["Content-Disposition"]
    assert b"".join(csv.streaming_content) == (out / "results.csv").read_bytes()  # type: ignore[attr-defined]
    xlsx = client.get(reverse("programme:download", args=["xlsx"]))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    assert b"".join(xlsx.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
    assert client.get(reverse("programme:download", args=["parquet"])).status_code == 404
    assert client.get(reverse("programme:download", args=["..%2Fsecret_key"])).status_code == 404


def test_download_before_publication_is_404() -> None:
    assert _professional().get(reverse("programme:download", args=["csv"])).status_code == 404


def test_the_page_shows_when_the_gate_published() -> None:
    _publish()
    html = _professional().get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Published on" in html


def test_a_changed_publication_is_neither_shown_nor_served() -> None:
    out = _publish()
    csv = out / "results.csv"
    csv.write_bytes(csv.read_bytes() + b"GM0001,forged\n")
    client = _professional()
    assert client.get(reverse("programme:download", args=["csv"])).status_code == 404
    parquet = out / "results.parquet"
    parquet.write_bytes(parquet.read_bytes() + b"\0")
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "have not been published yet" in html
    assert client.get(reverse("programme:download", args=["xlsx"])).status_code == 404


def test_professional_cannot_recompute() -> None:
    response = _professional().post(reverse("programme:recompute"))
    assert response.status_code == 403
    assert services.load_published() is None


def test_recompute_is_post_only() -> None:
    assert _staff().get(reverse("programme:recompute")).status_code == 405


def test_staff_recompute_publishes_from_the_database() -> None:
    client = _staff()
    page = client.get(URL).content.decode()
    assert reverse("programme:recompute") in page  # the button
    response = client.post(reverse("programme:recompute"), follow=True)
    assert response.status_code == 200
    assert services.load_published() is not None  # an empty database: no rows, but published
    manifest = services.load_manifest()
    assert manifest is not None and manifest["years"] == [2019, 2020, 2021]
    assert "recomputed" in response.content.decode() or "opnieuw" in response.content.decode()


def test_recompute_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise LookupError("no questionnaire edition 2019")

    monkeypatch.setattr(services, "publish_programme_indicators", broken)
    response = _staff().post(reverse("programme:recompute"), follow=True)
    assert response.status_code == 200
    assert "no questionnaire edition 2019" in response.content.decode()
