"""Where logs and error reports go: the LOGGING dictionary and the Sentry set-up, called from
mpro/settings.py. The formatters and the redaction are in mpro/logs.py."""


def logging_config(*, log_format: str, level: str) -> dict:
    """JSON lines with the request id (`log_format="json"`), or plain, still redacted, lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "mpro.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "mpro.logs.JsonFormatter"},
            "text": {
                "()": "mpro.logs.RedactingFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if log_format == "json" else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Error reports to Sentry, redacted like the logs, without personal data."""
    import sentry_sdk

    from mpro.logs import redact_event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        before_send=redact_event,
    )
