"""Terminal styles (SGR sequences): what one sets, and the fewest bytes from one to another.

Textual writes every run of cells as `ESC[<style>m text ESC[0m`, the style in full each time;
a style stays in force across cursor moves, so only the change from the style in force need be
sent (or a reset and the new style, whichever is shorter).
"""

from __future__ import annotations

from typing import NamedTuple

RESET = "\x1b[0m"
ATTRIBUTE_OFF = {1: 22, 2: 22, 3: 23, 4: 24, 5: 25, 7: 27, 8: 28, 9: 29}


class Style(NamedTuple):
    """A style as the terminal keeps it: attributes, foreground, background (SGR codes)."""

    attributes: frozenset[int] = frozenset()
    fg: str = ""
    bg: str = ""

    def codes(self) -> list[str]:
        return [str(a) for a in sorted(self.attributes)] + [c for c in (self.fg, self.bg) if c]


PLAIN = Style()


def parse(params: str, style: Style) -> Style | None:
    """`style` after `ESC[<params>m`, or None for codes this does not follow."""
    codes = [int(c) if c else 0 for c in params.split(";")]
    attributes, fg, bg = set(style.attributes), style.fg, style.bg
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            attributes, fg, bg = set(), "", ""
        elif code in ATTRIBUTE_OFF:
            attributes.add(code)
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = str(code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = str(code)
        elif code == 39:
            fg = ""
        elif code == 49:
            bg = ""
        elif code in (38, 48) and codes[i + 1 : i + 2] == [5]:
            colour, i = ";".join(map(str, codes[i : i + 3])), i + 2
            fg, bg = (colour, bg) if code == 38 else (fg, colour)
        elif code in (38, 48) and codes[i + 1 : i + 2] == [2]:
            colour, i = ";".join(map(str, codes[i : i + 5])), i + 4
            fg, bg = (colour, bg) if code == 38 else (fg, colour)
        else:
            return None
        i += 1
    return Style(frozenset(attributes), fg, bg)


def change(old: Style | None, new: Style) -> str:
    """The shortest sequence that takes the terminal from `old` (None: unknown) to `new`."""
    full = "\x1b[" + ";".join(["0", *new.codes()]) + "m"
    if old is None:
        return full
    lost = old.attributes - new.attributes
    if any(ATTRIBUTE_OFF[a] == 22 for a in lost):  # 22 ends bold and dim together
        lost |= old.attributes & {1, 2}
    codes = [str(c) for c in sorted({ATTRIBUTE_OFF[a] for a in lost}) + sorted(new.attributes - (old.attributes - lost))]
    codes += [new.fg or "39"] if new.fg != old.fg else []
    codes += [new.bg or "49"] if new.bg != old.bg else []
    diff = "\x1b[" + ";".join(codes) + "m"
    return diff if len(diff) < len(full) else full
