"""Finding 12 of issue 14: CSV formula escaping looks at every place a spreadsheet may start a
cell, not only the start of the value; full-width signs count; numbers stay numbers."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.downloads import body
from tests.factories import MemberFactory
from unionportal.spreadsheets.export import csv_safe_text, safe_cell, unescape_cell

TRIGGERS = "=+-@＝＋－＠﹦﹢﹣﹫"


def _live_formula(cell: str) -> bool:
    return cell.lstrip(' \u00a0\u3000"').startswith(tuple(TRIGGERS))


@pytest.mark.parametrize(
    "text",
    [
        "Semi;=1+1",
        "Comma,=1+1",
        "Tab\t@SUM(A1)",
        "Pipe|+1",
        'Quote; "=HYPERLINK("http://x")',
        "＝1+1",
        "Ａ;＋1",
        "  =1+1",
        "dòng 1\n=1+1",
    ],
)
@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_no_split_of_an_escaped_cell_starts_a_formula(text, separator):
    escaped = csv_safe_text(text)
    for line in escaped.splitlines():
        for cell in line.split(separator):
            assert not _live_formula(cell), (text, separator, cell)
    assert unescape_cell(escaped) == text  # an exported file imports back unchanged


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    assert safe_cell(-5) == -5 and safe_cell(3.5) == 3.5
    for text in ("Nguyễn Văn An", "a;b", "x-y", "Công ty A, B & C", "001090012345"):
        assert csv_safe_text(text) == text


@pytest.mark.parametrize("separator", [",", ";"])
def test_member_export_csv_opened_with_either_separator(org, users, login, separator):
    """The attack: a member named `Semi;=1+1`, the CSV opened with `;` as Vietnamese Excel does."""
    MemberFactory(grassroots=org.grassroots_a, full_name="Semi;=1+1")
    MemberFactory(grassroots=org.grassroots_a, full_name="＝HYPERLINK(1)")
    response = login(users.officer_a).get(reverse("members:member-export", kwargs={"fmt": "csv"}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]
    assert cells, "empty export"
    assert not [cell for cell in cells if _live_formula(cell)]


def test_member_export_xlsx_keeps_numbers_numeric(org, users, login):
    MemberFactory(grassroots=org.grassroots_a, full_name="＝1+1")
    response = login(users.admin).get(reverse("home"), {"year": 2024, "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    numbers = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, int | float)
    ]
    assert numbers  # figures are numbers, not text
    response = login(users.officer_a).get(reverse("members:member-export", kwargs={"fmt": "xlsx"}))
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert "'＝1+1" in names
