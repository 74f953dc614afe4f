"""The spoken review: employer (speech or code) → ratings → yes/no questions → story → the
redacted story read back → 1 to submit. Builders only; `ivr/views/review.py` drives them."""

from collections.abc import Sequence

from twilio.twiml.voice_response import VoiceResponse

from ivr import prompts, twiml
from ivr.speak import Line, Voice, add, speaking

RECORD_SECONDS = 120
WAIT_SECONDS = 3


def _before(voice: Voice, notice: str | None) -> list[Line]:
    with speaking(voice):
        return [prompts.line(notice)] if notice else []


def ask_employer(
    voice: Voice, action: str, hints: Sequence[str], *, notice: str | None = None
) -> VoiceResponse:
    """Say the employer's name, or type its code and #; employer names help recognition."""
    with speaking(voice):
        lines = [prompts.line("review_intro")]
    return twiml.menu(
        voice, action, lines, before=_before(voice, notice), speech=True, hints=hints,
        num_digits=None,
    )  # fmt: skip


def confirm_employer(
    voice: Voice, name: str, action: str, *, notice: str | None = None
) -> VoiceResponse:
    """'Did you mean: <name>? 1 yes, 2 no.'"""
    with speaking(voice):
        lines = [prompts.line("you_said"), Line(name), prompts.line("employer_confirm")]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))


def question(
    voice: Voice, key: str, hint: str, action: str, *, notice: str | None = None
) -> VoiceResponse:
    """A rating (hint: 1-5, # skips) or a yes/no question (hint: 1 yes, 2 no, # skips)."""
    with speaking(voice):
        lines = [prompts.line(key), prompts.line(hint)]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))


def ask_story(voice: Voice, action: str, *, notice: str | None = None) -> VoiceResponse:
    """Speech in the caller's language; * still goes back."""
    with speaking(voice):
        lines = [prompts.line("story_prompt")]
    return twiml.menu(voice, action, lines, before=_before(voice, notice), speech=True)


def record_story(
    voice: Voice, action: str, transcript_url: str, *, notice: str | None = None
) -> VoiceResponse:
    """`<Record>` with transcription (English only at Twilio). The recording is deleted as soon
    as the transcript arrives; the redirect after it is the "said nothing" path."""
    response = VoiceResponse()
    with speaking(voice):
        for line in [*_before(voice, notice), prompts.line("story_prompt")]:
            add(response, voice, line)
    response.record(
        action=action, method="POST", max_length=RECORD_SECONDS, timeout=5, play_beep=True,
        finish_on_key="#*", transcribe=True, transcribe_callback=transcript_url,
    )  # fmt: skip
    response.redirect(action, method="POST")
    return response


def wait_for_transcript(voice: Voice, url: str) -> VoiceResponse:
    """Twilio transcribes after the call leg records: hold on a few seconds, then look again."""
    response = VoiceResponse()
    with speaking(voice):
        add(response, voice, prompts.line("one_moment"))
    response.pause(length=WAIT_SECONDS)
    response.redirect(url, method="POST")
    return response


def story_more(voice: Voice, action: str, *, notice: str | None = None) -> VoiceResponse:
    """1 add more, 2 done, 3 start the story again."""
    with speaking(voice):
        lines = [prompts.line("story_more")]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))


def preview(
    voice: Voice, redacted: str, action: str, *, notice: str | None = None
) -> VoiceResponse:
    """The story exactly as it would be stored (redacted), then 1 send, 2 again, 3 discard."""
    with speaking(voice):
        lines = [prompts.line("preview_intro"), Line(redacted), prompts.line("preview_options")]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))
