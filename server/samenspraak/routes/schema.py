"""Completes the generated OpenAPI document with what Litestar cannot infer from our types."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar._openapi.plugin import OpenAPIPlugin  # no public way to reach the built document

from .. import model as m

# Every /api route may answer these (docs/protocol.md, "Errors"); the body is Litestar's shape.
ERRORS = {
    "400": "malformed or invalid body or parameters (invalid_body)",
    "401": "not authenticated",
    "403": "not allowed, or CSRF token missing",
    "404": "unknown id, or not of your organisation",
    "409": "wrong state for this action",
    "413": "body too large",
    "415": "a body must be sent as application/json",
    "422": "well-formed but not a valid value or definition",
    "429": "too many requests (see Retry-After)",
    "503": "the database cannot take writes now (see Retry-After)",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["status_code", "detail"],
    "properties": {
        "status_code": {"type": "integer"},
        "detail": {"type": "string"},
        "extra": {"type": "object", "properties": {"code": {"type": "string"}}},
    },
}


def _closed_structs() -> set[str]:
    """Names of request Structs that refuse unknown fields."""
    return {
        name
        for name, value in vars(m).items()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and value.__struct_config__.forbid_unknown_fields
    }


def complete(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for name in _closed_structs():
        if name in components:
            components[name]["additionalProperties"] = False
    for path, item in schema.get("paths", {}).items():
        if path.endswith("/qr.svg") and "get" in item:
            ok = item["get"]["responses"].get("200", {})
            ok.setdefault("content", {})["image/png"] = {
                "schema": {"type": "string", "format": "binary"}
            }
        if not path.startswith("/api/"):
            continue
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERRORS.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )


_PARAM_TYPE = re.compile(r"\{(\w+):[^}]+\}")


def options_answer(request: Request[Any, Any, Any]) -> Response[None]:
    """Litestar's automatic OPTIONS answer lists the methods of one handler only when several
    handlers share a path (GET and POST on /api/sessions); the OpenAPI document knows them all."""
    template = _PARAM_TYPE.sub(r"{\1}", str(request.scope.get("path_template", "")))
    paths = request.app.plugins.get(OpenAPIPlugin).provide_openapi_schema().get("paths", {})
    item = paths.get(template) or paths.get(template.rstrip("/")) or {}
    methods = {m.upper() for m in item if m in {"get", "post", "put", "patch", "delete"}}
    return Response(
        None, status_code=204, headers={"Allow": ", ".join(sorted(methods | {"OPTIONS"}))}
    )
