"""Configuration: defaults, then the environment (DESIGN.md §6), then a test mapping.

Secrets have no default in production: start-up stops with the missing variable's name.
In development they are generated once into `instance/secrets.json` so a fresh clone runs.
"""

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from organize.plumbing.i18n import LANGUAGE_NAMES, complete_languages, normalize

SECRET_NAMES = ("SECRET_KEY", "PHONE_HASH_KEY", "ENCRYPTION_KEY")


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work."""


def is_production(environ: Mapping[str, str] | None = None) -> bool:
    """Production is declared with ORGANIZE_ENV or FLASK_ENV; everything else is development."""
    env = os.environ if environ is None else environ
    value = env.get("ORGANIZE_ENV") or env.get("FLASK_ENV") or "development"
    return value.strip().lower() == "production"


def parse_delay(value: str) -> tuple[float, float]:
    """`"24-168"` → (24, 168) hours; `"0"` → (0, 0). Refuses negatives and reversed ranges."""
    parts = [p.strip() for p in str(value).split("-")]
    try:
        low, high = (float(parts[0]), float(parts[-1])) if len(parts) <= 2 else (-1.0, -1.0)
    except ValueError as exc:
        raise ConfigError(f"REVIEW_PUBLISH_DELAY must look like 24-168, not {value!r}") from exc
    if low < 0 or high < low:
        raise ConfigError(f"REVIEW_PUBLISH_DELAY must look like 24-168, not {value!r}")
    return low, high


def database_url(raw: str | None, instance_path: str) -> str:
    """Default to a SQLite file under instance/; accept plain postgresql:// URLs too."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "organize.db")
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://") :]
    return raw


def defaults(production: bool) -> dict[str, Any]:
    """Settings every deployment starts from."""
    return {
        "ENV_NAME": "production" if production else "development",
        # Every channel's languages (SMS and voice speak all of them) …
        "LANGUAGES": ["en", "es", "zh", "tl", "ht"],
        # … and those the web offers: unset means every one whose catalog is complete.
        "WEB_LANGUAGES": None,
        "DEFAULT_LOCALE": "en",
        "REDIS_URL": None,
        "TWILIO_ACCOUNT_SID": None,
        "TWILIO_AUTH_TOKEN": None,
        "TWILIO_FROM": None,
        "TWILIO_API_URL": None,
        "TWILIO_TIMEOUT": 10.0,
        "PUBLIC_URL": None,
        "TRUSTED_PROXIES": 0,
        "SEND_LEASE_SECONDS": 60,
        "SEND_RATE": 1.0,
        "CALL_RATE": 1.0,
        "SEND_CONCURRENCY": 8,
        "SEND_BATCH_SIZE": 2000,  # a job per batch costs a fork: 500 sent ~20 % slower (bench)
        "SEND_MAX_ATTEMPTS": 6,
        "SEND_RETRY_SECONDS": 30,
        "QUIET_HOURS_START": 21,  # no non-urgent alerts from 21:00 …
        "QUIET_HOURS_END": 8,  # … until 8:00, subscriber-local
        "DEFAULT_TIME_ZONE": "America/Chicago",
        "REVIEW_K_THRESHOLD": 3,
        # A rights topic reviewed longer ago than this is listed for re-review (12 months).
        "RIGHTS_REVIEW_MAX_AGE_DAYS": 365,
        "REVIEW_PUBLISH_DELAY": "24-168" if production else "0",
        "REVIEW_MAX_CHARS": 5000,
        "REVIEW_RATE_LIMIT": "10 per hour",
        "EMPLOYER_CREATE_LIMIT": "5 per day",  # new employers per web client (rate-limit key)
        # The workers' panel (organize/governance): votes close after PANEL_VOTE_DAYS; a
        # decision needs at least PANEL_QUORUM votes, then a majority of them.
        "PANEL_VOTE_DAYS": 7,
        "PANEL_QUORUM": 3,
        "APPEAL_DAYS": 30,  # a rejected review's redacted text waits this long for an appeal
        "STATUS_MISSES": 5,  # wrong status codes per client (or number) per …
        "STATUS_MISS_WINDOW": 3600,  # … seconds
        "FLAG_RATE_LIMIT": "10 per day",
        "PRICE_PER_SEGMENT": 0.0079,
        "CONFIRM_ABOVE": 1000,
        "SMS_PROGRAM_NAME": "organize",
        "SMS_HELP_CONTACT": None,
        "SMS_ALERTS_PER_MONTH": 4,
        "SMS_CONVERSATION_TTL": 2 * 3600,
        "SMS_REPLAY_TTL": 15 * 60,  # Twilio's retry window for a webhook: minutes, not more
        "SMS_REPLY_BUDGET": 30,  # replies per number per SMS_BUDGET_WINDOW …
        "SMS_BUDGET_WINDOW": 10 * 60,  # … seconds (then one notice, then silence)
        "SMS_EMPLOYER_BUDGET": 3,  # employers one number may add by text per …
        "SMS_EMPLOYER_WINDOW": 24 * 3600,  # … seconds
        # When a text is kept and answered later by the REST API (sms/overload.py): "auto",
        # "always" or "never"; past this many connections waiting to be accepted, texts
        # answered at once by this process, or seconds after a database failure.
        "SMS_DEFER": "auto",
        "SMS_DEFER_BACKLOG": 32,
        "SMS_DEFER_IN_FLIGHT": 8,
        "SMS_DEFER_DB_BACKOFF": 10.0,
        "HOTLINE_NUMBER": None,
        "HOTLINE_HOURS": None,
        "ENABLE_SIMULATOR": not production,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # slow phones, long reviews: the token lives with the session
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        # Pinged at checkout only after sitting idle (organize/plumbing/liveness.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        # Operations (organize/ops): retention, metrics, error tracking.
        "DELIVERY_RETENTION_DAYS": 30,
        # The organizer's campaign loop (organize/campaign): reply inbox and scheduling.
        "INBOX_RETENTION_DAYS": 30,  # a conversation is deleted this long after its last text
        "INBOX_REPLY_WINDOW_HOURS": 72,  # a text this soon after an alert is a reply to it
        "ORG_TIMEZONE": "America/Chicago",  # where "send at" is entered and shown
        "METRICS_TOKEN": None,
        "SENTRY_DSN": None,
    }


ENV_TYPES: dict[str, type] = {
    "REDIS_URL": str,
    "TWILIO_ACCOUNT_SID": str,
    "TWILIO_AUTH_TOKEN": str,
    "TWILIO_FROM": str,
    "TWILIO_API_URL": str,
    "TWILIO_TIMEOUT": float,
    "PUBLIC_URL": str,
    "TRUSTED_PROXIES": int,
    "SEND_LEASE_SECONDS": int,
    "SEND_RATE": float,
    "CALL_RATE": float,
    "SEND_CONCURRENCY": int,
    "SEND_BATCH_SIZE": int,
    "SEND_MAX_ATTEMPTS": int,
    "SEND_RETRY_SECONDS": int,
    "QUIET_HOURS_START": int,
    "QUIET_HOURS_END": int,
    "DEFAULT_TIME_ZONE": str,
    "REVIEW_K_THRESHOLD": int,
    "RIGHTS_REVIEW_MAX_AGE_DAYS": int,
    "REVIEW_PUBLISH_DELAY": str,
    "REVIEW_RATE_LIMIT": str,
    "EMPLOYER_CREATE_LIMIT": str,
    "PANEL_VOTE_DAYS": int,
    "PANEL_QUORUM": int,
    "APPEAL_DAYS": int,
    "STATUS_MISSES": int,
    "STATUS_MISS_WINDOW": int,
    "FLAG_RATE_LIMIT": str,
    "PRICE_PER_SEGMENT": float,
    "CONFIRM_ABOVE": int,
    "SMS_PROGRAM_NAME": str,
    "SMS_HELP_CONTACT": str,
    "SMS_ALERTS_PER_MONTH": int,
    "SMS_CONVERSATION_TTL": int,
    "SMS_REPLAY_TTL": int,
    "SMS_REPLY_BUDGET": int,
    "SMS_BUDGET_WINDOW": int,
    "SMS_EMPLOYER_BUDGET": int,
    "SMS_EMPLOYER_WINDOW": int,
    "SMS_DEFER": str,
    "SMS_DEFER_BACKLOG": int,
    "SMS_DEFER_IN_FLIGHT": int,
    "SMS_DEFER_DB_BACKOFF": float,
    "HOTLINE_NUMBER": str,
    "AUDIO_BASE_URL": str,
    "AUDIO_DIR": str,
    "VOICE_FALLBACK_LOCALE": str,
    "VOICE_STATE_TTL": int,
    "RECORDING_GRACE_SECONDS": int,
    "HOTLINE_HOURS": str,
    "ENABLE_SIMULATOR": bool,
    "MAX_CONTENT_LENGTH": int,
    "DELIVERY_RETENTION_DAYS": int,
    "INBOX_RETENTION_DAYS": int,
    "INBOX_REPLY_WINDOW_HOURS": int,
    "ORG_TIMEZONE": str,
    "METRICS_TOKEN": str,
    "SENTRY_DSN": str,
    "SECRET_KEY": str,
    "PHONE_HASH_KEY": str,
    "ENCRYPTION_KEY": str,
}


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the variables DESIGN.md §6 names, typed; empty values count as unset."""
    found: dict[str, Any] = {}
    for name, kind in ENV_TYPES.items():
        raw = environ.get(name, "").strip()
        if not raw:
            continue
        if kind is bool:
            found[name] = raw.lower() in {"1", "true", "yes", "on"}
        else:
            try:
                found[name] = kind(raw)
            except ValueError as exc:
                raise ConfigError(f"{name} must be a {kind.__name__}, not {raw!r}") from exc
    for name in ("LANGUAGES", "WEB_LANGUAGES", "VOICE_RECORD_LOCALES"):
        if langs := environ.get(name, "").strip():
            found[name] = [code.strip() for code in langs.split(",") if code.strip()]
    return found


def language_codes(codes: list[str]) -> list[str]:
    """Configured languages as the app's codes (`fil` → `tl`); an unknown code is refused."""
    found = []
    for code in codes:
        known = normalize(code)
        if known is None:
            raise ConfigError(f"Unknown language {code!r}: use one of {', '.join(LANGUAGE_NAMES)}")
        if known not in found:
            found.append(known)
    return found


def ensure_secrets(config: dict[str, Any], instance_path: str, production: bool) -> None:
    """Fill missing secrets: refuse in production, generate once into instance/ in development."""
    missing = [name for name in SECRET_NAMES if not config.get(name)]
    if not missing:
        return
    if production:
        raise ConfigError(
            "Missing required setting(s) in production: "
            + ", ".join(missing)
            + ". Set them in the environment (see README, Configuration)."
        )
    path = Path(instance_path) / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    generators = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(32),
        "PHONE_HASH_KEY": lambda: secrets.token_urlsafe(32),
        "ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
    }
    changed = False
    for name in missing:
        if name not in stored:
            stored[name] = generators[name]()
            changed = True
        config[name] = stored[name]
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)


def build_config(
    instance_path: str,
    test_config: dict[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Defaults ← environment ← test mapping, then derived settings and checks."""
    env = os.environ if environ is None else environ
    production = is_production(env) and not (test_config or {}).get("TESTING")
    config = defaults(production)
    config.update(from_environment(env))
    config["SQLALCHEMY_DATABASE_URI"] = database_url(env.get("DATABASE_URL"), instance_path)
    if test_config:
        config.update(test_config)
    ensure_secrets(config, instance_path, production)
    config["REVIEW_PUBLISH_DELAY_HOURS"] = parse_delay(config["REVIEW_PUBLISH_DELAY"])
    if not config["SMS_HELP_CONTACT"]:
        config["SMS_HELP_CONTACT"] = config["PUBLIC_URL"] or "organize.example.org"
    redis_url = config.get("REDIS_URL")
    config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis down must not take pages down
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    if redis_url:
        config.setdefault("RQ_CONNECTION", redis_url)
    config.setdefault("RQ_QUEUES", ["default"])
    config["LANGUAGES"] = language_codes(list(config["LANGUAGES"]))
    if config["WEB_LANGUAGES"] is None:
        config["WEB_LANGUAGES"] = complete_languages(config["LANGUAGES"])
    web = language_codes(list(config["WEB_LANGUAGES"]))
    config["WEB_LANGUAGES"] = [c for c in web if c in config["LANGUAGES"]]
    if config["DEFAULT_LOCALE"] not in config["WEB_LANGUAGES"]:
        raise ConfigError("DEFAULT_LOCALE must be one of WEB_LANGUAGES (and LANGUAGES)")
    return config
