"""`flask keys rotate`: every stored number re-encrypted with the newest key, in batches; the old
key can then be dropped and every number still reads."""

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

from organize import privacy
from organize.extensions import db
from organize.models import PendingText, Subscriber
from tests.alerts.conftest import add_subscribers, number
from tests.conftest import FERNET_TEST_KEY


def test_rotation_moves_every_number_to_the_new_key(app_factory):
    old_app = app_factory()
    with old_app.app_context():
        add_subscribers(7)
        db.session.add(
            PendingText(phone_hash="h" * 64, phone_cipher=privacy.encrypt(number(99)), body="hi")
        )
        db.session.commit()

    new_key = Fernet.generate_key().decode()
    both = app_factory(ENCRYPTION_KEY=f"{new_key},{FERNET_TEST_KEY}")
    result = both.test_cli_runner().invoke(args=["keys", "rotate", "--batch", "3"])
    assert result.exit_code == 0, result.output
    assert "subscriber: 7 re-encrypted" in result.output
    assert "pending_text: 1 re-encrypted" in result.output

    only_new = app_factory(ENCRYPTION_KEY=new_key)
    with only_new.app_context():
        ciphers = db.session.scalars(sa.select(Subscriber.phone_cipher).order_by(Subscriber.id))
        assert sorted(privacy.decrypt(c) for c in ciphers) == [number(i) for i in range(7)]
        pending = db.session.scalar(sa.select(PendingText.phone_cipher))
        assert privacy.decrypt(pending) == number(99)
        old_only = Fernet(FERNET_TEST_KEY.encode())
        for cipher in db.session.scalars(sa.select(Subscriber.phone_cipher)):
            with pytest.raises(InvalidToken):  # the old key alone reads nothing any more
                old_only.decrypt(cipher.encode())


def test_one_key_only_says_how_to_rotate(runner):
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0
    assert "put the new key first" in result.output
