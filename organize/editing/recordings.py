"""A topic's recorded "audio novella", uploaded per language by an organizer.

Stored as every recording is (`organize.audio`): `<AUDIO_DIR>/<locale>/topic-<slug>.mp3`, which
the phone line already finds; the translation's `audio_url` points at its published copy, with a
digest of the bytes in the query so a new upload is never served from a stale cache. Only MP3 is
accepted (it is what `/voice/audio` serves and what Twilio's `<Play>` plays everywhere), checked
by its bytes, not by the name or type the browser claims.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from organize import audio, audit, rights
from organize.editing import EditError
from organize.editing.topics import translation
from organize.extensions import db
from organize.models import Organizer, RightsTopic
from organize.plumbing.i18n import N_

MAX_BYTES = 8 * 1024 * 1024  # about eight minutes at 128 kbit/s
MIN_BYTES = 1024


def _frame_header(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, then a valid version, layer, rate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0 and bitrate not in (0, 0b1111) and rate != 0b11


def looks_like_mp3(data: bytes) -> bool:
    """MPEG audio, optionally behind an ID3v2 tag (skipped by its own length, then padding)."""
    start = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:  # "syncsafe": 7 bits a byte
            size = (size << 7) | (byte & 0x7F)
        start = 10 + size + (10 if data[5] & 0x10 else 0)  # a footer, when flagged
        while start < len(data) and data[start] == 0:
            start += 1
    return _frame_header(data[start : start + 4])


def path_for(topic: RightsTopic, locale: str) -> Path:
    """Where the topic's recording in `locale` lives."""
    return audio.audio_dir() / locale / f"{audio.topic_key(topic.slug)}{audio.EXTENSION}"


def _url_path(topic: RightsTopic, locale: str) -> str:
    return f"{audio.base_url()}/{locale}/{path_for(topic, locale).name}"


def save(*, topic: RightsTopic, locale: str, data: bytes, actor: Organizer) -> str:
    """Validate and store the recording; returns the URL the phone line will `<Play>`."""
    found = translation(topic, locale)
    if found is None:
        raise EditError(N_("Write this language's text before its recording."))
    if len(data) > MAX_BYTES:
        raise EditError(N_("The file is too large: at most %(mb)s MB."), mb=MAX_BYTES // 2**20)
    if len(data) < MIN_BYTES or not looks_like_mp3(data):
        raise EditError(N_("That is not an MP3 file. Export the recording as MP3."))
    target = path_for(topic, locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a call never plays half a file.
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    Path(partial).replace(target)
    digest = hashlib.sha256(data).hexdigest()
    url = f"{_url_path(topic, locale)}?v={digest[:12]}"
    found.audio_url = url
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.audio",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"locale": locale, "bytes": len(data), "sha256": digest},
    )
    return url


def remove(*, topic: RightsTopic, locale: str, actor: Organizer) -> None:
    """Drop the recording: the phone line speaks the voice script again."""
    found = translation(topic, locale)
    if found is None or not found.audio_url:
        return
    ours = found.audio_url.startswith(_url_path(topic, locale))
    found.audio_url = None
    if ours:  # not a file the deployment put there itself
        path_for(topic, locale).unlink(missing_ok=True)
    db.session.flush()
    rights.forget_cached()
    audit.record(
        actor=actor,
        action="rights.audio_removed",
        target_type="rights_topic",
        target_id=topic.id,
        detail={"locale": locale},
    )
