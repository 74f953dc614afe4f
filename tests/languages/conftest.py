"""Phones and callers (the real signed webhooks), the demo seed, and each language's words."""

import tomllib
from pathlib import Path

import pytest

from tests.ivr.conftest import caller, seeded  # the same phone caller and demo seed
from tests.sms.conftest import Phone

SEED = Path(__file__).resolve().parents[2] / "organize" / "seed"
# What a person of each language would text (as people write them, accents or not).
WORDS = {
    "es": {"rights": "DERECHOS", "join": "ALERTAS", "yes": ["SÍ", "si"], "menu": "MENÚ"},
    "zh": {"rights": "权利", "join": "订阅", "yes": ["是", "好", "对"], "menu": "菜单"},
    "tl": {"rights": "KARAPATAN", "join": "SALI", "yes": ["OO", "Opo"], "menu": "MENU"},
    "ht": {"rights": "DWA", "join": "ENSKRI", "yes": ["WI", "Wi wi"], "menu": "MENI"},
}
LANGUAGES = ["es", "zh", "tl", "ht"]
MAIN_MENU = (
    "1 Your rights\n2 Review an employer\n3 Action alerts\n4 Help near you\n5 Language\n"
    "Reply with a number."
)


def seed_topics() -> list[dict]:
    """The rights seed files, in the order the channels list them."""
    from organize.cli import rights_seed_files

    return [tomllib.loads(p.read_text("utf-8")) for p in rights_seed_files()]


@pytest.fixture
def phone_factory(client):
    return lambda number="+17135550142": Phone(client, number)


@pytest.fixture
def phone(phone_factory):
    return phone_factory("+17135550142")


__all__ = ["caller", "seeded"]
