#!/usr/bin/env python3
"""Renders a terminal capture with ANSI SGR escapes (`tmux capture-pane -e -p`) to an SVG.

Standard library only. Every run of same-styled cells becomes one <text> with an explicit x and a
forced textLength, so columns line up whatever monospace font the viewer picks.

Usage: ansi2svg.py INPUT.ans OUTPUT.svg [--cols N] [--rows N] [--title TEXT]
"""
import html
import re
import sys
import unicodedata

CELL_W, CELL_H, FONT = 8.4, 17, 14
PAD = 10
DEFAULT_FG, DEFAULT_BG = "#d0d0d0", "#1c1c1c"
# xterm's 16 colours (Tango-ish, readable on a dark background).
BASE16 = [
    "#2e3436", "#cc0000", "#4e9a06", "#c4a000", "#3465a4", "#75507b", "#06989a", "#d3d7cf",
    "#555753", "#ef2929", "#8ae234", "#fce94f", "#729fcf", "#ad7fa8", "#34e2e2", "#eeeeec",
]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def key(self):
        return (self.fg, self.bg, self.bold, self.dim, self.italic, self.underline, self.reverse)

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = BASE16[c - 30]
            elif c == 39:
                self.fg = None
            elif 40 <= c <= 47:
                self.bg = BASE16[c - 40]
            elif c == 49:
                self.bg = None
            elif 90 <= c <= 97:
                self.fg = BASE16[c - 90 + 8]
            elif 100 <= c <= 107:
                self.bg = BASE16[c - 100 + 8]
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = xterm256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = "#%02x%02x%02x" % tuple(codes[i + 2 : i + 5])
                    i += 4
                else:
                    colour = None
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
                i += 1
            i += 1


SGR = re.compile(r"\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b.")


def parse(text):
    """Lines of cells: (char, style key)."""
    style = Style()
    lines = []
    for raw in text.split("\n"):
        cells = []
        pos = 0
        for m in SGR.finditer(raw):
            for ch in raw[pos : m.start()]:
                cells.append((ch, style.key()))
                if unicodedata.east_asian_width(ch) in "WF":
                    cells.append(("", style.key()))
            if m.group(1) is not None or m.group(0).endswith("m"):
                style.apply(m.group(1) or "")
            pos = m.end()
        for ch in raw[pos:]:
            cells.append((ch, style.key()))
            if unicodedata.east_asian_width(ch) in "WF":
                cells.append(("", style.key()))
        lines.append(cells)
    return lines


def colours(key):
    fg, bg, bold, dim, _italic, _underline, reverse = key
    fg = fg or DEFAULT_FG
    bg = bg or DEFAULT_BG
    if reverse:
        fg, bg = bg, fg
    if dim and not reverse:
        fg = blend(fg, DEFAULT_BG, 0.45)
    return fg, bg


def blend(a, b, t):
    a = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b))


def render(lines, cols, rows, title):
    top = PAD + (22 if title else 0)
    width = PAD * 2 + cols * CELL_W
    height = top + PAD + rows * CELL_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" '
        f'font-size="{FONT}">',
        f'<rect width="100%" height="100%" rx="6" fill="{DEFAULT_BG}"/>',
    ]
    if title:
        out.append(
            f'<text x="{PAD}" y="{PAD + 12}" fill="#888888" font-size="12">{html.escape(title)}</text>'
        )
    for y, cells in enumerate(lines[:rows]):
        cells = cells[:cols]
        baseline = top + y * CELL_H + CELL_H * 0.78
        x = 0
        while x < len(cells):
            key = cells[x][1]
            end = x
            while end < len(cells) and cells[end][1] == key:
                end += 1
            text = "".join(c for c, _ in cells[x:end])
            fg, bg = colours(key)
            px = PAD + x * CELL_W
            if bg != DEFAULT_BG:
                out.append(
                    f'<rect x="{px:.1f}" y="{top + y * CELL_H}" width="{(end - x) * CELL_W:.1f}" '
                    f'height="{CELL_H}" fill="{bg}"/>'
                )
            if text.strip():
                attrs = [f'x="{px:.1f}"', f'y="{baseline:.1f}"', f'fill="{fg}"']
                if key[2]:
                    attrs.append('font-weight="bold"')
                if key[4]:
                    attrs.append('font-style="italic"')
                if key[5]:
                    attrs.append('text-decoration="underline"')
                attrs.append(f'textLength="{(end - x) * CELL_W:.1f}" lengthAdjust="spacingAndGlyphs"')
                out.append(f'<text {" ".join(attrs)} xml:space="preserve">{html.escape(text)}</text>')
            x = end
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    args = argv[1:]
    opts = {"--cols": None, "--rows": None, "--title": ""}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts:
            opts[a] = args.pop(0)
        else:
            pos.append(a)
    if len(pos) != 2:
        sys.exit(__doc__)
    with open(pos[0], encoding="utf-8", errors="replace") as f:
        text = f.read().rstrip("\n")
    lines = parse(text)
    cols = int(opts["--cols"] or max(len(l) for l in lines))
    rows = int(opts["--rows"] or len(lines))
    with open(pos[1], "w", encoding="utf-8") as f:
        f.write(render(lines, cols, rows, opts["--title"]))


if __name__ == "__main__":
    main(sys.argv)
