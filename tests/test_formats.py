"""The readouts' numbers: one width whatever the value (no jitter as it changes), and enough digits
to tell a slope like 0.0347512 from its neighbours."""

from __future__ import annotations

import pytest

from gdtui.engine.formats import fixed


@pytest.mark.parametrize(
    "value, shown",
    [(0.0347512, "0.0347512"), (-0.0347512, "-0.0347512"), (0.00347512, "3.475e-03"), (3.0, "3.00000"),
     (-1484.55635, "-1484.55635"), (123456.7, "1.235e+05"), (0.0, "0.00000"), (2.5e-9, "2.500e-09")],
)
def test_a_value_keeps_its_significant_digits_in_ten_characters(value, shown):
    assert fixed(value) == f"{shown:>10}"
    digits = shown.lstrip("-0.").split("e")[0].replace(".", "")
    assert len(digits) >= 4 or value == 0
