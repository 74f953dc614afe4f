"""Know your rights by phone: topics by keypad (paged), then a topic's audio novella or text."""

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import nh3
from twilio.twiml.voice_response import VoiceResponse

from ivr import prompts, twiml
from ivr.screens import page_of
from ivr.speak import Line, Voice, speaking
from organize.rights import render_markdown

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>")
_END_MARK = re.compile(r"([^.!?。:;])\n")


@dataclass(frozen=True)
class Spoken:
    """A topic (or alert) ready for the phone: in `voice`'s language, or as a recording."""

    title: str
    text: str
    voice: Voice
    audio_url: str | None = None
    advice: str = ""  # "not legal advice — call …", said after a topic in its voice's language


@lru_cache(maxsize=256)
def plain_text(markdown: str) -> str:
    """A rights page's Markdown as sentences to speak: no markup, links read as their words."""
    marked = _BLOCK_END.sub("\n", render_markdown(markdown))
    text = html.unescape(nh3.clean(marked, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    joined = "\n".join(line for line in lines if line)
    return _END_MARK.sub(r"\1.\n", joined + "\n").strip()


def topics_page(
    voice: Voice,
    titles: Sequence[str],
    page: int,
    action: str,
    *,
    notice: str | None = None,
    keys: Sequence[str] = (),
) -> VoiceResponse:
    """One page of topics: 1-8 choose, 9 more (when there are more), * back, 0 organizer.
    `keys` name each option's recording (a language without TTS plays them)."""
    chunk, page, more = page_of(titles, page)
    chunk_keys, _page, _more = page_of(list(keys) or [None] * len(titles), page)
    with speaking(voice):
        before = [prompts.line(notice)] if notice else []
        lines = [prompts.line("rights_intro")]
        lines += [
            prompts.option(title, str(i), key)
            for i, (title, key) in enumerate(zip(chunk, chunk_keys, strict=True), start=1)
        ]
        if more:
            lines.append(prompts.line("more_choices"))
        lines.append(prompts.line("back_or_organizer"))
    return twiml.menu(voice, action, lines, before=before)


def topic(
    voice: Voice,
    spoken: Spoken,
    action: str,
    *,
    notice: str | None = None,
    play: bool = True,
    states: bool = False,
) -> VoiceResponse:
    """The topic (audio novella, else its text in its own language), then what next:
    1 again, 2 by text, 3 your state's rules (when the topic has any), * back.
    `play=False` asks again without replaying the whole topic."""
    with speaking(voice):
        before = [prompts.line(notice)] if notice else []
        options = [prompts.line("topic_options")]
        if states:
            options.insert(0, prompts.line("state_option"))
    content: list[Line] = []
    if play and spoken.audio_url:
        content = [Line("", audio=spoken.audio_url)]
    elif play:
        content = [Line(spoken.title, voice=spoken.voice), Line(spoken.text, voice=spoken.voice)]
    if play and spoken.advice:
        content.append(Line(spoken.advice, voice=spoken.voice))
    return twiml.menu(voice, action, [*content, *options], before=before)


def ask_zip(voice: Voice, action: str, *, notice: str | None = None) -> VoiceResponse:
    """Five keys for a ZIP code: everyone knows theirs, and it names a state without a
    fifty-item menu."""
    with speaking(voice):
        before = [prompts.line(notice)] if notice else []
        lines = [prompts.line("zip_prompt")]
    return twiml.menu(voice, action, lines, before=before, num_digits=5)


def state_note(voice: Voice, note: Spoken | None, action: str) -> VoiceResponse:
    """The state's note in its own language and the advice line (or "no note yet"), then the
    topic's options again."""
    with speaking(voice):
        options = [prompts.line("state_option"), prompts.line("topic_options")]
        missing = [prompts.line("no_state_note")] if note is None else []
    content = missing
    if note is not None:
        content = [Line(note.text, voice=note.voice)]
        if note.advice:
            content.append(Line(note.advice, voice=note.voice))
    return twiml.menu(voice, action, [*content, *options])
