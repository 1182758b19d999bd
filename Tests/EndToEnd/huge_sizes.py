#!/usr/bin/env python3
"""Huge sizes are refused before anything is allocated: for every command (report, bench, live) and size flag
(--depth, --width, --batch) at Int.max, Int.max - 1, 2^62, 2^61, 2^60 and 2^28, the binary must exit 64 with one
line on stderr, within 5 s and with a peak RSS under 100 MB (measured per child with wait4).
Usage: huge_sizes.py BINARY    Prints one line per failure; exits 1 on any failure."""
import os
import sys
import time

SIZES = [2**63 - 1, 2**63 - 2, 2**62, 2**61, 2**60, 2**28]
PEAK_KB = 100_000


def run(argv):
    """(status or -signal, peak RSS in KB, stderr lines, seconds) of one run with stdin/stdout on /dev/null."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0); os.dup2(null, 1); os.dup2(write_end, 2)
        os.environ["TERM"] = "xterm-256color"
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        stderr = stream.read()
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return code, usage.ru_maxrss, len(stderr.splitlines()), time.monotonic() - started


def main():
    binary = sys.argv[1]
    failures = 0
    for size in SIZES:
        for flag in ("--depth", "--width", "--batch"):
            for command in ("report", "bench", "live"):
                code, peak, lines, seconds = run([binary, command, f"{flag}={size}"])
                if code != 64 or peak >= PEAK_KB or lines != 1 or seconds > 5:
                    failures += 1
                    print(f"{command} {flag}={size}: status {code}, peak RSS {peak} KB, {lines} stderr lines, {seconds:.1f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
