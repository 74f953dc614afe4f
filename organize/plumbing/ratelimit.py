"""Rate-limit keys that never hold an IP address.

The limiter stores its counters (in Redis in production), so the key is a keyed hash of the
client address, rotated daily: enough to count one client's requests, useless to find them.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app, request


def limiter_key() -> str:
    """HMAC of the remote address and today's date, truncated."""
    address = request.remote_addr or "unknown"
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"{day}|{address}".encode(), hashlib.sha256).hexdigest()
    return digest[:24]
