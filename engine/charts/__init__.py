"""Every picture skillgraph draws, in one package: career maps, programme charts, audit charts.

Pictures are plain SVG text (fast enough to draw per web request, accessible: each has a
``<title>`` and ``<desc>`` and real text labels). :mod:`engine.charts.svg` holds the primitives
the chart modules share; the CLI writes the SVG to ``--plot FILE`` and the web app inlines it.
"""
