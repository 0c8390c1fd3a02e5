"""Offline rendering: SVG with the report font and an accessible label, the embed bundle."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kansrijk.report import render
from kansrijk.report.charts import FONT


def small_spec(**extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": "Kleine grafiek", "subtitle": ["ondertitel"]},
        "description": 'Twee staven: a is 1,5 en b is 2 <script>"',
        "data": {"values": [{"k": "a", "v": 1.5}, {"k": "b", "v": 2}]},
        "mark": "bar",
        "encoding": {"x": {"field": "v", "type": "quantitative"}, "y": {"field": "k"}},
        "config": {"font": FONT},
    }
    spec.update(extra)
    return spec


def test_svg_has_marks_font_and_accessible_label() -> None:
    svg = render.to_svg(small_spec())
    root = svg.split(">", 1)[0]
    assert root.startswith("<svg")
    assert 'aria-label="Twee staven: a is 1,5 en b is 2 &lt;script&gt;&quot;"' in root
    assert "<title>Kleine grafiek</title>" in svg
    assert "<desc>" in svg and "<script>" not in svg
    bars = [d for d in re.findall(r'<path[^>]* d="([^"]*)"', svg) if d.strip()]
    assert len(bars) >= 2
    fonts = set(re.findall(r'font-family="([^"]*)"', svg))
    assert fonts == {FONT}


def test_text_is_measured_with_dejavu_sans() -> None:
    """A long title makes the SVG as wide as the title measured in the font vl-convert found;
    DejaVu Sans is wider than the vendored Liberation Sans fallback."""
    title = "W" * 60
    widths = {}
    for font in (FONT, "Liberation Sans"):
        svg = render.to_svg(small_spec(title=title, config={"font": font}))
        match = re.search(r'<svg[^>]* width="([\d.]+)"', svg)
        assert match is not None
        widths[font] = float(match.group(1))
    assert widths[FONT] > widths["Liberation Sans"] * 1.05


def test_rendering_is_offline() -> None:
    spec = small_spec(data={"url": "https://example.com/data.json"})
    with pytest.raises(ValueError, match="not allowed"):
        render.to_svg(spec)


def test_png() -> None:
    png = render.to_png(small_spec(), scale=1)
    assert png.startswith(b"\x89PNG")


def test_vegalite_version_matches_altair() -> None:
    import altair as alt

    version = render.vegalite_version()
    assert version is None or alt.SCHEMA_VERSION.startswith(f"v{version}.")


def test_javascript_bundle_is_cached_and_attributed() -> None:
    bundle = render.javascript_bundle()
    assert render.javascript_bundle() is bundle
    assert bundle.startswith("/*! Vega ")
    assert "BSD-3-Clause" in bundle.split("*/", 1)[0]
    assert "window.vegaEmbed" in bundle
    assert len(bundle) > 300_000
    assert "https://cdn" not in bundle.split("*/", 1)[0]


def test_javascript_bundle_is_kept_on_disk_for_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = render.javascript_bundle()
    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(tmp_path / "cache"))
    render.javascript_bundle.cache_clear()  # a new process
    try:
        assert render.javascript_bundle() == fresh
        (kept,) = (tmp_path / "cache").iterdir()
        assert kept.name.startswith("vega-bundle-") and kept.read_text() == fresh
        kept.write_text("/*! marker */")  # the next process reads the file, not vl-convert
        render.javascript_bundle.cache_clear()
        assert render.javascript_bundle() == "/*! marker */"
        # A cache that cannot be written costs the bundling, nothing else.
        blocker = tmp_path / "file"
        blocker.write_text("")
        monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(blocker / "cache"))
        render.javascript_bundle.cache_clear()
        assert render.javascript_bundle() == fresh
    finally:
        render.javascript_bundle.cache_clear()


def test_embed_script_escapes_and_shares_boundaries() -> None:
    spec = small_spec()
    spec["description"] = "</script><script>alert(1)</script>"
    script = render.embed_script("chart-1", spec)
    assert script.startswith("<script>") and script.endswith("</script>")
    assert script.count("</script>") == 1
    assert 'vegaEmbed("#chart-1"' in script
    assert f'window["{render.BOUNDARIES_GLOBAL}"]' in script
    assert f'spec.datasets["{render.BOUNDARIES_DATASET}"] = shared' in script
    payload = script[script.index("var spec = ") + 11 : script.index(";var shared")]
    assert json.loads(payload)["description"] == spec["description"]
    with pytest.raises(ValueError, match="div id"):
        render.embed_script('x"); alert(1); ("', spec)


def test_boundaries_script() -> None:
    features = [{"type": "Feature", "properties": {"statnaam": "<b>&"}, "geometry": None}]
    script = render.boundaries_script(features)
    assert script.startswith(f"<script>window.{render.BOUNDARIES_GLOBAL} = [")
    assert "<b>" not in script
    payload = script[script.index("= ") + 2 : script.rindex(";</script>")]
    assert json.loads(payload) == features


#: Just enough of a browser for vega-embed with renderer "none": every DOM call returns a stub.
FAKE_DOM = """
function fake() {
  const target = function () {};
  return new Proxy(target, {
    get(t, k) {
      if (k === Symbol.toPrimitive) return () => '';
      if (k === 'length') return 0;
      if (k === 'then') return undefined;
      return k in t ? t[k] : fake();
    },
    set(t, k, v) { t[k] = v; return true; },
    apply() { return fake(); },
    construct() { return fake(); },
  });
}
globalThis.window = globalThis; globalThis.self = globalThis;
globalThis.document = fake(); globalThis.navigator = {userAgent: 'node'};
document.querySelector = () => fake();
document.getElementById = () => null;
"""

CHECK = """
var realEmbed = window.vegaEmbed, embedded = [];
window.vegaEmbed = function (sel, spec, opts) {
  embedded.push([spec, realEmbed(sel, spec, Object.assign({}, opts, {defaultStyle: false}))]);
};
"""

REPORT = """
(async function () {
  const specs = embedded.map(e => e[0]);
  const out = {shared: specs.every(s => s.datasets.boundaries === window.KANSRIJK_BOUNDARIES)};
  out.svgs = [];
  for (const [, promise] of embedded) out.svgs.push(await (await promise).view.toSVG());
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the bundle")
def test_maps_share_one_copy_of_the_boundaries_in_vega_embed(tmp_path: Path) -> None:
    """The page-level approach, run by the real vega-embed of the bundle (in node, with a
    stub DOM): two maps without inline geometry, one `boundaries_script`, two `embed_script`."""
    from kansrijk import geo
    from kansrijk.indicators import indicator
    from kansrijk.publication import Cell
    from kansrijk.report import maps

    d = indicator("2019-07", 2021)
    codes = sorted(m.code for m in geo.municipalities(2023))
    cells = [
        Cell("2019-07", 2020, 2020, "gemeente", code, "total", "total",
             50, 500, 10.0 + i % 7, 8.0, 12.0, "%", False)
        for i, code in enumerate(codes[:300])
    ] + [
        Cell("2019-07", 2020, 2020, "gemeente", code, "total", "total",
             None, None, None, None, None, "%", True)
        for code in codes[300:320]
    ]  # fmt: skip
    specs = [
        maps.choropleth(cells, d, 2023, "nl", inline_geometry=False),
        maps.choropleth(cells, d, 2023, "en", highlight="GM0363", inline_geometry=False),
    ]

    def body(script: str) -> str:
        return script.removeprefix("<script>").removesuffix("</script>")

    page = [
        FAKE_DOM,
        render.javascript_bundle(),
        CHECK,
        body(render.boundaries_script(maps.boundary_features(2023))),
        *(body(render.embed_script(f"map-{i}", s, renderer="none")) for i, s in enumerate(specs)),
        REPORT,
    ]
    script = tmp_path / "page.js"
    script.write_text("\n".join(page), encoding="utf-8")
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, str(script)], check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["shared"] is True
    for svg, hidden in zip(out["svgs"], ("verborgen (privacy)", "hidden (privacy)"), strict=True):
        assert svg.count("<path") >= len(codes)
        assert hidden in svg
