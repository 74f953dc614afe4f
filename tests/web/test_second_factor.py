"""The second factor: a password alone never opens the console; enrolment at the first sign-in
(QR code, first code, recovery codes shown once); codes used once; wrong codes locked out; an
admin's reset; secrets encrypted and recovery codes hashed at rest."""

import re
import time

import pyotp
import sqlalchemy as sa

from organize import privacy
from organize.extensions import db
from organize.models import AuditEvent, Organizer, RecoveryCode
from organize.web.organizer import PENDING
from tests.factories import PASSWORD, dump_database, login, make_organizer, totp_code

EMAIL = "mod@example.org"


def _password(client, email=EMAIL):
    return client.post("/organizer/login", data={"email": email, "password": PASSWORD})


def _actions():
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _enrol(client):
    """The first sign-in of an organizer without a second factor, up to the recovery codes."""
    assert _password(client).headers["Location"] == "/organizer/login/enrol"
    page = client.get("/organizer/login/enrol").get_data(as_text=True)
    key = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    answer = client.post("/organizer/login/enrol", data={"code": pyotp.TOTP(key).now()})
    return page, key, answer.get_data(as_text=True)


def test_a_password_alone_never_opens_the_console(client):
    make_organizer()
    assert _password(client).headers["Location"] == "/organizer/login/code"
    for path in ("/organizer/", "/organizer/moderation"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/organizer/login")
    wrong = client.post("/organizer/login/code", data={"code": "000000"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    assert client.get("/organizer/").status_code == 302
    assert login(client) == "/organizer/"
    assert client.get("/organizer/").status_code == 200


def test_first_sign_in_enrols_with_a_qr_code_and_shows_recovery_codes_once(client):
    make_organizer(enrolled=False)
    page, key, shown = _enrol(client)
    assert '<svg role="img" aria-label=' in page
    assert "<path" in page
    assert "<img" not in page
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", shown)
    assert len(codes) == 10
    assert client.get("/organizer/").status_code == 200
    assert _actions() == ["organizer.2fa-enrol", "organizer.login"]
    # At rest: the secret only encrypted, the recovery codes only as argon2 hashes.
    stored = dump_database()
    assert key not in stored
    assert key.lower() not in stored
    assert not any(code.replace("-", "") in stored or code in stored for code in codes)
    organizer = db.session.scalar(sa.select(Organizer))
    assert privacy.decrypt(organizer.totp_cipher) == key
    hashes = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10
    assert all(h.startswith("$argon2") for h in hashes)
    # Shown once: the enrolment page is gone for an enrolled organizer.
    client.post("/organizer/logout")
    _password(client)
    assert client.get("/organizer/login/enrol").headers["Location"] == "/organizer/login/code"


def test_a_wrong_first_code_does_not_enrol(client):
    make_organizer(enrolled=False)
    _password(client)
    answer = client.post("/organizer/login/enrol", data={"code": "123456"})
    assert "That code is not right" in answer.get_data(as_text=True)
    assert client.get("/organizer/").status_code == 302
    assert db.session.scalar(sa.select(Organizer.totp_enabled_at)) is None


def test_a_code_opens_the_console_once(client):
    make_organizer()
    code = totp_code(client)
    _password(client)
    assert client.post("/organizer/login/code", data={"code": code}).status_code == 302
    client.post("/organizer/logout")
    _password(client)
    replay = client.post("/organizer/login/code", data={"code": code})
    assert replay.status_code == 200  # the same code again: refused
    assert client.get("/organizer/").status_code == 302


def test_a_recovery_code_works_once_and_is_audited(client):
    make_organizer(enrolled=False)
    _page, _key, shown = _enrol(client)
    code = re.findall(r"<code>([a-z2-9-]{19})</code>", shown)[3]
    client.post("/organizer/logout")
    _password(client)
    answer = client.post("/organizer/login/code", data={"code": code.upper().replace("-", " ")})
    assert "You have 9 recovery codes left" in answer.get_data(as_text=True)
    assert client.get("/organizer/").status_code == 200
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organizer.recovery-code-used")
    )
    assert event.detail == {"left": 9}
    client.post("/organizer/logout")
    _password(client)
    assert client.post("/organizer/login/code", data={"code": code}).status_code == 200
    assert client.get("/organizer/").status_code == 302


def test_five_wrong_codes_lock_the_right_one_out(client):
    make_organizer()
    _password(client)
    for guess in ("111111", "222222", "333333", "444444", "555555"):
        client.post("/organizer/login/code", data={"code": guess})
    answer = client.post("/organizer/login/code", data={"code": totp_code(client)})
    assert "Too many wrong codes" in answer.get_data(as_text=True)
    assert client.get("/organizer/").status_code == 302


def test_the_password_step_expires(client):
    make_organizer()
    _password(client)
    with client.session_transaction() as session:
        session[PENDING] = {**session[PENDING], "at": int(time.time()) - 301}
    answer = client.post("/organizer/login/code", data={"code": totp_code(client)})
    assert answer.headers["Location"] == "/organizer/login"
    assert client.get("/organizer/").status_code == 302


def test_an_admin_resets_a_lost_second_factor(app_factory):
    # No app context held open: a shared one would cache the signed-in organizer in `g`.
    app = app_factory()
    with app.app_context():
        make_organizer()
    client = app.test_client()
    login(client)
    assert client.get("/organizer/").status_code == 200
    result = app.test_cli_runner().invoke(args=["reset-second-factor", "MOD@example.org"])
    assert result.exit_code == 0, result.output
    assert client.get("/organizer/").status_code == 302  # every session ended
    with app.app_context():
        organizer = db.session.scalar(sa.select(Organizer))
        assert organizer.totp_cipher is None
        assert organizer.totp_enabled_at is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
        assert "organizer.2fa-reset" in _actions()
    assert _password(client).headers["Location"] == "/organizer/login/enrol"
    missing = app.test_cli_runner().invoke(args=["reset-second-factor", "nobody@example.org"])
    assert missing.exit_code != 0


def test_a_session_of_an_organizer_without_a_second_factor_loads_no_one(app):
    """A session from before the second factor existed (or forged) does not open the console."""
    organizer = make_organizer(enrolled=False)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = organizer.get_id()
        session["_fresh"] = True
    assert client.get("/organizer/").status_code == 302


def test_new_recovery_codes_need_the_password_and_a_code(client):
    make_organizer()
    login(client)
    assert "You have 0 recovery codes left" in client.get("/organizer/security").get_data(
        as_text=True
    )
    wrong = client.post("/organizer/security", data={"password": "nope", "code": "123456"})
    assert "Wrong password or code." in wrong.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    shown = client.post(
        "/organizer/security", data={"password": PASSWORD, "code": totp_code(client)}
    ).get_data(as_text=True)
    assert len(re.findall(r"<code>[a-z2-9-]{19}</code>", shown)) == 10
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 10
    assert "organizer.recovery-codes-new" in _actions()
