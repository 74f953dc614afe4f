"""Blind index, encryption with key rotation, masking, number parsing."""

import pytest
from cryptography.fernet import Fernet, InvalidToken

from organize import privacy


@pytest.mark.parametrize(
    "raw", ["+1 (713) 555-0142", "713-555-0142", "7135550142", "+17135550142", " 713.555.0142 "]
)
def test_every_way_of_writing_a_number_gives_one_e164_and_one_hash(app, raw):
    assert privacy.normalize(raw) == "+17135550142"
    assert privacy.phone(raw).hash == privacy.phone("+17135550142").hash


@pytest.mark.parametrize("raw", ["", "12345", "ACME", "+1"])
def test_short_codes_and_names_are_not_numbers_but_still_hash(app, raw):
    assert privacy.normalize(raw) is None
    assert len(privacy.phone(raw).hash) == 64


def test_hash_is_keyed(app_factory):
    with app_factory(PHONE_HASH_KEY="one").app_context():
        first = privacy.phone("+17135550142").hash
    with app_factory(PHONE_HASH_KEY="two").app_context():
        second = privacy.phone("+17135550142").hash
    assert first != second
    assert "7135550142" not in first


def test_encryption_round_trip_and_rotation(app_factory):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with app_factory(ENCRYPTION_KEY=old).app_context():
        token = privacy.encrypt("+17135550142")
        assert "7135550142" not in token
    with app_factory(ENCRYPTION_KEY=f"{new},{old}").app_context():
        assert privacy.decrypt(token) == "+17135550142"
        rotated = privacy.rotate(token)
    with app_factory(ENCRYPTION_KEY=new).app_context():
        assert privacy.decrypt(rotated) == "+17135550142"
        with pytest.raises(InvalidToken):
            privacy.decrypt(token)


def test_mask_shows_almost_nothing():
    assert privacy.mask("+17135550142") == "+1•••••••42"
