"""One Redis connection held per process for the text line's expiring state (issue 12)."""

import os
import weakref

from redis import Redis

# Per shared client: this process's id and its held client (a forked child makes its own).
_held: "weakref.WeakKeyDictionary[Redis, tuple[int, Redis]]" = weakref.WeakKeyDictionary()


def held_client(shared: Redis) -> Redis:
    """A client on `shared`'s pool that holds one connection for this process (redis-py's
    `single_connection_client`): a text's two round trips then skip the pool's checkout and
    check-in, ~17 µs of a web worker's CPU each (issue 12). Threads of one process take turns
    on it; each command is one short round trip."""
    held = _held.get(shared)
    if held is None or held[0] != os.getpid():
        client = Redis(connection_pool=shared.connection_pool, single_connection_client=True)
        held = _held[shared] = (os.getpid(), client)
    return held[1]
