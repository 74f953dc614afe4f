"""A pooled database connection is pinged before use only when it sat idle (issue 12).

SQLAlchemy's `pool_pre_ping` pings on every checkout: a round trip that cost a text touching
the database ~75 µs of a web worker's CPU (bench/webhook.py's "1", measured in process). A
connection checked in less than `FRESH_SECONDS` ago was working then, so it is used as is; one
idle longer (a database restart, a proxy's idle timeout) is pinged as before, and replaced when
the ping finds it dead. A connection that dies within those seconds fails its first statement
instead: SQLAlchemy then invalidates the pool's connections, that request takes its
database-down path (a text is kept for later, `sms.overload`), and the next checkout connects
afresh.
"""

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

FRESH_SECONDS = 2.0
CHECKED_IN = "organize_checked_in"  # in the connection record's info: monotonic seconds


def install(engine: Engine) -> None:
    """Ping `engine`'s connections at checkout when they sat idle (instead of `pool_pre_ping`)."""

    def checked_in(dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[CHECKED_IN] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        last = record.info.get(CHECKED_IN)
        if last is not None and time.monotonic() - last < FRESH_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error  # the pool connects afresh
            raise

    event.listen(engine.pool, "checkin", checked_in)
    event.listen(engine.pool, "checkout", checked_out)
