"""A streaming .xlsx reader: constant memory whatever the number of rows.

Why not python-calamine alone: calamine loads the whole worksheet into memory before the first
row comes out (measured: 100 MiB for 100.000 member rows, 459 MiB for 500.000), which breaks
the import's memory bound. This reader decompresses the worksheet in 256 KiB pieces and turns
each piece into rows:

- fast path: one regular expression over the piece, for the cell shapes Excel, LibreOffice,
  openpyxl and Google Sheets write (`<c r="B7" s="3" t="s"><v>12</v></c>` and friends). A
  piece is read this way only when the number of cells matched equals the number of cell tags
  in it, so nothing can be skipped silently;
- slow path: any other piece (namespace prefixes, cells without `r`, unusual children) is
  parsed with ElementTree, which understands every valid shape.

The shared-strings table (every distinct text of the file) is kept as one bytes blob plus an
offset array (about 20 bytes per string instead of ~80 for Python strings), read as far as the
rows so far need it.

Values come out like calamine's: str, int, float, bool, datetime.date / datetime.datetime
(numbers in date-formatted cells), datetime.time; empty cells are None. The tests compare this
reader with python-calamine on the same files.

Hostile files: a DTD (`<!DOCTYPE`, `<!ENTITY`) anywhere is refused, so no entity expansion can
happen; the small parts (workbook, relationships, styles) are parsed with defusedxml; sizes are
bounded by the caller (see reading.py).
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import accumulate, islice
from xml.etree import ElementTree as StdET

from defusedxml import ElementTree as SafeET

from .errors import FileProblem
from .legacy import Capitals, capitals_font

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# Pieces of 256 KiB: 1 MiB ones read 10% slower (each piece's rest is copied into the next)
# and came out in bursts that left the database idle between COPYs.
CHUNK = 1 << 18
MAX_ELEMENT = 64 << 20  # one row (or shared string) bigger than this is not a register
MAX_COLUMNS = 16384  # Excel's limit (XFD)
# Sparse rows (issue 14, finding 4: 100.000 rows of one cell in XFD): a cell right of this
# column is not padded to while a piece is parsed, but kept aside and placed when its row is
# handed out, up to the caller's `width` (the header's) once it is set. A row's cost is then
# its cells, not its highest column.
PARSE_COLUMNS = 256
# The shared-strings table is held in memory: at most this share of the unpacked-size limit
# (128 MiB of text for the default 1 GiB; issue 14, finding 13: a 7 MB file with a 950 MB
# table cost 1 GiB in the worker). A register of 500.000 members needs about 30 MiB.
SHARED_STRINGS_SHARE = 8
_SST_TOO_BIG = (
    "File .xlsx có bảng chuỗi văn bản dùng chung (sharedStrings) quá lớn, vượt {limit} MB "
    "(nghi ngờ file độc hại). Không có gì được ghi: hãy mở bằng Excel, lưu lại hoặc chia "
    "thành nhiều file nhỏ hơn."
)
_DTD = (b"<!DOCTYPE", b"<!ENTITY")

# Built-in number formats that are dates or times (ECMA-376 18.8.30, plus the East Asian ones).
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_FORMAT_DATE_PART = re.compile(r"[dmyhsDMYHS]")

_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*?)'
    rb"(?:/>|>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?(?:<v>([^<]*)</v>|<v/>)?(?:<is>(.*?)</is>)?</c>)",
    re.S,
)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_SI = re.compile(
    rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si>(.*?)</si>|<si/>',
    re.S,
)
_RUN_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_ENTITY = re.compile(rb"&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);")
_ENTITIES = {b"amp": b"&", b"lt": b"<", b"gt": b">", b"quot": b'"', b"apos": b"'"}
_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ROOT_TAG = re.compile(rb"<((?:[\w.-]+:)?worksheet)\b([^>]*)>")
# A formula cell without the value it computes: no <v>, or an empty one in a cell that is not
# text (Excel writes <v></v> only for a formula whose text result is empty, t="str").
_UNCALCULATED = re.compile(
    rb'<c\b(?![^>]*\bt="str")[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)(?:<v></v>|<v/>)?</c>'
)
_PADDING = re.compile(r"0{2,}")  # a number format that pads with leading zeros
# A hidden row holding cells (an empty hidden row ends with "/>").
_HIDDEN_ROW = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\shidden="(?:1|true)"[^>]*(?<!/)>')


def _entity(match: re.Match) -> bytes:
    name = match.group(1)
    if name.startswith(b"#x"):
        return chr(int(name[2:], 16)).encode()
    if name.startswith(b"#"):
        return chr(int(name[1:])).encode()
    return _ENTITIES[name]


def _unescape(raw: bytes) -> bytes:
    return _ENTITY.sub(_entity, raw) if b"&" in raw else raw


def _x_unescape(text: str) -> str:
    """Excel writes control characters in strings as `_x000D_`; turn them back."""
    return _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def is_date_format(code: str) -> bool:
    """Does an Excel number format show a date or time (d, m, y, h or s outside quotes)?"""
    return bool(_FORMAT_DATE_PART.search(_FORMAT_NOISE.sub("", code)))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


_REF = re.compile(r"([A-Z]{1,3})(\d+)")
# What a cell's attributes say about its value (XlsxReader._spec).
_SHARED, _DATE, _NUMBER, _INLINE, _OTHER = range(5)


class _Stream:
    """Read one zip member in pieces, counting decompressed bytes against a bound."""

    def __init__(self, archive: zipfile.ZipFile, name: str, budget: list[int]):
        self.handle = archive.open(name)
        self.budget = budget
        self.consumed = 0

    def read(self) -> bytes:
        data = self.handle.read(CHUNK)
        self.consumed += len(data)
        self.budget[0] -= len(data)
        if self.budget[0] < 0:
            raise FileProblem("File .xlsx giải nén ra quá lớn (nghi ngờ file nén độc hại).")
        return data

    def close(self) -> None:
        self.handle.close()


def _last_close(buffer: bytes, name: bytes) -> int:
    """The position just after the last closing tag `</name>` or `</prefix:name>`, or -1."""
    needle = name + b">"
    pos = buffer.rfind(needle)
    while pos >= 0:
        lt = buffer.rfind(b"<", 0, pos)
        if lt >= 0 and buffer[lt + 1 : lt + 2] == b"/" and b">" not in buffer[lt:pos]:
            between = buffer[lt + 2 : pos]
            if not between or (between.endswith(b":") and b" " not in between):
                return pos + len(needle)
        pos = buffer.rfind(needle, 0, pos)
    return -1


def _pieces(stream: _Stream, element: bytes) -> Iterator[bytes]:
    """Yield the stream cut after the last closing `element` tag of each read, so no element
    is split between two pieces."""
    buffer = b""
    tail = b""
    while True:
        data = stream.read()
        if data:
            # A DTD marker could straddle two reads: look at the joint too.
            probe = tail + data[:16]
            if any(marker in data or marker in probe for marker in _DTD):
                raise FileProblem(
                    "File .xlsx chứa khai báo DTD/ENTITY: không đọc file này (có thể độc hại)."
                )
            tail = data[-16:]
            buffer += data
            cut = _last_close(buffer, element)
            if cut < 0:
                if len(buffer) > MAX_ELEMENT:
                    raise FileProblem("File .xlsx có một dòng quá lớn (nghi ngờ file độc hại).")
                continue
            yield buffer[:cut]
            buffer = buffer[cut:]
        else:
            if buffer:
                yield buffer
            return


class XlsxReader:
    """Rows of the first worksheet of an .xlsx file, one list of values per non-empty row."""

    _sst_stream: _Stream | None = None

    def __init__(self, path, *, max_uncompressed: int, sheet: int = 0):
        self._sheet_index = sheet
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise FileProblem("File .xlsx bị hỏng hoặc không phải file Excel.") from error
        try:
            self._budget = [max_uncompressed]
            self._sst_limit = max_uncompressed // SHARED_STRINGS_SHARE
            self._names = set(self.archive.namelist())
            self._open_workbook()
            self._load_styles()
            self._load_shared_strings()
        except FileProblem:
            self.archive.close()
            raise
        except (zipfile.BadZipFile, KeyError, StdET.ParseError, ValueError, EOFError) as error:
            self.archive.close()
            raise FileProblem("File .xlsx bị hỏng hoặc không phải file Excel.") from error
        except SafeET.DefusedXmlException as error:  # DTD, entities, external references
            self.archive.close()
            raise FileProblem(
                "File .xlsx chứa khai báo DTD/ENTITY: không đọc file này (có thể độc hại)."
            ) from error
        self.sheet_name: str = self._sheet_name
        # Columns kept from here on (the caller sets it once the header is known): cells right
        # of it cannot be imported and are dropped without padding (None: every column).
        self.width: int | None = None

    def close(self) -> None:
        if self._sst_stream is not None:
            self._sst_stream.close()
        self.archive.close()

    # ----- small parts -------------------------------------------------------------------
    def _small(self, name: str):
        info = self.archive.getinfo(name)
        if info.file_size > 20 * 1024 * 1024:
            raise FileProblem("File .xlsx có phần mô tả quá lớn.")
        self._budget[0] -= info.file_size
        data = self.archive.read(name)
        if any(marker in data for marker in _DTD):
            raise FileProblem(
                "File .xlsx chứa khai báo DTD/ENTITY: không đọc file này (có thể độc hại)."
            )
        return SafeET.fromstring(data)

    def _open_workbook(self) -> None:
        workbook_path = "xl/workbook.xml"
        if "_rels/.rels" in self._names:
            for rel in self._small("_rels/.rels"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    workbook_path = rel.get("Target", workbook_path).lstrip("/")
        if workbook_path not in self._names:
            raise FileProblem("File .xlsx không có bảng tính (thiếu workbook).")
        workbook = self._small(workbook_path)
        base = workbook_path.rsplit("/", 1)[0] + "/" if "/" in workbook_path else ""
        rels_path = f"{base}_rels/{workbook_path.rsplit('/', 1)[-1]}.rels"
        targets: dict[str, str] = {}
        if rels_path in self._names:
            for rel in self._small(rels_path):
                target = rel.get("Target", "")
                targets[rel.get("Id", "")] = (
                    target.lstrip("/") if target.startswith("/") else base + target
                )
        self.date1904 = False
        self.sheets: list[tuple[str, str]] = []  # (name, part) of every worksheet, in order
        self._styles_path = f"{base}styles.xml"
        self._sst_path = f"{base}sharedStrings.xml"
        for target in targets.values():
            if target.endswith("styles.xml"):
                self._styles_path = target
            elif target.endswith("sharedStrings.xml"):
                self._sst_path = target
        for element in workbook.iter():
            name = _local(element.tag)
            if name == "workbookPr":
                self.date1904 = element.get("date1904", "0").lower() in ("1", "true")
            elif name == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                target = targets.get(rid, "")
                if target in self._names and "worksheets/" in target:
                    self.sheets.append((element.get("name", ""), target))
        if not self.sheets:
            fallback = sorted(n for n in self._names if n.startswith("xl/worksheets/sheet"))
            self.sheets = [("", fallback[0])] if fallback else []
        if not self.sheets:
            raise FileProblem("File .xlsx không có trang tính nào.")
        self._sheet_name, self.sheet_path = self.sheets[
            min(self._sheet_index, len(self.sheets) - 1)
        ]

    def _load_styles(self) -> None:
        self.date_styles: list[bool] = []
        self.time_styles: list[bool] = []
        self.font_names: list[str] = []  # legacy fonts (.VnTime, VNI-Times) say the encoding
        self.padded_styles: dict[int, int] = {}  # style -> digits its number format pads to
        # Styles whose font is a TCVN3 all-capitals one (".VnTimeH"): their text is Capitals.
        self.capital_styles: set[int] = set()
        if self._styles_path not in self._names:
            return
        styles = self._small(self._styles_path)
        custom: dict[int, str] = {}
        cell_xfs = None
        for element in styles:
            name = _local(element.tag)
            if name == "numFmts":
                for fmt in element:
                    custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
            elif name == "cellXfs":
                cell_xfs = element
            elif name == "fonts":
                self.font_names = [
                    child.get("val", "")
                    for font in element
                    for child in font
                    if _local(child.tag) == "name"
                ]
        if cell_xfs is None:
            return
        capital_fonts = {i for i, name in enumerate(self.font_names) if capitals_font(name)}
        for position, xf in enumerate(cell_xfs):
            if capital_fonts and int(xf.get("fontId", "0")) in capital_fonts:
                self.capital_styles.add(position)
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id)
            if code is not None and _PADDING.fullmatch(code.split(";", 1)[0]):
                # "000000000000": Excel shows 37068861168 as 037068861168 (a CCCD, a phone
                # number, a tax code kept as a number); read what it shows.
                self.padded_styles[position] = len(code.split(";", 1)[0])
            if code is not None:
                is_date = is_date_format(code)
                is_time = is_date and not re.search(
                    r"[dyDY]", _FORMAT_NOISE.sub("", code)
                )  # h:mm:ss only
            else:
                is_date = fmt_id in _BUILTIN_DATE_FORMATS
                is_time = fmt_id in (18, 19, 20, 21, 45, 46, 47)
            self.date_styles.append(is_date)
            self.time_styles.append(is_time)

    def _load_shared_strings(self) -> None:
        """Open the shared-strings part; its strings are read as the rows need them
        (`_sst_more`): Excel writes them in order of first use, so the first rows come out
        after the first piece of the part instead of after all of it (0,7 s for 500.000
        member rows), and the rest is read while the database writes the first chunks."""
        self._sst_blob = bytearray()
        self._sst_offsets = array("I", [0])
        self._sst_open: bytes | None = None
        self._sst_stream: _Stream | None = None
        self._sst_pieces: Iterator[bytes] | None = None
        if self._sst_path in self._names:
            # The part's declared size (a hint only: the text kept is counted as it is read).
            if self.archive.getinfo(self._sst_path).file_size > 2 * self._sst_limit:
                self._sst_refuse()
            self._sst_stream = _Stream(self.archive, self._sst_path, self._budget)
            self._sst_pieces = _pieces(self._sst_stream, b"si")
            self._sst_more(0)  # a broken or hostile part is refused before the first row

    def _sst_more(self, index: int) -> None:
        """Read shared strings until string `index` is known or the part ends (then an index
        past the end raises IndexError: the file is broken)."""
        blob = self._sst_blob
        offsets = self._sst_offsets
        while len(offsets) <= index + 1 and self._sst_pieces is not None:
            piece = next(self._sst_pieces, None)
            if piece is None:
                self._sst_pieces = None
                assert self._sst_stream is not None  # the pieces come from the stream
                self._sst_stream.close()
                break
            if self._sst_open is None:
                match = re.search(rb"<(?:[\w.-]+:)?sst\b[^>]*>", piece)
                self._sst_open = match.group(0) if match else b"<sst>"
            prefixed = b":" in self._sst_open.split(maxsplit=1)[0]
            texts = None if prefixed else self._si_fast(piece)
            if texts is None:
                texts = self._si_slow(piece)
            start = len(blob)
            blob += b"".join(texts)
            offsets.extend(islice(accumulate(map(len, texts), initial=start), 1, None))
            if len(blob) > self._sst_limit:
                self._sst_refuse()

    def _sst_refuse(self):
        raise FileProblem(_SST_TOO_BIG.format(limit=self._sst_limit // (1024 * 1024)))

    @staticmethod
    def _si_fast(piece: bytes) -> list[bytes] | None:
        found = _SI.findall(piece)
        if len(found) != piece.count(b"<si>") + piece.count(b"<si/>") or b"<si " in piece:
            return None
        texts = [
            b"".join(_RUN_TEXT.findall(_PHONETIC.sub(b"", rich))) if rich else simple
            for simple, rich in found
        ]
        if b"&" in piece:
            texts = [_unescape(text) for text in texts]
        if b"_x" in piece:
            texts = [_x_unescape(text.decode()).encode() for text in texts]
        return texts

    def _si_slow(self, piece: bytes) -> list[bytes]:
        start = re.search(rb"<(?:[\w.-]+:)?si\b", piece)
        if start is None:
            return []
        end = piece.rfind(b"si>")
        root = StdET.fromstring(_wrap(self._sst_open, piece[start.start() : end + 3]))
        return [_x_unescape(_rich_text(si)).encode() for si in root if _local(si.tag) == "si"]

    def shared_string(self, index: int) -> str:
        offsets = self._sst_offsets
        if index + 1 >= len(offsets):
            self._sst_more(index)
        return self._sst_blob[offsets[index] : offsets[index + 1]].decode()

    # ----- cells -------------------------------------------------------------------------
    def _number(self, raw: bytes, style: int):
        text = raw.decode()
        number: int | float
        try:
            number = int(text)
        except ValueError:
            number = float(text)
        if style < len(self.date_styles) and self.date_styles[style]:
            return self._to_date(number, style)
        width = self.padded_styles.get(style)
        if width is not None and number == int(number) and number >= 0:
            return str(int(number)).zfill(width)
        return number

    def _to_date(self, serial, style: int):
        if self.date1904:
            base = datetime(1904, 1, 1)
        elif serial < 60:  # Excel's 1900 leap-year bug: serials before 1 March 1900
            base = datetime(1899, 12, 31)
        else:
            base = datetime(1899, 12, 30)
        try:
            moment = base + timedelta(days=serial)
        except OverflowError:
            return serial
        if self.time_styles[style] and 0 <= serial < 1:
            return moment.time()
        if moment.time() == time(0):
            return moment.date()
        return moment.replace(microsecond=round(moment.microsecond / 1000) * 1000 % 1000000)

    def _value(self, kind: bytes, style: int, raw: bytes | None, inline: bytes | None):
        if style in self.capital_styles:
            value = self._plain_value(kind, style, raw, inline)
            return Capitals(value) if isinstance(value, str) else value
        return self._plain_value(kind, style, raw, inline)

    def _plain_value(self, kind: bytes, style: int, raw: bytes | None, inline: bytes | None):
        if kind == b"s":
            return self.shared_string(int(raw)) if raw else None
        if kind == b"n":
            return self._number(raw, style) if raw else None
        if kind == b"inlineStr":
            if inline is None:
                return None
            text = b"".join(_RUN_TEXT.findall(_PHONETIC.sub(b"", inline)))
            return _x_unescape(_unescape(text).decode())
        if raw is None:
            return None
        if kind == b"b":
            return raw.strip() in (b"1", b"true")
        if kind == b"d":
            iso = raw.decode()
            try:
                moment = datetime.fromisoformat(iso)
            except ValueError:
                return iso
            return moment.date() if moment.time() == time(0) else moment
        # str (formula text), e (error such as #N/A)
        return _x_unescape(_unescape(raw).decode())

    def fraction(self) -> float:
        """How much of the worksheet has been read (0..1), for progress bars."""
        stream = getattr(self, "_sheet_stream", None)
        size = self.archive.getinfo(self.sheet_path).file_size
        return min(1.0, stream.consumed / size) if stream is not None and size else 0.0

    def rows(self) -> Iterator[tuple[int, list]]:
        """Yield (Excel row number, values by column) for every row holding a value."""
        stream = self._sheet_stream = _Stream(self.archive, self.sheet_path, self._budget)
        self._root_open: bytes | None = None
        self._strings: dict[bytes, str] = {}
        self._specs: dict[bytes, tuple] = {}
        self._columns: dict[bytes, int] = {}
        self.hidden_rows = 0
        self.uncalculated = 0
        self._far: dict[int, list] = {}  # row position in the piece -> [(column, value)]
        previous = 0
        try:
            for piece in _pieces(stream, b"row"):
                if self._root_open is None:
                    match = _ROOT_TAG.search(piece)
                    if match is None:
                        raise FileProblem("Trang tính trong file .xlsx không đúng định dạng.")
                    self._root_open = match.group(0)
                    self._prefixed = b":" in match.group(1)
                if b'hidden="' in piece:  # rows hidden by hand or by a filter
                    self.hidden_rows += len(_HIDDEN_ROW.findall(piece))
                if b"<f" in piece:  # formulas a program wrote and never calculated
                    self.uncalculated += len(_UNCALCULATED.findall(piece))
                far = self._far
                far.clear()
                rows = None if self._prefixed else self._rows_fast(piece)
                if rows is None:
                    far.clear()
                    rows = self._rows_slow(piece, previous)
                for position, (number, values) in enumerate(rows):
                    cells = far.get(position) if far else None
                    if cells is not None:
                        self._place_far(values, cells)
                    if len(values) > MAX_COLUMNS:
                        raise FileProblem("Trang tính có cột vượt quá giới hạn của Excel.")
                    previous = number
                    # A row whose cells all lie right of the header is still handed out (empty),
                    # so that the import's "skipped rows" notice counts it.
                    if cells is not None or any(v is not None for v in values):
                        yield number, values
        except (zipfile.BadZipFile, EOFError, StdET.ParseError, ValueError, IndexError) as error:
            raise FileProblem("File .xlsx bị hỏng (không đọc được trang tính).") from error
        finally:
            stream.close()

    def _parse_columns(self) -> int:
        """Columns padded to while a piece is parsed; cells further right go to `_far`."""
        return self.width if self.width is not None else PARSE_COLUMNS

    def _place_far(self, values: list, cells: list) -> None:
        """Put a row's far cells in place, up to `width` (cells right of it are dropped: the
        padding is bounded by the header's width, not by the row's highest column)."""
        limit = self.width if self.width is not None else MAX_COLUMNS
        for column, value in cells:
            if column >= MAX_COLUMNS:
                raise FileProblem("Trang tính có cột vượt quá giới hạn của Excel.")
            if column >= limit:
                continue
            if column >= len(values):
                values.extend([None] * (column + 1 - len(values)))
            values[column] = value

    def _rows_fast(self, piece: bytes) -> list[tuple[int, list]] | None:
        """Rows of a piece by one regular expression, or None when the piece has a cell
        shape the expression does not cover (then the slow path reads it)."""
        if b"<![CDATA[" in piece:
            return None
        found = _CELL.findall(piece)
        if len(found) != piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>"):
            return None
        rows: list[tuple[int, list]] = []
        specs = self._specs
        columns = self._columns
        strings = self._strings
        offsets = self._sst_offsets
        blob = self._sst_blob  # grows in place as _sst_more reads on
        last_row_raw = None
        values: list = []
        value: object
        size = 0
        append_row = rows.append
        far = self._far
        limit = self._parse_columns()
        # The body is written for speed (this loop runs once per cell): locals, no calls on
        # the common paths.
        for letters, row_raw, attrs, raw, inline in found:
            if row_raw != last_row_raw:
                values = []
                size = 0
                append_row((int(row_raw), values))
                last_row_raw = row_raw
            spec = specs.get(attrs)
            if spec is None:
                spec = self._spec(attrs)
            code = spec[0]
            if code == _SHARED:
                value = strings.get(raw)
                if value is None:
                    if not raw:
                        continue
                    index = int(raw)
                    if index + 1 >= len(offsets):
                        self._sst_more(index)
                    value = blob[offsets[index] : offsets[index + 1]].decode()
                    if len(strings) > 50000:
                        strings.clear()
                    strings[raw] = value
                if not value:  # an empty shared string is an empty cell
                    continue
            elif code == _DATE:
                cache = spec[1]
                value = cache.get(raw)
                if value is None:
                    if not raw:
                        continue
                    if len(cache) > 20000:
                        cache.clear()
                    value = cache[raw] = self._number(raw, spec[2])
            elif code == _NUMBER:
                if not raw:
                    continue
                try:
                    value = int(raw)
                except ValueError:
                    value = float(raw)
            elif code == _INLINE and inline.startswith(b"<t>") and inline.count(b"<t") == 1:
                value = _x_unescape(_unescape(inline[3:-4]).decode())
                if not value:
                    continue
            else:
                value = self._value(spec[1], spec[2], raw or None, inline or None)
                if value is None or value == "":
                    continue
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = _col_index(letters.decode())
            if column >= limit:
                far.setdefault(len(rows) - 1, []).append((column, value))
                continue
            if column == size:
                values.append(value)
                size += 1
            elif column > size:
                values.extend([None] * (column - size))
                values.append(value)
                size = column + 1
            else:
                values[column] = value
        return rows

    def _spec(self, attrs: bytes) -> tuple:
        """How to read cells with these attributes (`t`, `s`): (code, kind or cache, style)."""
        parsed = dict(_ATTR.findall(attrs))
        kind, style = parsed.get(b"t", b"n"), int(parsed.get(b"s", b"0"))
        if style in self.capital_styles and kind != b"n":
            spec = (_OTHER, kind, style)  # text drawn in capitals (_value)
        elif kind == b"s":
            spec = (_SHARED, kind, style)
        elif kind == b"n" and style < len(self.date_styles) and self.date_styles[style]:
            spec = (_DATE, {}, style)
        elif kind == b"n" and style in self.padded_styles:
            spec = (_OTHER, kind, style)  # read as the text it shows (_number)
        elif kind == b"n":
            spec = (_NUMBER, kind, style)
        elif kind == b"inlineStr":
            spec = (_INLINE, kind, style)
        else:
            spec = (_OTHER, kind, style)
        self._specs[attrs] = spec
        return spec

    def _rows_slow(self, piece: bytes, previous_row: int) -> list[tuple[int, list]]:
        start = re.search(rb"<(?:[\w.-]+:)?row\b", piece)
        if start is None:
            return []
        end = _last_close(piece, b"row")
        fragment = piece[start.start() : end]
        root = StdET.fromstring(_wrap(self._root_open, fragment))
        rows = []
        row_number = previous_row
        far = self._far
        limit = self._parse_columns()
        for row in root:
            if _local(row.tag) != "row":
                continue
            row_number = int(row.get("r") or row_number + 1)
            values: list = []
            rows.append((row_number, values))
            column = -1
            for cell in row:
                if _local(cell.tag) != "c":
                    continue
                ref = cell.get("r")
                match = _REF.fullmatch(ref) if ref else None
                column = _col_index(match.group(1)) if match else column + 1
                kind = (cell.get("t") or "n").encode()
                style = int(cell.get("s") or 0)
                raw = None
                inline = None
                for child in cell:
                    name = _local(child.tag)
                    if name == "v":
                        raw = (child.text or "").encode()
                    elif name == "is":
                        inline = _rich_text(child)
                if kind == b"inlineStr":
                    value = _x_unescape(inline) if inline else None
                elif kind in (b"str", b"e") and raw is not None:
                    value = _x_unescape(raw.decode())
                else:
                    value = None
                if value and style in self.capital_styles:
                    value = Capitals(value)
                elif value is None:
                    value = self._value(kind, style, raw or None, None)
                if value is None or value == "":
                    continue
                if column >= limit:
                    far.setdefault(len(rows) - 1, []).append((column, value))
                    continue
                if column >= len(values):
                    values.extend([None] * (column + 1 - len(values)))
                values[column] = value
        return rows


def _rich_text(element) -> str:
    """The text of a shared or inline string: its <t>, or the <t> of its runs (not <rPh>)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _wrap(root_open: bytes | None, fragment: bytes) -> bytes:
    """`fragment` inside an element carrying the namespace declarations of the part's root."""
    attrs = b""
    if root_open:
        match = re.match(rb"<[\w.:-]+(.*?)/?>$", root_open, re.S)
        attrs = match.group(1) if match else b""
    if b"xmlns=" not in attrs:
        attrs += b' xmlns="' + MAIN_NS.encode() + b'"'
    return b"<wrap" + attrs + b">" + fragment + b"</wrap>"


__all__ = ["XlsxReader", "is_date_format"]
