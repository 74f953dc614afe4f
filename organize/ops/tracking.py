"""Errors to Sentry, optionally (`SENTRY_DSN`), with nothing personal in them.

Nothing personal is collected: `data_collection` (which supersedes `send_default_pii` in
sentry-sdk 2.x; the old flag's default is off too) has every category turned off, so no user,
cookies, headers, bodies, query strings or local variables. `before_send` drops what is left of
the request but its method and URL, then passes every string in the event through the log
scrubber (numbers and IP addresses masked): an exception's message may quote a number.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask

from organize.plumbing.logscrub import scrub

# What of a request an event may keep: enough to find the route, nothing about who called.
REQUEST_KEPT = ("method", "url")


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's `before_send`: drop who sent the request, then mask numbers and addresses in
    every string (messages, exception values, breadcrumbs, URLs)."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in REQUEST_KEPT if key in request}
        event["request"] = kept
    event.pop("user", None)
    event.pop("server_name", None)  # harmless, but the host name is ours to keep
    cleaned: dict[str, Any] = _scrubbed(event)
    return cleaned


def install(app: Flask, *, transport: Any = None) -> Callable[[], None] | None:
    """Start the Sentry client when `SENTRY_DSN` is set; returns a function that stops it.
    `transport` replaces the network (tests capture events locally)."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return None
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    off: Any = {"mode": "off"}
    collect: Any = {  # send_default_pii=False, in the SDK's newer words
        "user_info": False,
        "cookies": off,
        "http_headers": {"request": off},
        "http_bodies": [],
        "url_query_params": off,
        "database_query_data": False,
        "queues": False,
        "stack_frame_variables": False,
    }
    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["ENV_NAME"],
        data_collection=collect,
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=lambda crumb, hint: _scrubbed(crumb),
        integrations=[FlaskIntegration()],
        traces_sample_rate=0.0,
        **options,
    )

    def stop() -> None:
        client = sentry_sdk.get_client()
        client.close()

    return stop
