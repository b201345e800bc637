"""OpenAPI 3 description of the aggregator's read-only HTTP API (served at /openapi.json)."""

from __future__ import annotations

from typing import Any

from services.aggregator.query import GROUP_BY_PATTERN, GROUPS, MAX_LIMIT
from shared.vocabulary import KINDS, VICTIMS


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


_FILTERS = [
    _param("country", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "ISO 3166 two-letter country code"),
    _param("place_id", {"type": "integer", "minimum": 1, "maximum": 2**31}, "GeoNames id of the place"),
    _param("place", {"type": "string", "maxLength": 200}, "English place name, case-insensitive"),
    _param("kind", {"type": "string", "enum": list(KINDS)}, "kind of casualty"),
    _param("victims", {"type": "string", "enum": list(VICTIMS)}, "who the figure is about"),
    _param("actor", {"type": "string", "maxLength": 200}, "who caused it, case-insensitive"),
    _param("since", {"type": "string", "format": "date"}, "event date on or after (YYYY-MM-DD)"),
    _param("until", {"type": "string", "format": "date"}, "event date on or before (YYYY-MM-DD)"),
    _param("min_sources", {"type": "integer", "minimum": 1, "maximum": 10000}, "distinct outlets at least"),
]
_ERROR = {
    "description": "invalid parameter",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


_HXL = _param("hxl", {"type": "string", "enum": ["0", "1"]}, "1: add the HXL hashtag row under the header")


def _export(
    summary: str, parameters: list[dict[str, Any]], media: str, schema: dict[str, Any]
) -> dict[str, Any]:
    """An export: every matching row, streamed (no paging); the README lists its columns."""
    ok = {"description": "OK", "content": {media: {"schema": schema}}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": {"200": ok, "400": _ERROR}}}


_EXPORTS = {
    "/incidents.csv": _export(
        "Every matching incident as CSV, one row each", [*_FILTERS, _HXL], "text/csv", {"type": "string"}
    ),
    "/incidents.geojson": _export(
        "Every matching incident as an RFC 7946 FeatureCollection of points",
        list(_FILTERS),
        "application/geo+json",
        {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array"},
            },
        },
    ),
    "/tolls.csv": _export(
        "Every matching running toll's history as CSV, one row per report",
        [_FILTERS[0], _FILTERS[2], _FILTERS[3], _HXL],
        "text/csv",
        {"type": "string"},
    ),
}


OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "wirecount aggregator", "version": "1", "description": "Incidents, tolls and totals."},
    "paths": {
        "/incidents": {
            "get": {
                "summary": "Incidents, newest first",
                "parameters": [
                    *_FILTERS,
                    _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "page size"),
                    _param("offset", {"type": "integer", "minimum": 0, "maximum": 10_000_000}, "page start"),
                ],
                "responses": {
                    "200": _ok(
                        {
                            "type": "object",
                            "required": ["incidents", "total", "limit", "offset"],
                            "properties": {
                                "incidents": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Incident"},
                                },
                                "total": {"type": "integer"},
                                "limit": {"type": "integer"},
                                "offset": {"type": "integer"},
                            },
                        }
                    ),
                    "400": _ERROR,
                },
            }
        },
        "/incidents/{incident_id}": {
            "get": {
                "summary": "One incident with every report, source and evidence span",
                "parameters": [
                    {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": _ok({"$ref": "#/components/schemas/Incident"}),
                    "404": {
                        "description": "no such incident",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
        },
        "/totals": {
            "get": {
                "summary": "Sums of incident estimates, grouped",
                "parameters": [
                    *_FILTERS,
                    _param(
                        "group_by",
                        {"type": "string", "pattern": GROUP_BY_PATTERN},
                        "comma-separated, from: " + ", ".join(GROUPS),
                    ),
                ],
                "responses": {
                    "200": _ok(
                        {
                            "type": "object",
                            "required": ["group_by", "totals"],
                            "properties": {
                                "group_by": {"type": "array", "items": {"type": "string"}},
                                "totals": {"type": "array", "items": {"type": "object"}},
                            },
                        }
                    ),
                    "400": _ERROR,
                },
            }
        },
        **_EXPORTS,
        "/tolls": {
            "get": {
                "summary": "Running tolls: latest value and history",
                "parameters": [
                    _FILTERS[0],
                    _FILTERS[2],
                    _FILTERS[3],
                ],
                "responses": {
                    "200": _ok(
                        {
                            "type": "object",
                            "required": ["tolls", "total"],
                            "properties": {
                                "tolls": {"type": "array", "items": {"type": "object"}},
                                "total": {"type": "integer"},
                            },
                        }
                    ),
                    "400": _ERROR,
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Incident": {
                "type": "object",
                "required": ["id", "kind", "victims", "best", "low", "high", "sources"],
                "properties": {
                    "id": {"type": "string"},
                    "kind": {"type": "string", "enum": list(KINDS)},
                    "victims": {"type": "string", "enum": list(VICTIMS)},
                    "place": {"type": "string", "nullable": True},
                    "place_id": {"type": "integer", "nullable": True},
                    "country": {"type": "string", "nullable": True},
                    "actor": {"type": "string", "nullable": True},
                    "event_date": {"type": "string"},
                    "best": {"type": "integer"},
                    "low": {"type": "integer"},
                    "high": {"type": "integer"},
                    "sources": {"type": "integer"},
                    "sites": {"type": "array", "items": {"type": "string"}},
                    "breakdown": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "first_reported": {"type": "string", "nullable": True},
                    "last_reported": {"type": "string", "nullable": True},
                },
            },
        }
    },
}
