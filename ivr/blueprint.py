"""The voice blueprint, apart from the package so its views can import it without a circle."""

from flask import Blueprint

from organize import audio
from organize.outbound import recordings

# cli_group=None puts the blueprint's commands at the top level: `flask audio missing`,
# `flask recordings cleanup`, with no change to the app factory.
bp = Blueprint("voice", __name__, url_prefix="/voice", cli_group=None)
bp.cli.add_command(audio.audio_cli)
bp.cli.add_command(recordings.recordings_cli)
