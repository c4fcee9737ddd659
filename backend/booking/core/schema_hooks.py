"""drf-spectacular postprocessing: allauth's headless spec merged in, and OpenAPI links."""

from __future__ import annotations

import re
from typing import Any

ALLAUTH_PREFIX = "Allauth"
_METHODS = ("get", "put", "patch", "delete", "post")
_PARAM = re.compile(r"^\{(\w+)\}")
# allauth features we leave off (booking.accounts.throttle answers them 404).
_DISABLED = re.compile(r"/v1/(?:account/phone|auth/phone/|auth/code/|auth/reauthenticate/code/)")


def add_allauth_paths(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """One schema for everything: allauth's account endpoints beside ours.

    Its component names get an `Allauth` prefix so they cannot collide with ours; its
    endpoints keep allauth's own error shape (`{"status", "errors": [...]}`), as documented.
    """
    from allauth.headless.spec.internal.schema import get_schema

    spec = _fixed_user_id(_prefixed(get_schema()))
    spec["paths"] = {
        path: item for path, item in spec["paths"].items() if not _DISABLED.search(path)
    }
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            if "operationId" not in operation:
                words = re.sub(r"[^a-z0-9]+", "_", path.lower().removeprefix("/api/_allauth/"))
                operation["operationId"] = f"allauth_{words.strip('_')}_{method}"
            _complete_responses(method, operation)
    result["paths"].update(spec["paths"])
    components = result.setdefault("components", {})
    for kind, entries in spec.get("components", {}).items():
        components.setdefault(kind, {}).update(entries)
    result.setdefault("tags", []).extend(spec.get("tags", []))
    return result


def _complete_responses(method: str, operation: dict[str, Any]) -> None:
    """The answers allauth's spec leaves out but its endpoints give here, in its own shapes
    (booking.accounts.throttle and .headless_edge make sure of the shapes)."""
    responses = operation["responses"]
    # an unknown client; the app client's token of a session that has ended; throttled
    added = {"404": "NotFound", "410": "SessionGone", "429": "TooManyRequests"}
    if "requestBody" in operation:
        added["400"] = "Error"  # a body that is not a JSON object
    if method != "get":
        added["403"] = "Forbidden"  # the browser client's CSRF check
    if "security" in operation:
        added["401"] = "Unauthenticated"  # signed out, or a token without a session
    for status, name in added.items():
        responses.setdefault(status, {"$ref": f"#/components/responses/{ALLAUTH_PREFIX}{name}"})
    operation["responses"] = dict(sorted(responses.items()))


EXAMPLE_USER_ID = "3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b"


def _fixed_user_id(spec: dict[str, Any]) -> dict[str, Any]:
    """allauth draws a new random UUID for the user id in its examples on every call; one fixed
    id keeps the schema, and the web app's client generated from it, the same on every export."""
    schemas = spec.get("components", {}).get("schemas", {})
    drawn = schemas.get(f"{ALLAUTH_PREFIX}User", {}).get("properties", {}).get("id", {})
    example = drawn.get("example") if isinstance(drawn, dict) else None
    return _replace_value(spec, example, EXAMPLE_USER_ID) if isinstance(example, str) else spec


def _replace_value(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {key: _replace_value(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_value(item, old, new) for item in node]
    return new if node == old else node


def _prefixed(spec: dict[str, Any]) -> dict[str, Any]:
    components = spec.get("components", {})
    spec["components"] = {
        kind: {ALLAUTH_PREFIX + name: value for name, value in entries.items()}
        for kind, entries in components.items()
    }
    return _rewrite_refs(spec)


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                kind, name = value.removeprefix("#/components/").split("/", 1)
                value = f"#/components/{kind}/{ALLAUTH_PREFIX}{name}"
            elif key == "security" and isinstance(value, list):
                value = [{ALLAUTH_PREFIX + k: v for k, v in item.items()} for item in value]
            out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def add_links(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Create → read/change/cancel: each 201 links to the operations under the new object's path.

    Schemathesis follows these links for stateful tests, and client generators document them.
    """
    paths = result["paths"]
    for path, item in paths.items():
        created = item.get("post", {}).get("responses", {}).get("201")
        if not created or not _has_id(created):
            continue
        links = {}
        for child, child_item in paths.items():
            match = _PARAM.match(child.removeprefix(path + "/"))
            if not child.startswith(path + "/") or not match:
                continue
            for method in _METHODS:
                if operation := child_item.get(method):
                    links[operation["operationId"]] = _link(operation, match.group(1), path)
        if links:
            created["links"] = links
    return result


def _has_id(response: dict[str, Any]) -> bool:
    return "application/json" in response.get("content", {})


def _link(operation: dict[str, Any], new_param: str, parent: str) -> dict[str, Any]:
    parameters = {new_param: "$response.body#/id"}
    for name in re.findall(r"\{(\w+)\}", parent):
        parameters[name] = f"$request.path.{name}"
    return {"operationId": operation["operationId"], "parameters": parameters}


def name_enum_values(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Identifiers for enum values that generators would otherwise give one name.

    Client generators turn each enum value into an identifier by dropping punctuation, so the
    time zones `GMT+0`, `GMT-0` and `GMT0` all became `GMT0` (openapi-python-client refused the
    schema). `x-enum-varnames`, which generators read, spells the signs out.
    """
    for schema in result.get("components", {}).get("schemas", {}).values():
        values = schema.get("enum")
        if schema.get("type") != "string" or not values:
            continue
        plain = [_identifier(value) for value in values]
        if len(set(plain)) < len(plain):
            schema["x-enum-varnames"] = [_identifier(value, signs=True) for value in values]
    return result


def _identifier(value: str, *, signs: bool = False) -> str:
    if signs:
        value = re.sub(r"-(?=[0-9])", "_MINUS_", value.replace("+", "_PLUS_"))
    name = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper()
    return name if name[:1].isalpha() else f"VALUE_{name}"
