"""Which language a topic or alert is spoken in: the caller's when it can be spoken, else the
language the line speaks for the caller (the fallback for Haitian Creole), else English."""

from ivr.call import Call
from ivr.screens.rights import Spoken, plain_text
from ivr.speak import Voice, speaking, voice_for
from organize import audio, rights
from organize.models import Alert


def topic(call: Call, slug: str) -> Spoken | None:
    """A topic for this caller: its audio novella in the caller's language, else its text."""
    view = rights.topic(slug=slug, locale=call.locale)
    if view is None:
        return None
    recording = call.voice.recordings.get(audio.topic_key(slug))
    if view.locale == call.locale and (view.audio_url or recording):
        # A recording is what this language has (no voice may speak it): the recorded script
        # carries the line itself; a line that speaks the language adds it.
        advice = _advice(call.voice) if call.locale in audio.say_languages() else ""
        return Spoken(view.title, view.summary, call.voice, view.audio_url or recording, advice)
    spoken = view.voice or plain_text(view.body) or view.summary
    voice = voice_for(view.locale)
    return Spoken(view.title, spoken, voice, advice=_advice(voice))


def state_note(call: Call, slug: str, region: str) -> Spoken | None:
    """A topic's note for a state, spoken in its own language (the caller's, else English)."""
    note = rights.state_note(slug=slug, region=region, locale=call.locale)
    if note is None:
        return None
    voice = voice_for(note.locale)
    return Spoken(region, note.text, voice, advice=_advice(voice))


def _advice(voice: Voice) -> str:
    """The not-legal-advice line in the language `voice` speaks."""
    with speaking(voice):
        return rights.not_legal_advice()


def alert(call: Call, found: Alert) -> Spoken | None:
    """The alert's words in the best language this caller can hear."""
    texts = {t.locale: t for t in found.translations}
    speakable = audio.say_languages()
    order = [call.locale if call.locale in speakable else None, call.voice.say_locale, "en"]
    for locale in [code for code in order if code] + [c for c in texts if c in speakable]:
        if locale in texts:
            chosen = texts[locale]
            return Spoken(chosen.title, chosen.body, voice_for(locale))
    return None
