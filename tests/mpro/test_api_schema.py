"""The OpenAPI schema tells the truth (issue 17, item 12): a response field read from a nullable model
field is declared nullable, and every operation declares the errors it answers, with the project's
error envelope. tests/test_schemathesis.py checks the same against real answers."""

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from mpro.raises import statuses_raised


@pytest.fixture(scope="module")
def generated():
    generator = SchemaGenerator()
    return generator, generator.get_schema(request=None, public=True)


def _source_is_nullable(model, source_attrs) -> tuple[bool, type | None]:
    """Whether reading `a.b.c` from `model` can give None, and the model the path ends on."""
    nullable = False
    for attr in source_attrs:
        try:
            field = model._meta.get_field(attr)
        except (AttributeError, LookupError, FieldDoesNotExist):
            return False, None
        if field.one_to_many or field.many_to_many:
            return False, None  # a list: empty, never null
        nullable = nullable or field.null or (field.one_to_one and field.auto_created)
        model = field.related_model if field.is_relation else None
    return nullable, model


def _lies(serializer, model, component: dict, name: str) -> list[str]:
    found = []
    for field_name, field in serializer.fields.items():
        if field.write_only or field.source == "*" or isinstance(field, serializers.SerializerMethodField):
            continue
        nullable, target = _source_is_nullable(model, field.source_attrs) if model else (False, None)
        declared = component.get("properties", {}).get(field_name, {})
        if nullable and not declared.get("nullable"):
            found.append(f"{name}.{field_name} (source {field.source})")
        nested = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(nested, serializers.Serializer) and not isinstance(nested, serializers.ModelSerializer):
            # A plain serializer over a related object (`source="user"`): its fields read that model.
            found += _nested_lies(nested, target, declared, name, field_name)
    return found


def _nested_lies(nested, target, declared, name, field_name):
    if target is None:
        return []
    ref = declared.get("$ref") or next((s["$ref"] for s in declared.get("allOf", []) if "$ref" in s), None)
    return ref and _lies(nested, target, _components[ref.rsplit("/", 1)[-1]], f"{name}.{field_name}") or []


_components: dict = {}


def test_every_response_field_read_from_a_nullable_model_field_is_declared_nullable(generated):
    generator, schema = generated
    _components.update(schema["components"]["schemas"])
    lies = []
    for component in generator.registry._components.values():
        serializer = component.object
        if component.type != "schemas" or not isinstance(serializer, serializers.Serializer):
            continue
        if component.name.endswith("Request") or component.name.startswith("Paginated"):
            continue  # what callers send is not a lie; a page's items are checked as their own component
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        lies += _lies(serializer, model, _components[component.name], component.name)
    assert sorted(set(lies)) == []


def test_every_operation_declares_its_errors_with_the_error_envelope(generated):
    _generator, schema = generated
    undeclared = []
    count = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            count += 1
            responses = operation["responses"]
            has_path = any(p["in"] == "path" for p in operation.get("parameters", ()))
            expected = {"401", "403", "429"} | ({"404", "400"} if has_path else set())
            if "requestBody" in operation:
                expected.add("400")
            for status in sorted(expected - set(responses)):
                undeclared.append(f"{method.upper()} {path}: {status}")
            for status, response in responses.items():
                if int(status) >= 400 and not response.get("content", {}).get("application/json"):
                    undeclared.append(f"{method.upper()} {path}: {status} has no body")
    assert count > 100
    assert undeclared == []


def test_a_conflict_a_service_raises_is_found_in_the_code():
    """409s are read from the code: the order endpoint's `already_subscribed` comes from the ordering
    service, two calls away from the view, and deleting a van with a live subscription from the
    vehicles service."""
    from packs.api import OrderListView
    from vehicles.api import VehicleDetail

    assert 409 in statuses_raised(OrderListView, "post")
    assert 409 in statuses_raised(VehicleDetail, "delete")
    assert 409 not in statuses_raised(VehicleDetail, "get")


def test_the_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
