"""JSON bodies are taken at their word: a string field wants a JSON string, an integer field a
JSON integer, a boolean field true or false. DRF would turn 5 into "5", "7" into 7 and 1 into
true, so a client generated from the schema could send what the schema forbids and get away
with it. Query strings are text by nature and keep DRF's parsing."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers

_JSON_TYPES: dict[type[serializers.Field], tuple[type, ...]] = {
    serializers.CharField: (str,),
    serializers.IntegerField: (int,),
    serializers.BooleanField: (bool,),
}


def _from_json_body(field: serializers.Field) -> bool:
    root = field.root
    data = getattr(root, "initial_data", None)
    return data is not None and not isinstance(data, QueryDict)


def _strict(field_class: type[serializers.Field], allowed: tuple[type, ...]) -> None:
    lenient = field_class.to_internal_value

    def to_internal_value(self: serializers.Field, data: Any) -> Any:
        wrong = not isinstance(data, allowed) or (bool not in allowed and isinstance(data, bool))
        if wrong and _from_json_body(self):
            self.fail("invalid")
        return lenient(self, data)

    field_class.to_internal_value = to_internal_value  # type: ignore[method-assign]


def use_strict_json_types() -> None:
    """Called once, from CoreConfig.ready()."""
    for field_class, allowed in _JSON_TYPES.items():
        _strict(field_class, allowed)
