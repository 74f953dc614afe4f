"""The voice channel: Twilio Voice webhooks under /voice, menus built as TwiML by pure builders.

Layout: `speak` (languages, voices, recordings) · `prompts` (the words) · `twiml` and
`screens/` (pure builders) · `call` (request parsing, the never-500 wrapper) · `callstate`
(per-call redacted state) · `views/` (thin routes). `organize.recordings` deletes recordings.
"""

from flask import Blueprint

from organize import audio, recordings

# cli_group=None puts the blueprint's commands at the top level: `flask audio missing`,
# `flask recordings cleanup`, with no change to the app factory.
bp = Blueprint("voice", __name__, url_prefix="/voice", cli_group=None)
bp.cli.add_command(audio.audio_cli)
bp.cli.add_command(recordings.recordings_cli)

from ivr.views import info, main, outbound, recorded, review, rights, story  # noqa: E402, F401
