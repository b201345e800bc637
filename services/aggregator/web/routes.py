"""The view's routes on the aggregator's web server (faust over aiohttp): GET only, nothing changes state.

Every response carries a strict Content-Security-Policy: no script at all, styles and images
only from this server, forms only to it, no framing. Pages read the same documents and the
same query functions as the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib.resources import files
from typing import cast

import faust
from aiohttp import web as aioweb

from services.aggregator.query import QueryError
from services.aggregator.view import IncidentView
from services.aggregator.web.exports import incidents_csv, incidents_geojson, tolls_csv
from services.aggregator.web.pages import error_page, incident_page, index_page, toll_page

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STYLESHEET = files("services.aggregator.web").joinpath("static/view.css").read_bytes()
# faust mounts a JSON {"status": "OK"} page at "/" when its statistics pages are off; "/" is the view's.
_FAUST_INDEX = "faust.web.apps.production_index:blueprint"


def form_params(request: faust.web.Request) -> dict[str, str]:
    """The query string, with the fields a submitted form left empty taken as not given."""
    return {k: v for k, v in request.query.items() if v != ""}


def api_params(request: faust.web.Request) -> dict[str, str]:
    """The query string as the JSON API reads it (an empty ``country=`` is a bad country there)."""
    return dict(request.query.items())


def _html(web: faust.web.View, body: str, status: int = 200) -> faust.web.Response:
    headers = SECURITY_HEADERS | {"Cache-Control": "no-cache"}
    return web.html(body, status=status, headers=headers)


def _error(web: faust.web.View, status: int, title: str, message: str) -> faust.web.Response:
    return _html(web, error_page(status, title, message), status)


async def _stream(
    request: faust.web.Request, chunks: Iterator[str], content_type: str, filename: str
) -> faust.web.Response:
    """Send ``chunks`` as they come: an export is never held whole in memory."""
    response = aioweb.StreamResponse(
        headers=SECURITY_HEADERS | {"Content-Disposition": f'attachment; filename="{filename}"'}
    )
    response.content_type = content_type
    response.charset = "utf-8"
    await response.prepare(cast(aioweb.Request, request))
    for chunk in chunks:
        if chunk:
            await response.write(chunk.encode())
    await response.write_eof()
    return cast(faust.web.Response, response)


def _drop_faust_index(app: faust.App) -> None:
    blueprints = app.web.blueprints
    blueprints._enabled = [(prefix, bp) for prefix, bp in blueprints._enabled if bp != _FAUST_INDEX]


def install_view(app: faust.App, view: IncidentView) -> None:
    """Register the pages, the stylesheet and the exports."""
    _drop_faust_index(app)

    def page(web: faust.web.View, render: Callable[[], str]) -> faust.web.Response:
        try:
            return _html(web, render())
        except QueryError as exc:
            return _error(web, 400, "Bad request", str(exc))

    @app.page("/")
    async def index(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        params = form_params(request)
        return page(web, lambda: index_page(view.incidents.values(), view.tolls.values(), params))

    @app.page("/view/incidents/{incident_id}")
    async def incident(
        web: faust.web.View, request: faust.web.Request, incident_id: str
    ) -> faust.web.Response:
        doc = view.incidents.get(incident_id)
        if doc is None:
            return _error(web, 404, "Not found", f"no incident {incident_id[:80]!r}")
        return page(web, lambda: incident_page(doc))

    @app.page("/view/tolls/{toll_id}")
    async def toll(web: faust.web.View, request: faust.web.Request, toll_id: str) -> faust.web.Response:
        doc = view.tolls.get(toll_id)
        if doc is None:
            return _error(web, 404, "Not found", f"no running toll {toll_id[:80]!r}")
        return page(web, lambda: toll_page(doc))

    @app.page("/view/style.css")
    async def style(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        headers = SECURITY_HEADERS | {"Cache-Control": "max-age=300"}
        return web.bytes(STYLESHEET, content_type="text/css", headers=headers)

    async def export(
        web: faust.web.View,
        request: faust.web.Request,
        chunks_of: Callable[[Mapping[str, str]], Iterator[str]],
        content_type: str,
        filename: str,
    ) -> faust.web.Response:
        try:
            chunks = chunks_of(api_params(request))
        except QueryError as exc:
            # Exports are data endpoints: their 400 is the API's, JSON with the message.
            return web.json({"error": str(exc)}, status=400, headers=dict(SECURITY_HEADERS))
        return await _stream(request, chunks, content_type, filename)

    @app.page("/incidents.csv")
    async def incidents_csv_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        def chunks(params: Mapping[str, str]) -> Iterator[str]:
            return incidents_csv(view.incidents.values(), params)

        return await export(web, request, chunks, "text/csv", "wirecount-incidents.csv")

    @app.page("/incidents.geojson")
    async def incidents_geojson_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        def chunks(params: Mapping[str, str]) -> Iterator[str]:
            return incidents_geojson(view.incidents.values(), params)

        return await export(web, request, chunks, "application/geo+json", "wirecount-incidents.geojson")

    @app.page("/tolls.csv")
    async def tolls_csv_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        def chunks(params: Mapping[str, str]) -> Iterator[str]:
            return tolls_csv(view.tolls.values(), params)

        return await export(web, request, chunks, "text/csv", "wirecount-tolls.csv")
