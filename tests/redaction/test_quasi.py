"""Quasi-identifier warnings: shown in the worker's language on both previews, never blocking."""

from __future__ import annotations

import pytest

from organize.extensions import db
from organize.models import Review
from organize.redaction import redact
from organize.redaction.quasi import quasi_identifiers
from tests.factories import make_employer
from tests.htmltools import input_value, visible_text
from tests.sms.conftest import phone, phone_factory, seeded

__all__ = ["phone", "phone_factory", "seeded"]  # fixtures for the SMS preview test


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("I am the only Guatemalan on the night shift.", {"unique"}),
        ("Soy la única guatemalteca en el turno de noche.", {"unique"}),
        ("Ako lang ang Pilipino sa night shift.", {"unique"}),
        ("Mwen se sèl Ayisyen nan ekip lannwit lan.", {"unique"}),
        ("我是唯一的中国人。", {"unique"}),
        ("My position is head cook and the owner knows it.", {"role"}),
        ("Trabajo como cocinera principal.", {"role"}),
        ("Nagtatrabaho ako bilang cashier doon.", {"role"}),
        ("我是这里的厨师。", {"role"}),
        ("It happened on March 3 at 4:15 pm near the dock.", {"when"}),
        ("Pasó el 5 de mayo a las 3 de la tarde.", {"when"}),
        ("Nangyari ito alas-tres ng hapon.", {"when"}),
        ("Sa te pase 12 janvye a 3è.", {"when"}),
        ("3月5日下午3点老板骂了我们。", {"when"}),
        ("I'm 52 and pregnant, they still made me lift boxes.", {"self"}),
    ],
)
def test_kinds_found_in_five_languages(text: str, kinds: set[str]) -> None:
    assert {w.kind for w in quasi_identifiers(text)} >= kinds


@pytest.mark.parametrize(
    "text",
    [
        "They never paid overtime and the break room has no heat.",
        "No pagan las horas extra desde hace meses.",
        "Hindi kami binabayaran ng overtime.",
        "Patwon an pa peye nou lè siplemantè.",
        "老板不给加班费。",
        "The only way to get paid is to complain every week.",
    ],
)
def test_ordinary_stories_get_no_warning(text: str) -> None:
    assert quasi_identifiers(text) == ()


def test_warnings_come_in_the_workers_language_and_do_not_change_the_text() -> None:
    text = "Soy la única guatemalteca del turno de noche."
    result = redact(text, "es")
    assert result.text == text
    assert [w.kind for w in result.warnings] == ["unique"]
    assert "única persona de su grupo" in result.warnings[0].message
    assert "only one of your group" in redact(text, "en").warnings[0].message


def test_warnings_read_through_invisible_characters() -> None:
    assert redact("the only\u200b Guatemalan here").warnings[0].kind == "unique"


def test_web_preview_warns_and_still_lets_the_worker_send(client) -> None:
    employer = make_employer()
    story = "Soy la única guatemalteca del turno de noche y no nos pagan las horas extra."
    response = client.post(
        "/review?lang=es", data={"employer": employer.slug, "text": story, "pay": "2"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = visible_text(page.split("<details>")[0])
    assert "todavía puede señalarle" in text
    assert "única persona de su grupo" in text
    payload = input_value(page, "payload")
    assert client.post("/review/confirm", data={"payload": payload}).status_code == 302
    assert db.session.query(Review).one().text == story


def test_sms_preview_warns_in_the_workers_language(seeded, phone) -> None:
    phone.send("RESEÑA")
    phone.send("Sunrise Cleaning, Houston")
    phone.send("1")
    for answer in ["2", "SKIP", "3", "4", "1", "SI", "NO", "SALTAR"]:
        phone.send(answer)
    phone.send("Soy la única guatemalteca del turno de noche.")
    preview = phone.send("LISTO")  # texts drop the accents GSM-7 lacks
    assert "Cuidado, esto todavia puede señalarle" in preview
    assert "unica persona de su grupo" in preview
    phone.send("SI")
    assert db.session.query(Review).filter_by(channel="sms").count() == 1
