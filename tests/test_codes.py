"""Device codes: short, sequential, and a mistyped code is refused rather than matched to another device."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reemploi.devices.codes import (
    ALPHABET,
    MAX_SEQUENCE,
    SequenceExhausted,
    UnusableNumber,
    make_code,
    next_numbers,
    parse_code,
)

site_codes = st.from_regex(r"[A-Z][A-Z0-9]{0,3}", fullmatch=True)
numbers = st.integers(1, MAX_SEQUENCE)


def usable_code(site: str, number: int) -> str:
    try:
        return make_code(site, number)
    except UnusableNumber:
        assume(False)
        raise


@given(site_codes, st.integers(0, MAX_SEQUENCE - 200), st.integers(1, 100))
def test_the_sequence_skips_only_the_numbers_whose_check_would_be_a_star(site: str, last: int, count: int) -> None:
    taken = next_numbers(site, last, count)
    assert len(taken) == count and taken == sorted(taken) and taken[0] > last
    for number in range(last + 1, taken[-1] + 1):
        if number in taken:
            assert not make_code(site, number).endswith("*")
        else:
            with pytest.raises(UnusableNumber):
                make_code(site, number)


def test_about_one_number_in_37_is_skipped() -> None:
    taken = next_numbers("LYO", 0, 10_000)
    skipped = taken[-1] - len(taken)
    assert 200 < skipped < 350  # 10,000 / 36 ≈ 278


def test_a_code_reads_site_number_and_check_character() -> None:
    code = make_code("LYO", 123)
    assert code.startswith("LYO-000123-") and len(code) == 12
    assert parse_code(code).canonical == code


@given(site_codes, numbers)
def test_scanned_typed_lowercase_or_without_dashes_it_is_the_same_code(site: str, number: int) -> None:
    code = usable_code(site, number)
    for typed in (code, code.lower(), code.replace("-", ""), f"  {code} "):
        assert parse_code(typed).canonical == code


@given(site_codes, numbers, st.data())
def test_any_single_wrong_character_is_detected(site: str, number: int, data: st.DataObject) -> None:
    code = usable_code(site, number)
    positions = [i for i, c in enumerate(code) if c != "-"]
    i = data.draw(st.sampled_from(positions))
    replacement = data.draw(st.sampled_from(ALPHABET))
    assume(replacement != code[i])
    typo = code[:i] + replacement + code[i + 1 :]
    parsed = parse_code(typo)
    assert not parsed.valid


@given(site_codes, numbers, st.data())
def test_any_swap_of_two_neighbouring_characters_is_detected(site: str, number: int, data: st.DataObject) -> None:
    compact = usable_code(site, number).replace("-", "")
    i = data.draw(st.integers(0, len(compact) - 2))
    assume(compact[i] != compact[i + 1])
    swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
    assert not parse_code(swapped).valid


def test_text_that_is_not_a_code_is_said_so() -> None:
    for text in ("PF1ABCDE", "5CG1234XYZ", "", "LYO-12-A"):
        parsed = parse_code(text)
        assert not parsed.looks_like_code and not parsed.valid


def test_sequence_bounds_and_site_code_shape() -> None:
    with pytest.raises(SequenceExhausted):
        make_code("LYO", MAX_SEQUENCE + 1)
    with pytest.raises(ValueError):
        make_code("1AB", 1)
    with pytest.raises(ValueError):
        make_code("TOOLONG", 1)
