"""What an .xls (Excel 97-2003, BIFF8) says about its cells beyond their values, which
python-calamine does not expose (issue 12): number formats that pad with zeros, hidden and
filtered-out rows, and fonts (TCVN3's .VnTime; ".VnTimeH" capitals).

An .xls is an OLE compound file (a small FAT file system) holding a "Workbook" stream of BIFF
records. This reads, and only reads:
- the globals: FONT (0x0031) names, FORMAT (0x041E) codes, XF (0x00E0) = (font, format) of
  each cell style, BOUNDSHEET (0x0085) = where each worksheet starts;
- in the chosen worksheet: ROW (0x0208) and its hidden flag, and the style of the cells
  holding numbers (NUMBER 0x0203, RK 0x027E, MULRK 0x00BD) or text (LABELSST 0x00FD, LABEL
  0x0204). Values themselves are calamine's.

Bounds: the file is read whole (an upload is bounded by UPLOAD_MAX_BYTES); every sector chain
is followed at most as many steps as the file has sectors, so a looping chain ends. Anything
unexpected (BIFF5 and older, a damaged chain) gives no hints: the caller then says, as before,
that these are not read.
"""

from __future__ import annotations

import re
import struct

from .legacy import capitals_font
from .ods_styles import StyleHints

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN = 0xFFFFFFFE
_PADDING = re.compile(r"0{2,}")  # as the .xlsx reader: "000000000000"
MAX_MARKS = 2_000_000
# Records of cells holding a value: NUMBER, RK, MULRK, LABELSST, LABEL, FORMULA, BOOLERR.
_CELLS = frozenset((0x0203, 0x027E, 0x00BD, 0x00FD, 0x0204, 0x0006, 0x0205))


class _NotReadable(Exception):
    pass


def _stream(data: bytes, name: str) -> bytes:
    """The stream `name` of the compound file `data`."""
    if not data.startswith(OLE_MAGIC) or len(data) < 512:
        raise _NotReadable
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector_size not in (512, 4096) or mini_size != 64:
        raise _NotReadable
    (fat_count, directory_start) = struct.unpack_from("<II", data, 0x2C)
    (cutoff, minifat_start, _minifat_count, difat_start, difat_count) = struct.unpack_from(
        "<IIIII", data, 0x38
    )
    sectors = (len(data) - 512) // sector_size

    def sector(number: int) -> bytes:
        start = 512 + number * sector_size
        if number >= sectors:
            raise _NotReadable
        return data[start : start + sector_size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat = difat_start
    for _ in range(min(difat_count, sectors)):
        if next_difat >= END_OF_CHAIN:
            break
        block = sector(next_difat)
        numbers = struct.unpack(f"<{sector_size // 4}I", block)
        difat.extend(numbers[:-1])
        next_difat = numbers[-1]
    fat: list[int] = []
    for number in difat[: min(fat_count, sectors)]:
        if number >= END_OF_CHAIN:
            break
        fat.extend(struct.unpack(f"<{sector_size // 4}I", sector(number)))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        found: list[int] = []
        while start < END_OF_CHAIN:
            if start >= len(table) or len(found) > limit:
                raise _NotReadable
            found.append(start)
            start = table[start]
        return found

    def read_chain(start: int) -> bytes:
        return b"".join(sector(n) for n in chain(start, fat, sectors))

    directory = read_chain(directory_start)
    entries: list[tuple[str, int, int, int]] = []
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        entry_name = directory[offset : offset + max(0, min(length, 64) - 2)].decode(
            "utf-16-le", "replace"
        )
        kind = directory[offset + 66]
        start, size = struct.unpack_from("<II", directory, offset + 116)
        entries.append((entry_name, kind, start, size))
    if not entries:
        raise _NotReadable
    root = entries[0]
    for entry_name, kind, start, size in entries:
        if kind != 2 or entry_name != name:
            continue
        if size >= cutoff:
            return read_chain(start)[:size]
        # A small stream lives in the mini stream (the root entry's data), in 64-byte pieces.
        mini_stream = read_chain(root[2])
        minifat: list[int] = []
        if minifat_start < END_OF_CHAIN:
            raw = read_chain(minifat_start)
            minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
        pieces = chain(start, minifat, len(mini_stream) // mini_size + 1)
        return b"".join(mini_stream[n * mini_size : (n + 1) * mini_size] for n in pieces)[:size]
    raise _NotReadable


def _records(stream: bytes, start: int = 0):
    """(type, data) of the BIFF records from `start` to the end of its substream (EOF)."""
    position = start
    end = len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        data = stream[position + 4 : position + 4 + length]
        position += 4 + length
        yield kind, data
        if kind == 0x000A:  # EOF
            return


def _unicode(data: bytes, offset: int, count: int) -> str:
    """A BIFF8 string of `count` characters whose option byte is at `offset`."""
    flags = data[offset]
    offset += 1
    if flags & 0x08:  # rich text: a run count
        offset += 2
    if flags & 0x04:  # phonetic: a size
        offset += 4
    if flags & 0x01:
        return data[offset : offset + 2 * count].decode("utf-16-le", "replace")
    return data[offset : offset + count].decode("latin-1")


def _rk_whole(rk: int) -> bool:
    """Is an RK number a non-negative whole number? (Calamine turns it into the int.)"""
    if rk & 0x02:  # a 30-bit integer
        value = rk >> 2
        if value & (1 << 29):
            value -= 1 << 30
        return value >= 0 and not rk & 0x01
    return True  # a float: rows() pads only what came out as a whole number


def read_hints(path, sheet_name: str) -> StyleHints | None:
    """The StyleHints of the worksheet called `sheet_name` of the .xls at `path`, or None when
    the file cannot be read this way (BIFF5 or older, damaged)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        stream = _stream(data, "Workbook")
        return _hints(stream, sheet_name)
    except (_NotReadable, struct.error, IndexError, ValueError, OSError):
        return None


def _hints(stream: bytes, sheet_name: str) -> StyleHints | None:
    fonts: list[str] = []
    formats: dict[int, str] = {}
    styles: list[tuple[int, int]] = []  # XF -> (font, format)
    sheets: list[tuple[str, int]] = []
    for index, (kind, data) in enumerate(_records(stream)):
        if index == 0:
            if kind != 0x0809 or struct.unpack_from("<H", data, 0)[0] != 0x0600:
                return None  # not BIFF8
        elif kind == 0x0031:
            if len(fonts) == 4:
                fonts.append("")  # font number 4 does not exist in BIFF: the 5th is number 5
            fonts.append(_unicode(data, 15, data[14]))
        elif kind == 0x041E:
            number, count = struct.unpack_from("<HH", data, 0)
            formats[number] = _unicode(data, 4, count)
        elif kind == 0x00E0:
            styles.append(struct.unpack_from("<HH", data, 0))
        elif kind == 0x0085:
            offset = struct.unpack_from("<I", data, 0)[0]
            sheets.append((_unicode(data, 7, data[6]), offset))
    start = next((offset for name, offset in sheets if name == sheet_name), None)
    if start is None:
        return None
    padded_styles: dict[int, int] = {}
    capital_styles: set[int] = set()
    for xf, (font, number_format) in enumerate(styles):
        code = formats.get(number_format, "").split(";", 1)[0]
        if number_format >= 164 and _PADDING.fullmatch(code):
            padded_styles[xf] = len(code)
        if font < len(fonts) and capitals_font(fonts[font]):
            capital_styles.add(xf)
    hints = StyleHints(fonts=sorted({name for name in fonts if name}))
    hidden: set[int] = set()
    holding: set[int] = set()  # hidden rows with a value (a hidden empty row is not counted)
    marking = bool(padded_styles or capital_styles)
    unpack = struct.unpack_from
    # One pass over the worksheet's records without copying them (this loop runs once per
    # cell record: 0,65 s for 20.000 rows with a generator of slices, see README).
    position, end = start, len(stream)
    while position + 4 <= end:
        kind, length = unpack("<HH", stream, position)
        body = position + 4
        position = body + length
        if kind == 0x0208:
            if unpack("<I", stream, body + 12)[0] & 0x20:  # fDyZero: hidden or filtered
                hidden.add(unpack("<H", stream, body)[0])
            continue
        if kind == 0x000A:  # EOF of the worksheet
            break
        if kind not in _CELLS or not (marking or hidden):
            continue
        row, column, xf = unpack("<HHH", stream, body)
        if hidden and row in hidden:
            holding.add(row)
        if not marking:
            continue
        if kind == 0x00BD:  # MULRK: (style, number) for columns first..last
            for at in range(body + 4, position - 2, 6):
                xf, rk = unpack("<HI", stream, at)
                if xf in padded_styles and _rk_whole(rk):
                    hints.padded[(row + 1, column)] = padded_styles[xf]
                column += 1
        elif kind in (0x0203, 0x027E):
            if xf in padded_styles:
                hints.padded[(row + 1, column)] = padded_styles[xf]
        elif kind in (0x00FD, 0x0204) and xf in capital_styles:
            hints.capitals.add((row + 1, column))
        if len(hints.padded) + len(hints.capitals) > MAX_MARKS:
            return None
    hints.hidden_rows = len(hidden & holding)
    return hints


__all__ = ["read_hints"]
