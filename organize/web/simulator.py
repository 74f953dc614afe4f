"""The phone simulator (/simulator): try the SMS and voice flows without Twilio or a phone.

Placeholder: the simulator work fills this module in.
"""

from flask import Blueprint

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
