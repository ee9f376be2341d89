"""Numbers as policy texts write them (shared/data/gold/README.md conventions)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.6万", 16000),
        ("717.49亿", 71749000000),
        ("2217万", 22170000),
        ("45.2-billion", 45200000000),
        ("3,500", 3500),
        ("3500", 3500),
        ("4 0 5", 405),
        ("１２３", 123),
        ("二十五", 25),
        ("三千五百", 3500),
        ("一百零五", 105),
        ("十", 10),
        ("ten", 10),
        ("twenty-five", 25),
        ("1.8", 1.8),
        ("two million", 2000000),
    ],
)
def test_values_with_magnitudes_folded_in(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "三点", "many"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_or_without_separators_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    if n >= 10:  # digits spaced out, as in "4 0 5 家"
        assert parse_number(" ".join(str(n))) == n
