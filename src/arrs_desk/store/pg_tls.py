"""PostgreSQL across a network only over TLS (issue 20 item 1).

Staff records crossing a practice network or the internet in clear can be read by anyone on the
way. A server on this computer (localhost, a Unix socket) needs no TLS; any other host gets
`sslmode=require` when the URL says nothing, and a URL that asks for less (`disable`, `allow`,
`prefer`, each of which may end up unencrypted) is refused, unless the administrator has said so
by setting ARRS_DESK_ALLOW_UNENCRYPTED_POSTGRES=1 (say, a server on the practice's own isolated
network that cannot do TLS yet). The server must also encrypt its disks: see the README.
"""

from __future__ import annotations

import ipaddress
import os

from sqlalchemy.engine import URL, make_url

from arrs_desk.errors import DatabaseProblem

ALLOW_ENV = "ARRS_DESK_ALLOW_UNENCRYPTED_POSTGRES"
ENCRYPTED_MODES = frozenset({"require", "verify-ca", "verify-full"})


def is_local(host: str | None) -> bool:
    """This computer: no host (the default socket), a socket folder, localhost or a loopback address."""
    if not host or host.startswith("/") or host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secure_url(url: str) -> str:
    """`url` with TLS required for a remote server; DatabaseProblem for a remote URL that asks for less."""
    parsed: URL = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return url
    hosts = [parsed.host] + _extra_hosts(parsed)
    if all(is_local(h) for h in hosts):
        return url
    mode = parsed.query.get("sslmode")
    mode = mode[0] if isinstance(mode, tuple) else mode
    if mode is None:
        return parsed.update_query_dict({"sslmode": "require"}).render_as_string(hide_password=False)
    if mode in ENCRYPTED_MODES or os.environ.get(ALLOW_ENV) == "1":
        return url
    shown = parsed.render_as_string(hide_password=True)
    raise DatabaseProblem(
        f"ARRS Desk will not connect to {shown} without encryption (the address asks for sslmode={mode}): staff "
        "records would cross the network in clear. Use sslmode=require (or verify-full), and ask whoever runs the "
        f"server to turn on TLS. If the administrator has decided otherwise, set {ALLOW_ENV}=1 on this PC.")


def _extra_hosts(parsed: URL) -> list[str]:
    """Hosts given in the query (`?host=a&host=b`), as libpq allows."""
    extra = parsed.query.get("host")
    if extra is None:
        return []
    return list(extra) if isinstance(extra, tuple) else [extra]
