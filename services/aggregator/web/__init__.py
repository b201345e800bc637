"""The analyst's view: HTML pages and exports over the same query layer the JSON API serves.

``pages`` renders (Jinja2, autoescaped), ``exports`` streams CSV and GeoJSON, ``chart`` draws
a toll's history as SVG on the server, ``reports`` reads report fields defensively (the
incidents topic is open to anyone) and ``routes`` is the only module that knows faust.
"""
