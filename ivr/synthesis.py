"""`flask audio synthesize`: the words a recording must say, and recordings made from them.

Every recording says exactly what the line would say in its language with this deployment's
values (alerts per month, the language menu's digits, the hotline's hours, the rights menu's
order), so playing it changes nothing but the voice. Lives in `ivr` because the words do.
"""

import click
from flask import current_app
from flask_babel import force_locale

from ivr import hours, prompts
from ivr.screens import PAGE_SIZE
from ivr.screens.rights import plain_text
from organize import audio, rights
from organize.plumbing.i18n import LANGUAGE_NAMES


def _params(key: str, locale: str) -> dict[str, object] | None:
    """This deployment's values for a prompt; None when the deployment never says it."""
    config = current_app.config
    if key == "language_option":
        languages: list[str] = config["LANGUAGES"]
        return {
            "language": LANGUAGE_NAMES.get(locale, locale),
            "digit": languages.index(locale) + 1,
        }
    if key == "subscribe_consent":
        return {"count": int(config["SMS_ALERTS_PER_MONTH"])}
    if key == "organizer_closed":
        spec = config.get("HOTLINE_HOURS")
        if not spec:
            return None
        return {"hours": hours.describe(hours.parse(str(spec)), locale)}
    return {}


def texts(locale: str) -> dict[str, str]:
    """Recording key → the words, in `locale`, for every prompt, topic and topic option."""
    found: dict[str, str] = {}
    with force_locale(locale):
        for key in audio.wanted_prompts():
            params = _params(key, locale)
            if params is not None:
                found[key] = prompts.line(key, **params).text
        for index, view in enumerate(rights.topics(locale=locale)):
            spoken = view.voice or plain_text(view.body) or view.summary
            found[audio.topic_key(view.slug)] = f"{view.title}. {spoken}"
            digit = str(index % PAGE_SIZE + 1)
            found[audio.option_key(view.slug)] = prompts.option(view.title, digit).text
    return found


@audio.audio_cli.command("synthesize")
@click.option("--locale", default="ht", show_default=True, help="The language to record.")
@click.option("--all", "everything", is_flag=True, help="Every recording, not only missing ones.")
def synthesize_command(locale: str, everything: bool) -> None:
    """Fill what `flask audio missing` lists with espeak-ng (a person's recordings are kept)."""
    if locale not in current_app.config["LANGUAGES"]:
        raise click.ClickException(f"{locale} is not in LANGUAGES")
    if not audio.needs_recordings(locale):
        raise click.ClickException(f"{locale} has a text-to-speech voice; nothing to synthesize")
    if (problem := audio.synthesizer_problem()) is not None:
        raise click.ClickException(problem)
    wanted = texts(locale)
    if not everything:
        # What `audio missing` lists, and what we made before (remade if its words changed).
        chosen = set(audio.missing().get(locale, [])) | {
            label(k) for k in audio.load_manifest(locale)
        }
        wanted = {k: v for k, v in wanted.items() if label(k) in chosen}
    written, kept = audio.synthesize(wanted, locale)
    click.echo(
        f"{locale}: {len(written)} recordings made in {audio.audio_dir() / locale}; "
        f"{len(kept)} recorded by people kept"
    )


def label(key: str) -> str:
    """How `audio missing` names a recording key ("prompt greeting", "topic overtime" …)."""
    if key.startswith("topic-option-"):
        return "option " + key.removeprefix("topic-option-")
    if key.startswith("topic-"):
        return "topic " + key.removeprefix("topic-")
    return "prompt " + key
