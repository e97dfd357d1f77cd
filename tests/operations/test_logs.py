import json
import logging

import pytest

from mpro.logs import ContextFilter, JsonFormatter, redact, request_id_var


def test_it_redacts_secrets_and_personal_data():
    line = redact(
        "login dora@acme.example password=hunter22 Authorization: Token mpro_abcdefghijklmnopqrstuvwxyz "
        "phone +45 30 12 34 56 support_password: s3cret!"
    )
    for secret in (
        "dora@acme.example",
        "hunter22",
        "mpro_abcdefghijklmnopqrstuvwxyz",
        "30 12 34 56",
        "s3cret!",
    ):
        assert secret not in line
    assert "[email]" in line and "[redacted]" in line


def test_it_writes_one_json_object_per_line_with_the_request_id():
    record = logging.LogRecord(
        "mpro.test", logging.WARNING, __file__, 1, "user %s failed", ("a@b.example",), None
    )
    token = request_id_var.set("req-12345678")
    try:
        ContextFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "WARNING" and line["logger"] == "mpro.test"
    assert line["message"] == "user [email] failed"


@pytest.mark.django_db
def test_it_gives_every_request_an_id_and_keeps_a_sane_one_from_the_caller(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789")["X-Request-ID"] == "lb-0123456789"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nx")["X-Request-ID"] != "bad id\nx"


def test_it_logs_the_request_id_on_every_line_of_a_request(client, caplog):
    caplog.handler.addFilter(ContextFilter())
    with caplog.at_level(logging.WARNING, logger="mpro.health"):
        client.get("/readyz", HTTP_X_REQUEST_ID="probe-00000001")  # no db fixture: database fails
    assert caplog.records
    assert all(r.request_id == "probe-00000001" for r in caplog.records)
