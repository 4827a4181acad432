"""The first row of each key of an import, in a few bytes per key.

The member import must find a CCCD met twice in one file and name both rows, so it keeps every
CCCD it has read until the end. A dict of int -> int costs about 100 bytes a key (the entry and
two int objects): 60 MiB of a 500.000-row import, the only part of its memory that grew with
the file. `FirstRows` keeps the same in two typed arrays with open addressing (linear probing,
Fibonacci hashing, doubled when half full): 12 bytes a slot, 24 to 48 bytes a key.
"""

from __future__ import annotations

from array import array

_FIBONACCI = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads consecutive keys apart
_MASK64 = (1 << 64) - 1
_MAX_KEY = (1 << 64) - 2
_MAX_ROW = (1 << 32) - 1


class FirstRows:
    """Non-negative integer keys (< 2**64 - 1) -> the first row number (< 2**32) seen."""

    def __init__(self, bits: int = 14):
        self._allocate(bits)
        self._count = 0

    def _allocate(self, bits: int) -> None:
        self._bits = bits
        size = 1 << bits
        self._keys = array("Q", bytes(8 * size))  # key + 1; 0 marks an empty slot
        self._rows = array("I", bytes(array("I").itemsize * size))

    def __len__(self) -> int:
        return self._count

    def setdefault(self, key: int, row: int) -> int | None:
        """Remember `row` for `key` if the key is new and return None; for a known key return
        the row it was first seen on (the new row is not kept)."""
        if not 0 <= key <= _MAX_KEY or not 0 <= row <= _MAX_ROW:
            raise ValueError(f"FirstRows: key {key} or row {row} out of range")
        stored = key + 1
        keys = self._keys
        mask = len(keys) - 1
        slot = ((stored * _FIBONACCI) & _MASK64) >> (64 - self._bits)
        while True:
            found = keys[slot]
            if found == stored:
                return self._rows[slot]
            if found == 0:
                keys[slot] = stored
                self._rows[slot] = row
                self._count += 1
                if 2 * self._count > len(keys):
                    self._grow()
                return None
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        old_keys, old_rows = self._keys, self._rows
        self._allocate(self._bits + 1)
        for stored, row in zip(old_keys, old_rows, strict=True):
            if stored:
                self._place(stored, row)

    def _place(self, stored: int, row: int) -> None:
        keys = self._keys
        mask = len(keys) - 1
        slot = ((stored * _FIBONACCI) & _MASK64) >> (64 - self._bits)
        while keys[slot]:
            slot = (slot + 1) & mask
        keys[slot] = stored
        self._rows[slot] = row

    def nbytes(self) -> int:
        """Memory held by the two arrays."""
        return len(self._keys) * self._keys.itemsize + len(self._rows) * self._rows.itemsize
