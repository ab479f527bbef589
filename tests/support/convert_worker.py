"""The process the conversion kill test kills: it turns a database's encryption on or off.

    python -m tests.support.convert_worker DATABASE

A fork server, as `crash_writer` is: it imports the conversion code and derives the test key once,
prints `ready`, then on each `go on` or `go off` line forks a child that prints `start PID`, converts
the file (`on`: plain to encrypted, `off`: back) and prints `done`. `ping` is answered with `pong`
after everything a killed child printed. Children are reaped by the kernel (SIGCHLD ignored).
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

PASSPHRASE = "kill me at any moment"
SALT = bytes(range(100, 116))


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def worker_key():
    from arrs_desk.store.cipher import DatabaseKey

    return DatabaseKey.from_passphrase(PASSPHRASE, SALT)


def main(database: str) -> None:
    from pathlib import Path

    from arrs_desk.store.cipher_convert import convert_file

    key = worker_key()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    _say("ready")
    for line in sys.stdin:
        command = line.split()
        if command == ["ping"]:
            _say("pong")
        elif command[:1] == ["go"]:
            if os.fork() == 0:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                try:
                    _say(f"start {os.getpid()}")
                    old, new = (None, key) if command[1] == "on" else (key, None)
                    convert_file(Path(database), old, new)
                    _say("done")
                except BaseException:  # noqa: BLE001
                    _say("error " + traceback.format_exc().replace("\n", " | "))
                os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
