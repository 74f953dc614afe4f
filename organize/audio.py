"""Recorded audio for the phone line: prompt keys, where recordings live, what is missing.

Text-to-speech covers English, Spanish, Mandarin and Tagalog; Haitian Creole has no voice, so
its prompts must be recorded. A recording is a file `<AUDIO_DIR>/<locale>/<key>.mp3` that the
deployment also publishes at `<AUDIO_BASE_URL>/<locale>/<key>.mp3` (a CDN or a static host):
the directory is how the app knows, without a network call in a webhook, which exist. A
prompt without a recording is spoken by TTS in the caller's language, or — for a language
without TTS — in `VOICE_FALLBACK_LOCALE`. No audio files ship with the code; it runs with none.
"""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from organize import rights

# Stable ids of every prompt a recording may replace (ivr/prompts.py holds their words).
# A recording must say exactly what the English msgid says, in its language.
PROMPT_KEYS: tuple[str, ...] = (
    "greeting",
    "language_option",
    "main_menu",
    "change_language",
    "not_an_option",
    "no_input",
    "goodbye",
    "back_or_organizer",
    "rights_intro",
    "more_choices",
    "no_topics",
    "topic_options",
    "text_sent",
    "text_failed",
    "no_phone",
    "review_intro",
    "employer_not_found",
    "you_said",
    "employer_confirm",
    "rating_hint",
    "rate_pay",
    "rate_hours",
    "rate_safety",
    "rate_respect",
    "rate_recommend",
    "flag_hint",
    "flag_wage_theft",
    "flag_documents_withheld",
    "flag_immigration_threats",
    "story_prompt",
    "story_more",
    "story_too_long",
    "preview_intro",
    "preview_options",
    "review_thanks",
    "review_discarded",
    "review_unavailable",
    "one_moment",
    "not_heard",
    "alerts_intro",
    "no_alerts",
    "again_or_back",
    "subscribe_consent",
    "subscribe_sent",
    "near_intro",
    "no_places",
    "organizer_connecting",
    "organizer_closed",
    "organizer_unavailable",
    "organizer_no_answer",
)
EXTENSION = ".mp3"

# Defaults the lead may move into organize/config.py (names are the config keys).
VOICE_LANGUAGES = {"en": "en-US", "es": "es-MX", "zh": "cmn-CN", "tl": "fil-PH"}
VOICE_VOICES = {
    "en": "Polly.Joanna",
    "es": "Polly.Mia",
    "zh": "Polly.Zhiyu",
    "tl": "Google.fil-PH-Standard-A",
}
VOICE_SPEECH_LANGUAGES = {"en": "en-US", "es": "es-MX", "zh": "cmn-Hans-CN", "tl": "fil-PH"}
VOICE_FALLBACK_LOCALE = "es"


def say_languages() -> dict[str, str]:
    """Locale → `<Say language>` code, for the locales that have a TTS voice."""
    return dict(current_app.config.get("VOICE_LANGUAGES") or VOICE_LANGUAGES)


def audio_dir() -> Path:
    """Where the deployment keeps its copy of the recordings (instance/audio by default)."""
    configured = current_app.config.get("AUDIO_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "audio"


def recorded(locale: str) -> dict[str, str]:
    """Prompt key → public URL of its recording in `locale`; empty without AUDIO_BASE_URL."""
    base = current_app.config.get("AUDIO_BASE_URL")
    folder = audio_dir() / locale
    if not base or not folder.is_dir():
        return {}
    present = {path.name for path in folder.iterdir()}
    root = str(base).rstrip("/")
    return {
        key: f"{root}/{locale}/{key}{EXTENSION}"
        for key in PROMPT_KEYS
        if key + EXTENSION in present
    }


def missing() -> dict[str, list[str]]:
    """Per locale: prompts a TTS-less language lacks, and topics without an audio novella."""
    tts = say_languages()
    found: dict[str, list[str]] = {}
    topics = rights.topics(locale="en")
    for locale in current_app.config["LANGUAGES"]:
        lacking: list[str] = []
        if locale not in tts:
            have = recorded(locale)
            lacking += [f"prompt {key}" for key in PROMPT_KEYS if key not in have]
        for view in topics:
            localized = rights.topic(slug=view.slug, locale=locale)
            if localized is None or localized.locale != locale or not localized.audio_url:
                lacking.append(f"topic {view.slug}")
        found[locale] = lacking
    return found


audio_cli = AppGroup("audio", help="Recorded audio for the phone line.")


@audio_cli.command("missing")
@click.option("--locale", "only", default=None, help="Only this language.")
def missing_command(only: str | None) -> None:
    """List every prompt and topic that lacks a recording, per language."""
    total = 0
    for locale, lacking in missing().items():
        if only and locale != only:
            continue
        for item in lacking:
            click.echo(f"{locale}\t{item}")
        total += len(lacking)
    click.echo(f"{total} missing", err=True)


def register(app: Flask) -> None:
    """Attach `flask audio …` to the app's CLI."""
    app.cli.add_command(audio_cli)
