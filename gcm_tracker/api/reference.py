"""/api/docs/: the OpenAPI schema rendered on the server as a plain HTML reference, in the site's
own layout (its header leads back to the site). It needs no JavaScript and weighs a few dozen
kilobytes, where Swagger UI's bundle is about 1.5 MB; Swagger UI stays available, to try
requests, at /api/docs/interactive/.
"""

import functools
from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    description: str
    parameters: list[Parameter]
    request: str
    responses: list[tuple[str, str, str]]


@dataclass
class Property:
    name: str
    type: str
    required: bool
    read_only: bool
    description: str


@dataclass
class Schema:
    name: str
    description: str
    properties: list[Property] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict) -> str:
    """A short description of a schema's type: "string (uri)", "array of Citation", "Citation"."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for combiner in ("allOf", "oneOf", "anyOf"):
        if combiner in schema:
            return " or ".join(type_of(part) for part in schema[combiner])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    detail = schema.get("format")
    text = f"{kind} ({detail})" if detail else kind
    if "enum" in schema:
        text += ": " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
    return text + (", nullable" if schema.get("nullable") else "")


def _body_type(content: dict | None) -> str:
    if not content:
        return ""
    media = content.get("application/json") or next(iter(content.values()))
    return type_of(media.get("schema", {}))


def _operations(schema: dict) -> list[Operation]:
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=operation["operationId"],
                    description=operation.get("description", ""),
                    parameters=[
                        Parameter(
                            name=p["name"],
                            location=p["in"],
                            required=p.get("required", False),
                            type=type_of(p.get("schema", {})),
                            description=p.get("description", ""),
                        )
                        for p in operation.get("parameters", [])
                    ],
                    request=_body_type(operation.get("requestBody", {}).get("content")),
                    responses=[
                        (code, answer.get("description", ""), _body_type(answer.get("content")))
                        for code, answer in operation.get("responses", {}).items()
                    ],
                )
            )
    return operations


def _schemas(schema: dict) -> list[Schema]:
    schemas = []
    for name, body in schema["components"]["schemas"].items():
        required = set(body.get("required", []))
        schemas.append(
            Schema(
                name=name,
                description=body.get("description", ""),
                properties=[
                    Property(
                        name=prop_name,
                        type=type_of(prop),
                        required=prop_name in required,
                        read_only=prop.get("readOnly", False),
                        description=prop.get("description", ""),
                    )
                    for prop_name, prop in body.get("properties", {}).items()
                ],
                values=[str(v) for v in body.get("enum", []) if v not in ("", None)],
            )
        )
    return schemas


@functools.lru_cache(maxsize=8)
def reference(language: str) -> dict:
    """The reference in `language` (help texts are translated); the schema only changes with
    the code, so it is built once per language and process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        "info": schema["info"],
        "operations": _operations(schema),
        "schemas": _schemas(schema),
    }


@require_safe
def api_reference(request):
    return render(request, "api/reference.html", reference(get_language()))
