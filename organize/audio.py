"""Recorded audio for the phone line: prompt keys, where recordings live, what is missing, and
how a missing Haitian Creole recording is synthesized.

Text-to-speech covers English, Spanish, Mandarin and Tagalog; Haitian Creole has no Twilio
voice, so its prompts and topics are recordings. A recording is a file
`<AUDIO_DIR>/<locale>/<key>.mp3` that the deployment also publishes at
`<AUDIO_BASE_URL>/<locale>/<key>.mp3`: the directory is how the app knows, without a network
call in a webhook, which exist. `flask audio synthesize --locale ht` fills what
`flask audio missing` lists with espeak-ng's Haitian Creole voice (through sox, to MP3) and notes
each file it made, with its text, in `synthesized.json`; a file whose bytes differ from that
note is a person's recording and is never overwritten. No audio ships with the code.
"""

import hashlib
import json
import shutil
import subprocess
import tempfile
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
    "state_option",
    "zip_prompt",
    "no_state_note",
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
    "code_intro",
    "status_option",
    "status_ask",
    "status_not_found",
    "status_too_many",
    "status_waiting",
    "status_approved",
    "status_rejected",
    "appeal_open",
    "appeal_decided",
    "appeal_offer",
    "appeal_reason",
    "appeal_sent",
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
# A language without TTS speaks only recordings; where one is missing, its own words are read
# by the nearest voice Twilio has (Kreyòl is French-lexified) — never another language's text.
VOICE_READ_AS = {"ht": ("fr-FR", "Polly.Lea")}
VOICE_FALLBACK_LOCALE = "en"  # a locale with neither a catalog voice nor VOICE_READ_AS
# espeak-ng voices for `audio synthesize` (its `--voices` list names them).
ESPEAK_VOICES = {"ht": "ht", "en": "en-us", "es": "es-419", "fr": "fr-fr", "zh": "cmn", "tl": "fil"}
MANIFEST = "synthesized.json"
SELF_SERVED = "/voice/audio"  # ivr serves AUDIO_DIR here when AUDIO_BASE_URL is unset


def say_languages() -> dict[str, str]:
    """Locale → `<Say language>` code, for the locales that have a TTS voice."""
    return dict(current_app.config.get("VOICE_LANGUAGES") or VOICE_LANGUAGES)


def audio_dir() -> Path:
    """Where the deployment keeps its copy of the recordings (instance/audio by default)."""
    configured = current_app.config.get("AUDIO_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "audio"


def topic_key(slug: str) -> str:
    """The recording of a topic's voice script."""
    return f"topic-{slug}"


def option_key(slug: str) -> str:
    """The recording of "For <topic>, press <digit>." in the rights menu."""
    return f"topic-option-{slug}"


def _known_key(stem: str) -> bool:
    return stem in PROMPT_KEYS or stem.startswith("topic-")


def base_url() -> str:
    """Where recordings are published: AUDIO_BASE_URL, else this app itself (the voice
    blueprint serves AUDIO_DIR at /voice/audio, under PUBLIC_URL when it is set)."""
    configured = current_app.config.get("AUDIO_BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    return str(current_app.config.get("PUBLIC_URL") or "").rstrip("/") + SELF_SERVED


def recorded(locale: str) -> dict[str, str]:
    """Recording key → public URL of its recording in `locale` (none when there are none)."""
    root = base_url()
    return {key: f"{root}/{locale}/{key}{EXTENSION}" for key in sorted(_on_disk(locale))}


def needs_recordings(locale: str) -> bool:
    """Whether the line can speak `locale` only from recordings (no TTS voice)."""
    return locale not in say_languages()


def wanted_prompts() -> list[str]:
    """The prompt keys this deployment can say (closed hours only when HOTLINE_HOURS is set)."""
    skip = set() if current_app.config.get("HOTLINE_HOURS") else {"organizer_closed"}
    return [key for key in PROMPT_KEYS if key not in skip]


def missing() -> dict[str, list[str]]:
    """Per locale: prompts a TTS-less language lacks, and topics without a recording."""
    found: dict[str, list[str]] = {}
    topics = rights.topics(locale="en")
    for locale in current_app.config["LANGUAGES"]:
        lacking: list[str] = []
        have = _on_disk(locale)
        if needs_recordings(locale):
            lacking += [f"prompt {key}" for key in wanted_prompts() if key not in have]
        for view in topics:
            localized = rights.topic(slug=view.slug, locale=locale)
            novella = localized is not None and localized.locale == locale and localized.audio_url
            if not novella and topic_key(view.slug) not in have:
                lacking.append(f"topic {view.slug}")
            if needs_recordings(locale) and option_key(view.slug) not in have:
                lacking.append(f"option {view.slug}")
        found[locale] = lacking
    return found


def _on_disk(locale: str) -> set[str]:
    folder = audio_dir() / locale
    if locale not in current_app.config["LANGUAGES"] or not folder.is_dir():
        return set()
    return {p.stem for p in folder.iterdir() if p.suffix == EXTENSION and _known_key(p.stem)}


def synthesizer_problem() -> str | None:
    """Why `audio synthesize` cannot run here, in words that say how to fix it."""
    lacking = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if lacking:
        return (
            f"{' and '.join(lacking)} not found: install them "
            "(Debian/Ubuntu: apt-get install espeak-ng sox libsox-fmt-mp3)"
        )
    return None


def synthesize_file(text: str, locale: str, target: Path) -> None:
    """Speak `text` with espeak-ng's voice for `locale` into an MP3 (mono, 22.05 kHz)."""
    voice = ESPEAK_VOICES.get(locale, locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(  # noqa: S603 - fixed tools, text passed as one argument
            ["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=120,
        )
        partial = Path(tmp) / target.name
        subprocess.run(  # noqa: S603
            ["sox", str(wav), "-r", "22050", "-c", "1", str(partial)],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=120,
        )
        shutil.move(str(partial), target)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(locale: str) -> dict[str, dict[str, str]]:
    """key → {"text", "sha256"} of every file `synthesize` made (and still owns) in `locale`."""
    path = audio_dir() / locale / MANIFEST
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}


def synthesize(texts: dict[str, str], locale: str) -> tuple[list[str], list[str]]:
    """Make (or remake, when its words changed) each missing recording; a person's is kept.

    Returns (keys written, keys kept because a person's recording is there).
    """
    folder = audio_dir() / locale
    manifest = load_manifest(locale)
    written, kept = [], []
    for key, text in texts.items():
        target = folder / f"{key}{EXTENSION}"
        ours = manifest.get(key)
        if target.exists():
            if ours is None or ours.get("sha256") != _digest(target):
                kept.append(key)  # recorded by a person (or replaced by one): never touched
                continue
            if ours.get("text") == text:
                continue
        synthesize_file(text, locale, target)
        manifest[key] = {"text": text, "sha256": _digest(target)}
        written.append(key)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    return written, kept


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
