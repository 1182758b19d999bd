#!/usr/bin/env python3
"""Runs BINARY on a pty that is NOT its controlling terminal, so closing the master sends no SIGHUP: the program
must notice the hang-up on its input by itself (poll POLLHUP / read error) and exit 74 within 2 s, not spin.
Usage: hangup_without_sighup.py BINARY ARGS...   Exit 0 on success, 1 with a message otherwise."""
import os, subprocess, sys, time

master, slave = os.openpty()
os.set_blocking(master, False)
env = dict(os.environ, TERM="xterm-256color", LINES="24", COLUMNS="80")
child = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=subprocess.DEVNULL, env=env,
                         start_new_session=True)  # new session, no controlling tty: no SIGHUP on close
os.close(slave)
deadline = time.time() + 10
seen = b""
while time.time() < deadline and b"terminal-check" not in seen and b"initscope" not in seen:
    try:
        seen += os.read(master, 65536)
    except (BlockingIOError, OSError):
        time.sleep(0.02)
if b"initscope" not in seen:
    child.kill(); print("never drew a screen"); sys.exit(1)
os.close(master)
closed = time.time()
try:
    status = child.wait(timeout=2)
except subprocess.TimeoutExpired:
    child.kill(); print("still running 2 s after the hang-up"); sys.exit(1)
if status != 74:
    print(f"exit status {status}, expected 74"); sys.exit(1)
print(f"exited 74 after {1000 * (time.time() - closed):.0f} ms")
