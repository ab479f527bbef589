"""A user-space TCP proxy that delays each direction, for measuring a shared PostgreSQL server
as if it were at another site (issue 18, items 6 and 7). The kernel here has no netem, so `tc`
cannot add the delay.

    with LatencyProxy("127.0.0.1", 5432, delay_ms=10) as proxy:   # 20 ms round trips
        url = proxy.url_for("postgresql+psycopg://arrs@127.0.0.1:5432/db")
        ...
        proxy.client_sends    # client -> server bursts so far: a count of round trips

Each chunk read from one side is delivered to the other `delay_ms` after it was read, in order,
without holding up the chunks behind it (a pipe with latency, not a slow link). A round trip is
the client sending after hearing from the server: `client_sends` counts those, so statements sent
together without waiting (a PostgreSQL pipeline) count once, as they cost once.

    python benchmarks/latency_proxy.py --target 127.0.0.1:5432 --listen 6543 --delay-ms 10
"""

from __future__ import annotations

import argparse
import heapq
import socket
import threading
import time
from typing import Self
from urllib.parse import urlsplit, urlunsplit


class _DelayedPipe:
    """One direction of one connection: reader thread stamps chunks, writer thread sends them late."""

    def __init__(self, source: socket.socket, sink: socket.socket, delay_s: float, on_burst):
        self.source, self.sink, self.delay_s, self.on_burst = source, sink, delay_s, on_burst
        self._queue: list[tuple[float, int, bytes]] = []
        self._order = 0
        self._ready = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _read(self) -> None:
        try:
            while data := self.source.recv(65536):
                self.on_burst()
                self._push(data)
        except OSError:
            pass
        self._push(b"")  # end of stream, delivered after what came before it

    def _push(self, data: bytes) -> None:
        with self._ready:
            self._order += 1
            heapq.heappush(self._queue, (time.monotonic() + self.delay_s, self._order, data))
            self._ready.notify()

    def _write(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                due, _order, data = self._queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._ready.wait(wait)
                    continue
                heapq.heappop(self._queue)
            if not data:
                _shut(self.sink)
                return
            try:
                self.sink.sendall(data)
            except OSError:
                _shut(self.source)
                return


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class LatencyProxy:
    """Listens on 127.0.0.1 (a free port unless given) and forwards to host:port, `delay_ms` late each way."""

    def __init__(self, host: str, port: int, delay_ms: float = 10, listen_port: int = 0):
        self.target = (host, port)
        self.delay_ms = delay_ms
        self._listener = socket.create_server(("127.0.0.1", listen_port))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self.client_sends = 0  # the client sending after an answer from the server: round trips
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def in_front_of(cls, url: str, delay_ms: float = 10) -> LatencyProxy:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 5432, delay_ms)

    def url_for(self, url: str) -> str:
        """`url` pointed at the proxy instead of the server."""
        parts = urlsplit(url)
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@127.0.0.1:{self.port}" if userinfo else f"127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def _counted(self) -> None:
        with self._lock:
            self.client_sends += 1

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
            delay = self.delay_ms / 1000
            heard = [True]  # whether the server has answered since the client last sent

            def client_sent(heard=heard):
                if heard[0]:
                    heard[0] = False
                    self._counted()

            _DelayedPipe(client, server, delay, client_sent)
            _DelayedPipe(server, client, delay, lambda heard=heard: heard.__setitem__(0, True))

    def close(self) -> None:
        self._listener.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port of the PostgreSQL server")
    parser.add_argument("--listen", type=int, default=0, help="port to listen on (127.0.0.1); a free one if 0")
    parser.add_argument("--delay-ms", type=float, default=10, help="delay each way (10: 20 ms round trips)")
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    proxy = LatencyProxy(host or "127.0.0.1", int(port), args.delay_ms, args.listen)
    print(f"127.0.0.1:{proxy.port} -> {args.target}, {args.delay_ms:g} ms each way; Ctrl+C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
