"""The least an SMS webhook could do: a Flask app answering every POST with one fixed TwiML reply.

`bench/webhook.py` serves it with the same gunicorn settings as the real app, so the ratio of the
two throughputs measures what the app adds (signature check, parsing, database, rendering).
Served as ``gunicorn 'bench.baseline_app:create_app()'`` from the repository root.
"""

from flask import Flask, Response
from twilio.twiml.messaging_response import MessagingResponse


def create_app() -> Flask:
    """A bare Flask app with only `POST /sms/inbound`; no signature check, no database."""
    app = Flask(__name__)

    @app.post("/sms/inbound")
    def inbound() -> Response:
        """Reply `ok`, built per request like the real webhook builds its reply."""
        reply = MessagingResponse()
        reply.message("ok")
        return Response(str(reply), mimetype="text/xml")

    return app
