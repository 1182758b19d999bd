#!/usr/bin/env python3
"""A minimal asciicast v2 player and checker for Tests/EndToEnd/record.sh (standard library only).

play_cast.py play CAST DONE   writes every "o" event's text to the terminal on stdout, byte for byte (raw output
                              mode, as `asciinema play` does; no delays), then creates the file DONE.
play_cast.py check CAST       checks that every line is JSON (header object, then [seconds, "o"|"r", text] events
                              with times that never go back, "r" as WxH) and prints a JSON summary: width,
                              height, title, theme, output events, output bytes, resizes (list of "WxH"), the first
                              output event's first 24 characters.
Exit status 1 with one line naming the line and problem when the file is not a valid recording.
"""
import json
import os
import sys
import termios
import tty


def read_cast(path):
    with open(path, encoding="utf-8") as handle:  # invalid UTF-8 raises here
        lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        raise ValueError("the last line has no newline (the file was cut)")
    if not lines:
        raise ValueError("empty file")
    header = json.loads(lines[0])
    if not isinstance(header, dict) or header.get("version") != 2:
        raise ValueError("line 1: not an asciicast v2 header")
    for key in ("width", "height", "timestamp"):
        if not isinstance(header.get(key), int):
            raise ValueError(f"line 1: '{key}' is not an integer")
    events, last = [], 0.0
    for number, line in enumerate(lines[1:], start=2):
        try:
            event = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not JSON ({error})")
        if not (isinstance(event, list) and len(event) == 3 and isinstance(event[0], (int, float))
                and event[1] in ("o", "r") and isinstance(event[2], str)):
            raise ValueError(f"line {number}: not an event [seconds, \"o\"|\"r\", text]: {line[:80]}")
        if event[0] < last:
            raise ValueError(f"line {number}: time {event[0]} goes back (after {last})")
        if event[1] == "r":
            w, _, h = event[2].partition("x")
            if not (w.isdigit() and h.isdigit()):
                raise ValueError(f"line {number}: resize '{event[2]}' is not WxH")
        last = event[0]
        events.append(event)
    return header, events


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("play", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        header, events = read_cast(sys.argv[2])
    except (ValueError, UnicodeDecodeError, OSError) as error:
        print(f"play_cast.py: {sys.argv[2]}: {error}", file=sys.stderr)
        return 1
    if sys.argv[1] == "check":
        outputs = [e for e in events if e[1] == "o"]
        print(json.dumps({"width": header["width"], "height": header["height"], "title": header.get("title"),
                          "theme": header.get("theme"), "outputs": len(outputs),
                          "output_bytes": sum(len(e[2].encode("utf-8")) for e in outputs),
                          "resizes": [e[2] for e in events if e[1] == "r"],
                          "first_output": outputs[0][2][:24] if outputs else ""}))
        return 0
    fd = sys.stdout.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None
    if saved is not None:
        tty.setraw(fd)  # no output processing: the bytes reach the terminal as the recording has them
    for event in events:
        if event[1] == "o":
            data = event[2].encode("utf-8")
            while data:
                data = data[os.write(fd, data):]
    with open(sys.argv[3], "w"):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
