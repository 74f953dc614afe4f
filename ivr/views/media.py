"""Recordings served by the app itself when no AUDIO_BASE_URL publishes them (development, a
single server): Twilio fetches a `<Play>` URL with a plain GET, and so does the simulator."""

import re

from flask import Response, abort, current_app, send_from_directory

from ivr.blueprint import bp
from organize import audio

_NAME = re.compile(r"^[a-z0-9_-]{1,80}\.mp3$")


@bp.get("/audio/<locale>/<name>")
def recording(locale: str, name: str) -> Response:
    """One recording from AUDIO_DIR (known languages and recording names only)."""
    if locale not in current_app.config["LANGUAGES"] or not _NAME.match(name):
        abort(404)
    return send_from_directory(audio.audio_dir() / locale, name, mimetype="audio/mpeg")
