"""Action alerts (hear the latest, get them by text) and help near you."""

from collections.abc import Sequence

from twilio.twiml.voice_response import VoiceResponse

from ivr import prompts, twiml
from ivr.screens import page_of
from ivr.screens.rights import Spoken
from ivr.speak import Line, Voice, speaking


def _before(voice: Voice, notice: str | None) -> list[Line]:
    with speaking(voice):
        return [prompts.line(notice)] if notice else []


def alert(
    voice: Voice, spoken: Spoken, action: str, *, notice: str | None = None, play: bool = True
) -> VoiceResponse:
    """The latest alert (title and body, in its own language), then 1 again, * back."""
    with speaking(voice):
        intro = [prompts.line("alerts_intro")] if play else []
        options = [prompts.line("again_or_back")]
    content = [Line(spoken.title, voice=spoken.voice), Line(spoken.text, voice=spoken.voice)]
    lines = [*intro, *(content if play else []), *options]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))


def subscribe_consent(
    voice: Voice, per_month: int, action: str, *, notice: str | None = None
) -> VoiceResponse:
    """What the caller agrees to (CTIA: what, how often, cost, how to stop); 1 agrees."""
    with speaking(voice):
        lines = [prompts.line("subscribe_consent", count=per_month)]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))


def regions_page(
    voice: Voice, regions: Sequence[str], page: int, action: str, *, notice: str | None = None
) -> VoiceResponse:
    """States that have places, by keypad (paged like topics)."""
    chunk, page, more = page_of(regions, page)
    with speaking(voice):
        lines = [prompts.line("near_intro")]
        lines += [prompts.option(region, str(i)) for i, region in enumerate(chunk, start=1)]
        if more:
            lines.append(prompts.line("more_choices"))
        lines.append(prompts.line("back_or_organizer"))
    return twiml.menu(voice, action, lines, before=_before(voice, notice))


def places(
    voice: Voice, entries: Sequence[str], action: str, *, notice: str | None = None
) -> VoiceResponse:
    """Each place in one sentence (name, kind, phone, hours), then 1 again, * back."""
    with speaking(voice):
        lines = [Line(entry) for entry in entries] + [prompts.line("again_or_back")]
    return twiml.menu(voice, action, lines, before=_before(voice, notice))
