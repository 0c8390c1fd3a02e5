"""Vega-Lite specs to SVG, and the JavaScript that shows them on an offline HTML page.

Everything here works without a network: vl-convert embeds Vega, Vega-Lite and vega-embed (and
a JavaScript engine) in its Python wheel, so static rendering for the PDF reports and the
script bundle of the web pages both come from the installed package.

Fonts: vl-convert measures text with the fonts it finds on the system (fontdb), plus a vendored
Liberation Sans as its fallback for "sans-serif". The charts ask for "DejaVu Sans, sans-serif"
(`kansrijk.report.charts.FONT`); Debian's ``fonts-dejavu-core`` is registered explicitly here so
the measured text matches what WeasyPrint (through fontconfig) draws from the same SVG. The SVG
keeps text as ``<text>`` elements with that font-family, so it stays selectable and readable by
screen readers; the spec's ``description`` becomes the ``aria-label`` of the ``<svg>``.

Licences of the JavaScript bundle (`javascript_bundle`): Vega, Vega-Lite, vega-embed, vega-tooltip
and vega-themes are BSD-3-Clause (Copyright (c) the University of Washington Interactive Data
Lab); the bundled helpers are ISC (d3 modules, semver) or MIT (fast-json-patch,
json-stringify-pretty-compact, lodash.debounce). All are compatible with this project's EUPL-1.2.
vl-convert minifies the bundle without licence comments, so `javascript_bundle` prepends a
``/*! ... */`` notice naming them and their versions; serve the string unchanged to keep it.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

from kansrijk import program_cache

__all__ = [
    "BOUNDARIES_DATASET",
    "BOUNDARIES_GLOBAL",
    "boundaries_script",
    "embed_script",
    "javascript_bundle",
    "to_png",
    "to_svg",
    "vegalite_version",
]

#: Named dataset that shared-geometry map specs read (see `kansrijk.report.maps`).
BOUNDARIES_DATASET = "boundaries"
#: Global JavaScript variable holding the page's single copy of the boundary features.
BOUNDARIES_GLOBAL = "KANSRIJK_BOUNDARIES"

#: The bundle's entry point: a global ``vegaEmbed``. (vl-convert's default snippet also sets
#: ``window.vega`` and ``window.vegaLite``, but those come out null in its bundles; pages use
#: ``vegaEmbed`` only, and the view it resolves to for anything else.)
_GLOBALS_SNIPPET = "window.vegaEmbed = vegaEmbed;"

#: Directories of the fonts the charts use (Debian's fonts-dejavu-core).
FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"),)


@cache
def vegalite_version() -> str | None:
    """The Vega-Lite version vl-convert should compile with: the one Altair writes specs for
    (e.g. "6.4"), or None (vl-convert's newest) when vl-convert lacks that exact version."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else None


@cache
def _fonts() -> None:
    for directory in FONT_DIRECTORIES:
        if directory.is_dir():
            vlc.register_font_directory(str(directory))


def to_svg(spec: Mapping[str, Any]) -> str:
    """Render a Vega-Lite spec to an SVG string, offline (no data URLs are fetched).

    Vega puts a spec's ``description`` on the live view, not in exported SVG, so it is added
    here: ``<title>`` and ``<desc>`` elements and an ``aria-label`` on the
    root ``<svg>``, which screen readers announce for an inline SVG (the marks keep their own
    aria-labels)."""
    _fonts()
    svg: str = vlc.vegalite_to_svg(dict(spec), vl_version=vegalite_version(), allowed_base_urls=[])
    return _label_svg(svg, _title_text(spec), str(spec.get("description") or ""))


def _title_text(spec: Mapping[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    if isinstance(title, list):
        return " ".join(str(t) for t in title)
    return str(title or "")


def _label_svg(svg: str, title: str, description: str) -> str:
    """Insert <title>/<desc> after the root <svg ...> tag and an aria-label on it."""
    end = svg.find(">", svg.find("<svg"))
    if end < 0:
        return svg
    head, tail = svg[:end], svg[end + 1 :]
    parts = []
    if description:
        head += f' aria-label="{html.escape(description, quote=True)}"'
    if title:
        parts.append(f"<title>{html.escape(title, quote=False)}</title>")
    if description:
        parts.append(f"<desc>{html.escape(description, quote=False)}</desc>")
    return head + ">" + "".join(parts) + tail


def to_png(spec: Mapping[str, Any], scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec to PNG (``scale`` 2 gives about 144 dpi), offline."""
    _fonts()
    png: bytes = vlc.vegalite_to_png(
        dict(spec), vl_version=vegalite_version(), scale=scale, allowed_base_urls=[]
    )
    return png


@cache
def javascript_bundle() -> str:
    """The self-contained vega-embed bundle (Vega, Vega-Lite, vega-embed; ~0.9 MB). Serve it
    as a static file or include it in one ``<script>`` tag; it defines ``window.vegaEmbed``.
    Licences: see the module. Bundling takes 1-1.5 s, so the bundle is kept on disk
    (`kansrijk.program_cache`) for the next process, keyed by everything it is built from."""
    key = hashlib.sha256(
        "\n".join(
            [
                program_cache.library_versions("vl-convert-python"),
                vegalite_version() or "latest",
                _GLOBALS_SNIPPET,
            ]
        ).encode()
    ).hexdigest()[:16]
    name = f"vega-bundle-{key}.js"
    cached = program_cache.read_text(name)
    if cached is not None:
        return cached
    text = _build_bundle()
    program_cache.write_text(name, text)
    return text


def _build_bundle() -> str:
    bundle: str = vlc.javascript_bundle(_GLOBALS_SNIPPET, vl_version=vegalite_version())
    notice = (
        f"/*! Vega {vlc.get_vega_version()}, Vega-Lite {vegalite_version() or 'latest'}, "
        f"vega-embed {vlc.get_vega_embed_version()}, vega-tooltip, vega-themes: BSD-3-Clause, "
        "Copyright (c) University of Washington Interactive Data Lab. Bundled helpers: d3 "
        "modules and semver (ISC); fast-json-patch, json-stringify-pretty-compact and "
        "lodash.debounce (MIT). Bundled by vl-convert (BSD-3-Clause). */\n"
    )
    return notice + bundle


def _script_json(data: object) -> str:
    """JSON that is safe inside an HTML <script> element (no "</script>", no "<!--")."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def boundaries_script(features: list[dict[str, Any]]) -> str:
    """A ``<script>`` that sets the page's single copy of the municipal boundaries
    (`kansrijk.report.maps.boundary_features`) for maps built with ``inline_geometry=False``;
    include it once, before the maps' `embed_script` snippets."""
    return f"<script>window.{BOUNDARIES_GLOBAL} = {_script_json(features)};</script>"


def embed_script(div_id: str, spec: Mapping[str, Any], *, renderer: str = "svg") -> str:
    """A ``<script>`` that embeds ``spec`` in the element with id ``div_id`` via vega-embed.

    A map spec without its own boundaries gets the page's shared copy: the snippet sets
    ``spec.datasets.boundaries = window.KANSRIJK_BOUNDARIES`` before embedding. JavaScript
    assigns the array by reference, so every map on the page uses the same ~200 KB of
    features. The bundle (`javascript_bundle`) must be loaded before this snippet."""
    if not div_id.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"div id {div_id!r}: use letters, digits, '-' and '_' only")
    options = {"actions": False, "renderer": renderer}
    return (
        "<script>(function () {"
        f"var spec = {_script_json(dict(spec))};"
        f'var shared = window["{BOUNDARIES_GLOBAL}"];'
        "spec.datasets = spec.datasets || {};"
        f'if (!spec.datasets["{BOUNDARIES_DATASET}"] && shared) '
        f'{{ spec.datasets["{BOUNDARIES_DATASET}"] = shared; }}'
        f'vegaEmbed("#{div_id}", spec, {_script_json(options)});'
        "})();</script>"
    )
