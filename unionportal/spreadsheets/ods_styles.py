"""What an .ods says about its cells beyond their values, which python-calamine does not expose
(issue 12): number formats that pad with zeros (a CCCD kept as a number shown as 037068861168),
hidden and filtered-out rows, and the fonts (TCVN3's .VnTime, VNI-Times; ".VnTimeH" capitals).

The styles are XML in the archive: number styles (`number:number-style` with one
`number:number number:min-integer-digits="12"` and no decimals) in styles.xml or content.xml,
cell styles naming them (`style:data-style-name`) and their font (`style:font-name` in
`style:text-properties`, or the parent style's). The cells are in content.xml: each
`table:table-cell` names its style (`table:style-name`, else its column's
`table:default-cell-style-name`); rows may be hidden (`table:visibility="collapse"`) or
filtered out (`"filter"`); rows and cells repeat (`number-rows-repeated`,
`number-columns-repeated`).

content.xml is read once with defusedxml's iterparse (no DTD, no entity), each row dropped once
read, so memory holds one row and the marks found; the archive's unpacked size is bounded by
check_zip before this runs. `StyleHints` are keyed by (row, column) as calamine numbers them (row
1 is the sheet's first row; column 0 the first column).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET

from .legacy import capitals_font

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


TABLE, ROW, CELL, COVERED, COLUMN = (
    _q("table:table"),
    _q("table:table-row"),
    _q("table:table-cell"),
    _q("table:covered-table-cell"),
    _q("table:table-column"),
)
STYLE, NUMBER_STYLE, NUMBER, TEXT_PROPS, FONT_FACE = (
    _q("style:style"),
    _q("number:number-style"),
    _q("number:number"),
    _q("style:text-properties"),
    _q("style:font-face"),
)
A_NAME, A_PARENT, A_DATA, A_FONT, A_FAMILY = (
    _q("style:name"),
    _q("style:parent-style-name"),
    _q("style:data-style-name"),
    _q("style:font-name"),
    _q("svg:font-family"),
)
A_CELL_STYLE, A_DEFAULT_STYLE, A_VISIBILITY = (
    _q("table:style-name"),
    _q("table:default-cell-style-name"),
    _q("table:visibility"),
)
A_ROWS, A_COLUMNS, A_TYPE = (
    _q("table:number-rows-repeated"),
    _q("table:number-columns-repeated"),
    _q("office:value-type"),
)
A_VALUE = _q("office:value")
MAX_STYLES_BYTES = 20 * 1024 * 1024
MAX_MARKS = 2_000_000  # (row, column) marks kept; a sheet beyond this is not a register


@dataclass
class StyleHints:
    fonts: list[str] = field(default_factory=list)  # every font the styles name
    padded: dict[tuple[int, int], int] = field(default_factory=dict)  # cell -> digits shown
    capitals: set[tuple[int, int]] = field(default_factory=set)  # text in a ".VnTimeH" font
    hidden_rows: int = 0  # hidden or filtered-out rows holding a value


class _Styles:
    """Cell styles -> digits their number style pads to, and font; fonts by face name."""

    def __init__(self) -> None:
        self.padding: dict[str, int] = {}  # number style -> min-integer-digits
        self.data: dict[str, str] = {}  # cell style -> number style
        self.font: dict[str, str] = {}  # cell style -> font face name
        self.parent: dict[str, str] = {}
        self.faces: dict[str, str] = {}  # face name -> font family

    def read(self, element) -> None:
        """Take in the styles of a parsed part (styles.xml) or of one element of content.xml."""
        for node in element.iter():
            tag = node.tag
            if tag == NUMBER_STYLE:
                numbers = [child for child in node if child.tag == NUMBER]
                if len(numbers) == 1 and len(node) == 1:
                    number = numbers[0]
                    digits = int(number.get(_q("number:min-integer-digits"), "1") or 1)
                    if digits >= 2 and int(number.get(_q("number:decimal-places"), "0")) == 0:
                        self.padding[node.get(A_NAME, "")] = digits
            elif tag == STYLE:
                name = node.get(A_NAME, "")
                if node.get(A_DATA):
                    self.data[name] = node.get(A_DATA, "")
                if node.get(A_PARENT):
                    self.parent[name] = node.get(A_PARENT, "")
                for child in node:
                    if child.tag == TEXT_PROPS and child.get(A_FONT):
                        self.font[name] = child.get(A_FONT, "")
            elif tag == FONT_FACE:
                family = (node.get(A_FAMILY) or node.get(A_NAME, "")).strip("'\"")
                self.faces[node.get(A_NAME, "")] = family

    def _inherited(self, table: dict[str, str], name: str) -> str:
        for _ in range(10):  # a parent chain, never a loop
            if name in table:
                return table[name]
            if name not in self.parent:
                return ""
            name = self.parent[name]
        return ""

    def mark(self, name: str) -> tuple[int, bool]:
        """(digits a cell of style `name` is padded to (0: none), is its font capitals)."""
        digits = self.padding.get(self._inherited(self.data, name), 0)
        face = self._inherited(self.font, name)
        return digits, bool(face) and capitals_font(self.faces.get(face, face))


def _repeat(element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def read_hints(path, sheet: int = 0) -> StyleHints:
    """The StyleHints of worksheet `sheet` (0 = the first) of the .ods at `path`. A part that
    cannot be read gives no hint (calamine has read the values; this only adds to them)."""
    hints = StyleHints()
    styles = _Styles()
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "styles.xml" in names and archive.getinfo("styles.xml").file_size < MAX_STYLES_BYTES:
                styles.read(SafeET.fromstring(archive.read("styles.xml")))
            if "content.xml" in names:
                with archive.open("content.xml") as handle:
                    faces, worth = _prescan(handle, styles)
                if not worth:  # nothing to mark: the usual file costs one scan of bytes
                    return StyleHints(fonts=sorted(set(styles.faces.values()) | faces))
                with archive.open("content.xml") as handle:
                    _read_content(handle, sheet, styles, hints)
    except (zipfile.BadZipFile, SafeET.ParseError, SafeET.DefusedXmlException, OSError, ValueError):
        return StyleHints(fonts=sorted(set(styles.faces.values())))
    hints.fonts = sorted(set(styles.faces.values()) | set(styles.font.values()))
    return hints


_MARKERS = (b'visibility="collapse"', b'visibility="filter"')
_PADDING = re.compile(rb'min-integer-digits="(?:[2-9]|\d\d+)"')
_FACE = re.compile(rb'<style:font-face\b[^>]*?style:name="([^"]*)"')


def _prescan(handle, styles: _Styles) -> tuple[set[str], bool]:
    """(the font faces content.xml declares, could it hold anything to mark?): a hidden or
    filtered row, a number style padding to 2 digits or more, or a capitals font. Read in
    pieces of 1 MiB at C speed; the full parse (2,1 s for 20.000 rows) runs only then."""
    faces: set[str] = set()
    worth = any(capitals_font(face) for face in styles.faces.values()) or bool(styles.padding)
    tail = b""
    while piece := handle.read(1 << 20):
        joined = tail + piece
        if b"<style:font-face" in joined:
            faces.update(
                name.decode("utf-8", "replace").replace("&apos;", "'").strip("'\"")
                for name in _FACE.findall(joined)
            )
        if worth or any(marker in joined for marker in _MARKERS) or _PADDING.search(joined):
            return faces, True
        tail = piece[-256:]
    return faces, worth or any(capitals_font(face) for face in faces)


def _read_content(handle, sheet: int, styles: _Styles, hints: StyleHints) -> None:
    stack: list = []
    tables = -1
    in_sheet = False
    columns: list[str] = []  # default cell style of each column of the sheet read
    row = 0
    marks_cache: dict[str, tuple[int, bool]] = {}

    def mark(name: str) -> tuple[int, bool]:
        found = marks_cache.get(name)
        if found is None:
            found = marks_cache[name] = styles.mark(name)
        return found

    for event, element in SafeET.iterparse(handle, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if element.tag == TABLE:
                tables += 1
                in_sheet = tables == sheet
            continue
        stack.pop()
        tag = element.tag
        if tag in (STYLE, NUMBER_STYLE, FONT_FACE):
            if not in_sheet and tables < 0:  # automatic styles and faces, before the tables
                styles.read(element)
            continue
        if not in_sheet:
            if tag == ROW and stack:
                stack[-1].remove(element)  # rows of other sheets: dropped as read
            elif tag == TABLE and tables >= sheet:
                return
            continue
        if tag == COLUMN:
            name = element.get(A_DEFAULT_STYLE, "")
            count = _repeat(element, A_COLUMNS)
            if len(columns) + count > 16384:
                count = max(0, 16384 - len(columns))
            columns.extend([name] * count)
        elif tag == ROW:
            repeat = _repeat(element, A_ROWS)
            hidden = element.get(A_VISIBILITY) in ("collapse", "filter")
            column = 0
            holds_value = False
            for cell in element:
                if cell.tag not in (CELL, COVERED):
                    continue
                count = _repeat(cell, A_COLUMNS)
                kind = cell.get(A_TYPE)
                if kind is not None:
                    holds_value = True
                    style = cell.get(A_CELL_STYLE) or (
                        columns[column] if column < len(columns) else ""
                    )
                    if style and repeat == 1 and count <= 256:
                        digits, capitals = mark(style)
                        for offset in range(count if (digits or capitals) else 0):
                            position = (row + 1, column + offset)
                            if digits and kind == "float" and _whole(cell.get(A_VALUE)):
                                hints.padded[position] = digits
                            elif capitals and kind == "string":
                                hints.capitals.add(position)
                column += count
            if hidden and holds_value:
                hints.hidden_rows += repeat
            row += repeat
            if len(hints.padded) + len(hints.capitals) > MAX_MARKS:
                raise ValueError("too many marks")
            if stack:
                stack[-1].remove(element)
        elif tag == TABLE:
            return


def _whole(value: str | None) -> bool:
    try:
        number = float(value or "")
    except ValueError:
        return False
    return number >= 0 and number.is_integer() and number < 1e15


__all__ = ["StyleHints", "read_hints"]
