"""FirstRows: the compact CCCD -> first row index of the member import (no database)."""

import random

import pytest

from imports.firstrows import FirstRows


def test_new_keys_are_remembered_and_a_repeat_gets_the_first_row():
    rows = FirstRows()
    assert rows.setdefault(1090012345, 2) is None
    assert rows.setdefault(1090012346, 3) is None
    assert rows.setdefault(1090012345, 7) == 2
    assert rows.setdefault(1090012345, 9) == 2  # still the first, not the latest repeat
    assert len(rows) == 2


def test_agrees_with_a_dict_through_many_doublings_and_collisions():
    rng = random.Random(5)
    # Consecutive numbers (one province's CCCDs), random ones and the extremes of the range.
    keys = [1_090_000_000 + i for i in range(30_000)]
    keys += [rng.randrange(10**12) for _ in range(30_000)]
    keys += [0, 10**12 - 1, 2**64 - 2]
    keys += rng.sample(keys, 5_000)  # repeats
    rng.shuffle(keys)
    rows, reference = FirstRows(bits=4), {}
    for number, key in enumerate(keys, start=2):
        expected = reference.get(key)
        reference.setdefault(key, number)
        assert rows.setdefault(key, number) == expected
    assert len(rows) == len(reference)
    for key, first in reference.items():
        assert rows.setdefault(key, 1) == first


def test_holds_a_key_in_far_less_memory_than_a_dict():
    rows = FirstRows()
    for number in range(100_000):
        rows.setdefault(1_000_000_000 + 37 * number, number + 2)
    assert rows.nbytes() / len(rows) <= 48  # a dict of int -> int: about 100


@pytest.mark.parametrize(("key", "row"), [(-1, 2), (2**64 - 1, 2), (5, -1), (5, 2**32)])
def test_out_of_range_is_refused(key, row):
    with pytest.raises(ValueError):
        FirstRows().setdefault(key, row)
