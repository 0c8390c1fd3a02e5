"""The web monitor: the published registry indicators per municipality and for the Netherlands.

Pages read one published monitor run (``KANSRIJK_MONITOR_DIR``, written by ``kansrijk monitor
run``) through `kansrijk.publication.Publication`, which checks the files against their
manifest and runs the gate's checks once when the run is loaded. Nothing is computed on page
load beyond dictionary lookups: page fragments, Vega-Lite specs and downloads are built once
per (run, municipality, language) and cached.
"""
