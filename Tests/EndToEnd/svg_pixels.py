#!/usr/bin/env python3
"""Checks a browser's screenshot of `initscope snapshot --format svg` against the SVG and the theme file.

svg_pixels.py SVG PNG THEME.toml [PARENT_THEME.toml...]
  - background: the centre of a cell with no rectangle and no glyph near it is the theme's assumed-background;
  - a block cell: the centre of a full block (U+2588) of a sparkline/histogram run has the run's fill, and that
    fill is one of the theme's colours;
  - a cell background: the centre of a blank cell inside a coloured <rect> has the rect's fill (a theme colour);
  - text: some pixel inside a run of letters drawn in the theme's text colour is that colour (glyph stems).
Tolerance 3 per channel at cell centres of solid blocks (anti-aliasing stays at the edges), 28 for glyph stems.
Prints one line per check; exit 1 naming the check, the pixel and both colours on a mismatch. Standard library only.
"""
import struct
import sys
import tomllib
import xml.etree.ElementTree as ET
import zlib

CELL_W, CELL_H = 8.4, 17.0


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + left) & 255
            elif kind == 2: line[i] = (line[i] + up) & 255
            elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def hex_rgb(text):
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


def theme_colours(paths):
    """Every "#rrggbb" the theme files give, and the first file's assumed-background and text colour."""
    colours, first = set(), None
    def walk(value):
        if isinstance(value, dict):
            for item in value.values(): walk(item)
        elif isinstance(value, list):
            for item in value: walk(item)
        elif isinstance(value, str) and value.startswith("#") and len(value) == 7:
            colours.add(hex_rgb(value))
    for path in paths:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        walk(data)
        first = first or data
    return colours, hex_rgb(first["assumed-background"]), hex_rgb(first["text"]["color"])


def main():
    svg_path, png_path, theme_paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    colours, background, text_colour = theme_colours(theme_paths)
    width, height, pixels = read_png(png_path)
    root = ET.parse(svg_path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    columns, lines = round(float(root.get("width")) / CELL_W), round(float(root.get("height")) / CELL_H)
    if width < float(root.get("width")) or height < float(root.get("height")):
        raise SystemExit(f"svg_pixels: the screenshot is {width}x{height}, smaller than the SVG")
    occupied = [[False] * columns for _ in range(lines)]
    rects, texts = [], []
    for rect in root.iter(ns + "rect"):
        if rect.get("x") is None:
            continue  # the whole-picture background
        x0, y0 = round(float(rect.get("x")) / CELL_W), round(float(rect.get("y")) / CELL_H)
        n = round(float(rect.get("width")) / CELL_W)
        rects.append((x0, y0, n, hex_rgb(rect.get("fill"))))
        for x in range(x0, x0 + n): occupied[y0][x] = True
    for text in root.iter(ns + "text"):
        x0, y0 = round(float(text.get("x")) / CELL_W), int(float(text.get("y")) / CELL_H)
        content = text.text or ""
        texts.append((x0, y0, content, hex_rgb(text.get("fill"))))
        for i, ch in enumerate(content):
            if ch != " ": occupied[y0][x0 + i] = True
    chars = {}
    for x0, y0, content, fill in texts:
        for i, ch in enumerate(content): chars[(x0 + i, y0)] = ch

    def centre(x, y):
        return pixels[int((y + 0.5) * CELL_H)][int((x + 0.5) * CELL_W)]

    failures = []
    def check(name, got, expected, tolerance, where):
        ok = all(abs(a - b) <= tolerance for a, b in zip(got, expected))
        line = f"{'ok  ' if ok else 'FAIL'} {name}: pixel {where} is #{bytes(got).hex()}, expected #{bytes(expected).hex()} (tolerance {tolerance})"
        print(line)
        if not ok: failures.append(line)

    # Background: a free cell whose eight neighbours are free too.
    free = [(x, y) for y in range(1, lines - 1) for x in range(1, columns - 1)
            if not any(occupied[y + dy][x + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1))]
    if not free: raise SystemExit("svg_pixels: no blank cell to sample the background")
    x, y = free[len(free) // 2]
    check("background (theme assumed-background)", centre(x, y), background, 3, f"cell {x},{y}")

    # A full block of a sparkline or histogram, in a theme colour.
    blocks = [(x0 + i, y0, fill) for x0, y0, content, fill in texts for i, ch in enumerate(content)
              if ch == "\u2588" and 0 < i < len(content) - 1 and content[i - 1] == ch and content[i + 1] == ch]
    if not blocks: raise SystemExit("svg_pixels: no run of three full blocks in the SVG")
    x, y, fill = blocks[len(blocks) // 2]
    if fill not in colours: failures.append(f"FAIL block fill #{bytes(fill).hex()} is not a colour of the theme")
    check("full block (its fill, a theme colour)", centre(x, y), fill, 3, f"cell {x},{y}")

    # A blank cell on a coloured rectangle (the selection, a heat cell).
    blank = [(x, y0, fill) for x0, y0, n, fill in rects for x in range(x0, x0 + n) if chars.get((x, y0), " ") == " "]
    if blank:
        x, y, fill = blank[len(blank) // 2]
        check("cell background (<rect> fill)", centre(x, y), fill, 3, f"cell {x},{y}")
        if fill not in colours: failures.append(f"FAIL rect fill #{bytes(fill).hex()} is not a colour of the theme")
    else:
        print("note: no blank cell on a coloured rectangle in this scenario")

    # Text: the pixel closest to the theme's text colour among a run of letters drawn in it.
    runs = [(x0, y0, content) for x0, y0, content, fill in texts if fill == text_colour and sum(c.isalpha() for c in content) >= 4]
    if not runs: raise SystemExit("svg_pixels: no text in the theme's text colour")
    x0, y0, content = max(runs, key=lambda r: sum(c.isalpha() for c in r[2]))
    best, where = None, None
    for py in range(int(y0 * CELL_H), int((y0 + 1) * CELL_H)):
        for px in range(int(x0 * CELL_W), int((x0 + len(content)) * CELL_W)):
            p = pixels[py][px]
            d = max(abs(a - b) for a, b in zip(p, text_colour))
            if best is None or d < best[0]: best, where = (d, p), (px, py)
    check(f"text '{content.strip()[:24]}' (theme text colour)", best[1], text_colour, 28, f"{where[0]},{where[1]}")
    if failures:
        print(f"svg_pixels: {len(failures)} check(s) failed; screenshot {png_path}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
