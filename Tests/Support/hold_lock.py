#!/usr/bin/env python3
"""hold_lock.py - hold a SQLite database's write lock from another process, for Herald's storage-fault tests.

Usage: hold_lock.py DATABASE READY_FILE

Opens DATABASE, begins an IMMEDIATE transaction (which takes the write lock; in WAL mode readers go on), writes
READY_FILE once the lock is held, then waits for a line on standard input (or its end) and commits. Exits 0 once the
lock is released; a writer in another process gets SQLITE_BUSY meanwhile once its busy timeout runs out.
"""
import os
import signal
import sqlite3
import sys


def main():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    database, ready = sys.argv[1], sys.argv[2]
    connection = sqlite3.connect(database, isolation_level=None, timeout=10)
    connection.execute("BEGIN IMMEDIATE")
    tmp = ready + ".tmp"
    with open(tmp, "w") as f:
        f.write("locked\n")
    os.replace(tmp, ready)
    sys.stdin.readline()
    connection.execute("COMMIT")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
