"""Conversations by text, driven through the signed webhook like a phone would."""

import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from organize import rights
from organize.extensions import db
from organize.models import Alert, AlertTranslation, Contact, Review, Subscriber
from organize.plumbing.expiring import store
from tests.factories import conversation_of, expiring_entries


def conversation():
    return conversation_of("+17135550142")


def subscriber():
    return db.session.scalar(sa.select(Subscriber))


def test_anything_not_understood_gets_the_menu(app, phone):
    reply = phone.send("hello there")
    assert "1 " in reply
    assert "5 " in reply
    assert conversation().flow == "menu"


def test_rights_in_spanish_from_the_keyword(seeded, phone):
    listing = phone.send("DERECHOS")
    assert "Salario m" in listing  # the Spanish title, whatever its accents became
    assert "MAS" in listing
    db.session.expire_all()
    assert db.session.scalar(sa.select(Contact.locale)) == "es"
    slugs = conversation().data["slugs"]
    topic = phone.send("1")
    assert f"/rights/{slugs[0]}?lang=es" in topic
    more = phone.send("DERECHOS")
    assert more == listing


def test_rights_list_pages_with_next(seeded, phone):
    first = phone.send("RIGHTS")
    second = phone.send("NEXT")
    assert first != second
    assert second.splitlines()[1].startswith("7 ")


def test_long_text_is_paged_with_more(app, phone):
    long_summary = " ".join(["Overtime is paid at one and a half times your rate."] * 30)
    rights.upsert(
        slug="long",
        category="pay",
        position=0,
        reviewed_on=None,
        sources=[],
        texts={"en": {"title": "Long", "summary": long_summary, "body": "b"}},
    )
    db.session.commit()
    phone.send("RIGHTS")
    pages = [phone.send("1")]
    while "(MORE for more)" in pages[-1]:
        pages.append(phone.send("MORE"))
        assert len(pages) < 10
    assert len(pages) >= 3
    joined = " ".join(p.replace("(MORE for more)", "") for p in pages)
    assert joined.count("one and a half times") == 30


def test_review_by_text_end_to_end(seeded, phone):
    phone.send("RESEÑA")
    matches = phone.send("Sunrise Cleaning, Houston")
    assert matches.startswith("1 Sunrise Cleaning")
    phone.send("1")
    for answer in ["2", "SKIP", "3", "4", "1"]:
        phone.send(answer)
    for answer in ["SI", "NO", "SALTAR"]:
        phone.send(answer)
    phone.send("La encargada Carmen Johnson nos gritaba.")
    phone.send("Llámenme al 713-555-0199 o carmen.j@gmail.com")
    db.session.expire_all()
    stored = repr(conversation().data)
    for raw in ("Carmen", "Johnson", "555-0199", "carmen.j"):
        assert raw not in stored
    preview = phone.send("LISTO")
    assert "[nombre]" in preview
    assert "Carmen" not in preview
    phone.send("SI")
    review = db.session.scalar(sa.select(Review).where(Review.channel == "sms"))
    assert review.status == "pending"
    assert review.locale == "es"
    assert (review.pay, review.hours, review.recommend) == (2, None, 1)
    assert (review.wage_theft, review.documents_withheld, review.immigration_threats) == (
        True,
        False,
        None,
    )
    assert "Carmen" not in review.text
    assert conversation() is None


def test_review_can_add_an_unlisted_employer_and_be_edited_or_thrown_away(app, phone):
    phone.send("REVIEW")
    assert "NEW" in phone.send("Taqueria Nueva")
    assert "city" in phone.send("NEW")
    phone.send("San Antonio")
    for answer in ["SKIP"] * 5 + ["SKIP"] * 3:
        phone.send(answer)
    phone.send("first version")
    phone.send("DONE")
    assert "write" in phone.send("EDIT").lower()
    phone.send("second version")
    assert "second version" in phone.send("DONE")
    phone.send("NO")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0
    assert db.session.scalar(sa.text("select name from employer")) == "Taqueria Nueva"


def test_invalid_answers_repeat_the_question(seeded, phone):
    phone.send("REVIEW")
    phone.send("Sunrise Cleaning")
    question = phone.send("1")
    assert phone.send("9") == question.splitlines()[-1]
    assert phone.send("banana") == question.splitlines()[-1]


def test_join_double_opt_in_and_questions(app, phone):
    ask = phone.send("JOIN")
    assert "YES" in ask
    assert "Msg & data rates may apply" in ask
    assert subscriber().status == "pending"
    phone.send("YES")
    db.session.expire_all()
    assert subscriber().status == "active"
    assert subscriber().consent_at is not None
    phone.send("tx")
    phone.send("1")
    db.session.expire_all()
    assert (subscriber().region, subscriber().industry) == ("TX", "cleaning")
    assert conversation() is None


def test_yes_confirms_a_pending_signup_outside_the_conversation(app, phone):
    phone.send("JOIN")
    store().delete(*expiring_entries("sms:conversation:"))
    db.session.commit()
    phone.send("YES")
    db.session.expire_all()
    assert subscriber().status == "active"


def test_alerts_when_subscribed_shows_the_latest_alert_in_my_language(app, phone):
    alert = Alert(status="sent", sent_at=datetime.now(UTC))
    alert.translations = [
        AlertTranslation(locale="en", title="Strike Friday", body="Meet at 7am."),
        AlertTranslation(locale="es", title="Huelga el viernes", body="Nos vemos a las 7am."),
    ]
    db.session.add(alert)
    db.session.commit()
    phone.send("UNIRSE")
    phone.send("SI")
    assert "Huelga el viernes" in phone.send("ALERTAS")


def test_stop_then_start(app, phone):
    phone.send("JOIN")
    phone.send("YES")
    confirmation = phone.send("STOP")
    assert "START" in confirmation
    db.session.expire_all()
    assert subscriber().status == "opted_out"
    assert subscriber().opted_out_at is not None
    phone.send("START")
    db.session.expire_all()
    assert subscriber().status == "active"


def _to_step(phone, steps):
    for body in steps:
        phone.send(body)


STEPS = {
    "menu": ["MENU"],
    "language": ["LANG"],
    "rights list": ["RIGHTS"],
    "near": ["NEAR"],
    "review employer": ["REVIEW"],
    "review pick": ["REVIEW", "Sunrise"],
    "review rating": ["REVIEW", "Sunrise", "1"],
    "review flags": ["REVIEW", "Sunrise", "1", *["SKIP"] * 5],
    "review story": ["REVIEW", "Sunrise", "1", *["SKIP"] * 8, "it was bad"],
    "review confirm": ["REVIEW", "Sunrise", "1", *["SKIP"] * 8, "it was bad", "DONE"],
    "signup confirm": ["JOIN"],
    "signup region": ["JOIN", "YES"],
    "signup industry": ["JOIN", "YES", "TX"],
    "forget confirm": ["JOIN", "YES", "DELETE"],
}


@pytest.mark.parametrize("word", ["STOP", "alto", "stop texting me", "CANCEL"])
@pytest.mark.parametrize("step", list(STEPS))
def test_opt_out_wins_inside_every_step(seeded, phone, step, word):
    phone.send("JOIN")
    phone.send("YES")
    _to_step(phone, STEPS[step])
    reply = phone.send(word)
    assert "START" in reply
    db.session.expire_all()
    assert subscriber().status == "opted_out"
    assert conversation() is None


def test_advanced_opt_out_records_and_answers_nothing(app, phone):
    phone.send("JOIN")
    phone.send("YES")
    assert phone.send("STOP", OptOutType="STOP") is None
    db.session.expire_all()
    assert subscriber().status == "opted_out"
    assert phone.send("START", OptOutType="START") is None
    db.session.expire_all()
    assert subscriber().status == "active"
    assert phone.send("HELP", OptOutType="HELP") is None


def test_help_has_what_ctia_asks(app, phone):
    reply = phone.send("HELP")
    for part in ("organize", "alerts", "Msg & data rates may apply", "STOP", "Help:"):
        assert part in reply


def test_help_keeps_the_conversation_going(seeded, phone):
    phone.send("REVIEW")
    phone.send("HELP")
    assert conversation().flow == "review"


def test_an_expired_conversation_is_gone_and_the_next_text_starts_afresh(app_factory):
    app = app_factory(SMS_CONVERSATION_TTL=1)
    with app.app_context():
        from tests.sms.conftest import Phone

        phone = Phone(app.test_client(), "+17135550142")
        phone.send("REVIEW")
        assert conversation().flow == "review"
        time.sleep(1.1)
        assert conversation() is None  # the TTL is the expiry: nothing to clean up later
        reply = phone.send("Sunrise Cleaning, Houston")
        assert "5 " in reply  # read afresh: the menu, not a review step
        assert "Sunrise" not in reply


def test_language_menu_lists_languages_by_their_own_names(app, phone):
    reply = phone.send("LANG")
    for name in ("English", "Español", "中文", "Tagalog", "Kreyòl"):
        assert name in reply
    spanish = phone.send("2")
    assert "Responda" in spanish or "Idioma" in spanish
    db.session.expire_all()
    assert db.session.scalar(sa.select(Contact.locale)) == "es"


def test_help_near_you_by_region(seeded, phone):
    regions = phone.send("NEAR")
    number = next(line.split()[0] for line in regions.splitlines() if line.endswith(" TX"))
    places = phone.send(number)
    assert "Gulf Coast Workers Center" in places


def test_forget_me_deletes_everything_tied_to_the_number(seeded, phone):
    phone.send("JOIN")
    phone.send("YES")
    phone.send("LANG")
    phone.send("2")
    phone.send("BORRAR")
    phone.send("SI")
    for model in (Subscriber, Contact):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    assert conversation() is None


def test_forget_me_can_be_declined(app, phone):
    phone.send("JOIN")
    phone.send("YES")
    phone.send("DELETE")
    phone.send("NO")
    assert subscriber() is not None
