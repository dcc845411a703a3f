"""The monkey (tests/monkey.py) for a short while: random keys, text, pastes and resizes must
neither crash nor hang the real gdtui. Run it longer by hand: python tests/monkey.py --help."""

from __future__ import annotations

import pytest

from monkey import run

SECONDS = 25  # per seed: two seeds, about a minute with start-up and the last checks


@pytest.mark.parametrize(("seed", "options"), [(1, []), (2, ["--speed", "max", "--steps", "0"])])
def test_random_input_neither_crashes_nor_hangs_gdtui(seed, options) -> None:
    failing = run(options, seed, SECONDS, log=lambda line: None)
    assert failing is None, (
        f"replay: python tests/monkey.py --seed {seed} --duration {SECONDS} --options='{' '.join(options)}'"
        f" --start-size {failing.size[0]}x{failing.size[1]}\nlast actions: {failing.actions[-10:]}"
    )
