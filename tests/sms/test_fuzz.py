"""Arbitrary bodies and form fields: always 200 with parseable TwiML of at most 1,600 characters.

CI raises the example count with SMS_FUZZ_EXAMPLES=2000; the quick loop runs fewer.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sms.conftest import reply_text, signed_post

EXAMPLES = int(os.environ.get("SMS_FUZZ_EXAMPLES", "200"))
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
keywords = st.sampled_from(
    [
        "STOP",
        "JOIN",
        "YES",
        "SI",
        "REVIEW",
        "RESEÑA",
        "DONE",
        "MORE",
        "1",
        "2",
        "5",
        "0",
        "LANG",
        "BORRAR",
        "NEW",
        "HELP",
        "ALTO",
        "SKIP",
        "EDIT",
        "NO",
        "DERECHOS",
        "CERCA",
    ]
)
params = st.fixed_dictionaries(
    {"Body": st.one_of(text, keywords, st.text(max_size=1600))},
    optional={
        "From": st.one_of(st.sampled_from(["+17135550142", "+525512345678", "12345"]), text),
        "MessageSid": st.one_of(st.just("SMfixed"), text),
        "NumMedia": st.one_of(st.sampled_from(["0", "1", "10"]), text),
        "OptOutType": st.one_of(st.sampled_from(["STOP", "START", "HELP"]), text),
        "FromCity": text,
        "AccountSid": text,
    },
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=params)
def test_any_form_gets_twiml(client, form):
    response = signed_post(client, form)
    assert response.status_code == 200
    message = reply_text(response.data)
    assert message is None or len(message) <= 1600


@settings(
    max_examples=max(50, EXAMPLES // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(form=params)
def test_any_form_without_a_valid_signature_is_403(client, form):
    response = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": "bogus"})
    assert response.status_code == 403
