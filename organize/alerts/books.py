"""A sending job's database work, off its event loop where the database allows it."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa

from organize.extensions import db

T = TypeVar("T")


class Books:
    """A job's database work while it sends. On PostgreSQL it runs in a thread of its own on a
    connection of its own, one call at a time, so the loop keeps sending while a round trip
    waits (on a busy machine a round trip is milliseconds, during which a blocked loop sent
    nothing). On SQLite (tests, development) it runs inline in the job's session, its one
    writer."""

    def __init__(self) -> None:
        self.inline = db.session.get_bind().dialect.name == "sqlite"
        self.engine = db.engine
        self.pool = None if self.inline else ThreadPoolExecutor(1, "organize-books")
        self.connection: sa.Connection | None = None

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self.connection is None:
            self.connection = self.engine.connect()
        try:
            result = fn(self.connection, *args)
        except BaseException:
            self.connection.rollback()
            raise
        self.connection.commit()
        return result

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(connection, *args)`, committed."""
        if self.pool is None:
            result = fn(db.session.connection(), *args)
            db.session.commit()  # SQLite: its readers block writers (a STOP webhook's)
            return result
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._call, fn, args)

    def close(self) -> None:
        if self.pool is not None:
            if self.connection is not None:
                self.pool.submit(self.connection.close).result()
            self.pool.shutdown()
