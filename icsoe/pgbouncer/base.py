"""PostgreSQL through PgBouncer in transaction mode (``ICSOE_PGBOUNCER=true``, see settings.py).

In transaction mode each transaction may run on a different server connection, so nothing may outlive one:
no prepared statements (``prepare_threshold`` None) and no ``WITH HOLD`` cursor, which Django opens for
``.iterator()`` in autocommit. This backend keeps server-side cursors inside a transaction, where Django
opens them ``WITHOUT HOLD`` and they live and die on one server connection, so an ``.iterator()`` in
``transaction.atomic()`` still reads in chunks with flat memory; outside a transaction it reads with a plain
cursor (what ``DISABLE_SERVER_SIDE_CURSORS`` would do everywhere).
"""

from __future__ import annotations

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def chunked_cursor(self):
        if self.get_autocommit():
            return self.cursor()
        return super().chunked_cursor()
