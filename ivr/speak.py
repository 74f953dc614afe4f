"""How the line speaks a language: plain data (`Voice`, `Line`) and the one place TwiML speaks.

A caller's words always come from the caller's own catalog (`Voice.say_locale`), and a
recording of the prompt in that language is played when one exists. A language without a
Twilio voice (Haitian Creole) is served by recordings (`flask audio synthesize` makes them);
where one is still missing, its own words are read by the nearest voice (`VOICE_READ_AS`) —
never another language's text, so a Kreyòl caller never hears Spanish or English.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from flask import current_app
from flask_babel import force_locale
from twilio.twiml.voice_response import Gather, VoiceResponse

from organize import audio
from organize.plumbing.text import xml_safe

# Twilio reads at most 4,096 characters per <Say>; longer text is split at sentence ends.
SAY_LIMIT = 3000


@dataclass(frozen=True)
class Voice:
    """Everything needed to speak (and listen) in one caller language."""

    locale: str
    say_locale: str
    language: str
    speech_language: str
    voice: str | None = None
    recordings: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """Something to say. `key` lets a recording replace it; `audio` is a recording to play
    instead (a topic's audio novella); `voice` speaks it in another language (a topic or alert
    that exists only in English, say)."""

    text: str
    key: str | None = None
    voice: Voice | None = None
    audio: str | None = None


def voice_for(locale: str) -> Voice:
    """The deployment's voice settings for a caller locale (read from config, with defaults)."""
    config = current_app.config
    languages = audio.say_languages()
    voices = dict(config.get("VOICE_VOICES") or audio.VOICE_VOICES)
    speech = dict(config.get("VOICE_SPEECH_LANGUAGES") or audio.VOICE_SPEECH_LANGUAGES)
    read_as = dict(config.get("VOICE_READ_AS") or audio.VOICE_READ_AS)
    if locale in languages:
        language, voice = languages[locale], voices.get(locale)
    elif locale in read_as and locale in config["LANGUAGES"]:
        language, voice = read_as[locale]
    else:  # not a language of this line: the deployment's fallback speaks for it
        fallback = str(config.get("VOICE_FALLBACK_LOCALE") or audio.VOICE_FALLBACK_LOCALE)
        return replace(voice_for(fallback if fallback in languages else "en"), locale=locale)
    return Voice(
        locale=locale,
        say_locale=locale,
        language=language,
        speech_language=speech.get(locale) or language,
        voice=voice or None,
        recordings=audio.recorded(locale),
    )


@contextmanager
def speaking(voice: Voice) -> Iterator[None]:
    """Translate prompts into the language the voice will actually speak."""
    with force_locale(voice.say_locale):
        yield


def chunks(text: str, limit: int = SAY_LIMIT) -> list[str]:
    """Split long text at sentence or line ends so each <Say> stays under Twilio's limit."""
    text = xml_safe(text).strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind(mark, 0, limit) for mark in (". ", "。", "\n", "? ", "! "))
        cut = cut + 1 if cut > 0 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    return [p for p in [*pieces, text] if p]


def add(target: VoiceResponse | Gather, voice: Voice, line: Line) -> None:
    """Append one line to a <Response> or <Gather>: <Play> a recording, else <Say> it."""
    speaker = line.voice or voice
    url = line.audio or (speaker.recordings.get(line.key) if line.key else None)
    if url:
        target.play(url)
        return
    for piece in chunks(line.text):
        extra = {"voice": speaker.voice} if speaker.voice else {}
        target.say(piece, language=speaker.language, **extra)
