"""The voice channel: Twilio Voice webhooks under /voice, menus built as TwiML by pure builders.

Layout: `speak` (languages, voices, recordings) · `prompts` (the words) · `twiml` and
`screens/` (pure builders) · `call` (request parsing, the never-500 wrapper) · `callstate`
(per-call redacted state) · `blueprint` · `views/` (thin routes; importing them registers
the routes). `organize.outbound.recordings` deletes recordings.
"""

from ivr import synthesis  # noqa: F401 - adds `flask audio synthesize`
from ivr.blueprint import bp
from ivr.views import info, main, media, outbound, recorded, review, rights, story  # noqa: F401

__all__ = ["bp"]
