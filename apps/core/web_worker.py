"""The web process's gunicorn worker: gthread, except that a kept-alive connection is not kept forever.

All workers accept from one listening socket, and a kept-alive connection stays with the worker that
accepted it: a few busy clients (or a proxy's upstream pool) could load one worker while another sat
idle. After `max_requests_per_connection` answers the connection is closed ("Connection: close"), and the
client's next connection goes to whichever worker accepts it first, so load spreads again within seconds.
"""

from __future__ import annotations

import os

from gunicorn.workers.gthread import ThreadWorker


def _requests_per_connection() -> int:
    try:
        return max(1, int(os.environ.get("REVENGE_WEB_KEEPALIVE_REQUESTS", 20)))
    except ValueError:
        return 20


class BalancedThreadWorker(ThreadWorker):
    """gthread with a cap on the requests one kept-alive connection carries."""

    # Like nginx's keepalive_requests: a new connection costs the worker well under a millisecond.
    max_requests_per_connection = _requests_per_connection()

    def handle_request(self, req, conn):
        served = getattr(conn, "revenge_served", 0) + 1
        conn.revenge_served = served
        if served >= self.max_requests_per_connection:
            req.must_close = True  # the answer says "Connection: close", then the socket is closed
        return super().handle_request(req, conn)
