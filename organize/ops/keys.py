"""`flask keys rotate`: re-encrypt every stored number with the newest ENCRYPTION_KEY.

ENCRYPTION_KEY may list several Fernet keys, newest first (a MultiFernet: the first encrypts,
all decrypt). To rotate: put a new key in front, restart, run `flask keys rotate`, then drop the
old key from the list. Batches are keyset-paged and committed one by one, so a large list is
never held in memory and an interrupted run can simply be started again.
"""

from typing import Any

import sqlalchemy as sa

from organize import privacy
from organize.extensions import db
from organize.models import PendingText, Subscriber

BATCH = 500
ENCRYPTED: tuple[Any, ...] = (Subscriber, PendingText)  # every model with a phone_cipher


def rotate_numbers(*, batch: int = BATCH) -> dict[str, int]:
    """Re-encrypt each model's `phone_cipher` with the first key; returns rows per table."""
    done: dict[str, int] = {}
    for model in ENCRYPTED:
        table = model.__table__
        update = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("b_id"))
            .values(phone_cipher=sa.bindparam("b_cipher"))
        )
        last, count = 0, 0
        while True:
            rows = db.session.execute(
                sa.select(table.c.id, table.c.phone_cipher)
                .where(table.c.id > last)
                .order_by(table.c.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            params = [
                {"b_id": row.id, "b_cipher": privacy.rotate(row.phone_cipher)} for row in rows
            ]
            db.session.execute(update, params)
            db.session.commit()
            last, count = rows[-1].id, count + len(rows)
        done[table.name] = count
    return done
