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
        never_null = getattr(model._default_manager, "never_null", ())
        nullable = (
            nullable or (field.null and attr not in never_null) or (field.one_to_one and field.auto_created)
        )
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
    service, two calls away from the view, deleting a van with a live subscription from the vehicles
    service, and a dealer adding a van another company holds from the ConflictError a helper of the
    vehicles service builds and returns for `vehicle_add` to raise."""
    from packs.api import OrderListView
    from retail.api.vehicles import VehicleListView
    from vehicles.api import VehicleDetail

    assert 409 in statuses_raised(OrderListView, "post")
    assert 409 in statuses_raised(VehicleListView, "post")
    assert 409 in statuses_raised(VehicleDetail, "delete")
    assert 409 not in statuses_raised(VehicleDetail, "get")


def test_the_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


# --- regressions of what schemathesis found, through the API client ------------------------------
@pytest.fixture
def served_schema(anon_api):
    return anon_api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/jobs/-1", "/api/v1/vehicles/imports/-5", "/api/v1/nothing-here"])
def test_an_api_url_no_route_matches_answers_the_json_404(api, alice, url):
    """Negative ids never match `<int:…>`: Django answered its HTML page to API clients."""
    response = api(alice).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.django_db
def test_a_page_url_no_route_matches_still_answers_the_html_page(login, alice):
    response = login(alice).get("/vehicles/nothing-here/at-all")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/v1/jobs", "/api/v1/jobs"),
        ("/api/v1/trips", "/api/v1/trips"),
        ("/api/v1/vehicles/{vin}/commands", "/api/v1/vehicles/W1V9076331P100001/commands"),
    ],
)
def test_lists_paged_by_hand_are_declared_as_cursor_pages(served_schema, api, alice, van, path, url):
    """These views paginate in their own code; the schema said they answer a bare array."""
    operation = served_schema["paths"][path]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = served_schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"next", "previous", "results"} <= set(page["properties"])
    assert {"cursor", "page_size"} <= {p["name"] for p in operation["parameters"]}
    body = api(alice).get(url).json()
    assert set(body) == {"next", "previous", "results"}


@pytest.mark.django_db
def test_retail_members_answer_null_birth_date_and_verified_at_as_the_schema_says(
    served_schema, api, company, alice, fred, sam
):
    from retail import services as retail

    fred.birth_date = None
    fred.save()
    retail.attestation_open(staff=sam, company=company, identity_checked=True)
    results = api(sam.user).get(f"/api/v1/retail/companies/{company.pro_id}/members").json()["results"]
    fred_row = next(row for row in results if row["email"] == fred.email)
    assert fred_row["birth_date"] is None
    assert fred_row["verification"]["verified_at"] is None
    schemas = served_schema["components"]["schemas"]
    assert schemas["RetailMember"]["properties"]["birth_date"]["nullable"] is True
    assert schemas["RetailVerification"]["properties"]["verified_at"]["nullable"] is True
