"""Files whose work is far bigger than their size (issue 14, findings 4 and 13).

Finding 4: a 494 KiB .xlsx of 100.000 rows, each a single cell in column XFD, kept a request
thread busy for 64 s: the choice between reading during the request and the task worker looked
at the compressed size only, and the reader padded every row to its highest column (16.384
cells a row). Now the choice looks at the unpacked size and the rows too (imports.tasks.
runs_in_request), and a row costs its cells: nothing is padded beyond the header's width.

Finding 13: a 7 MB .xlsx with a 950 MB shared-strings table cost 1 GiB in the worker. The table
is bounded by a share of the unpacked-size limit; over it the file is refused with a message,
and nothing is written.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import engine
from imports.engine import run_import
from imports.models import ImportJob
from imports.tasks import SYNC_MAX_ROWS, runs_in_request
from members.models import Member
from unionportal.spreadsheets import xlsx_reader
from unionportal.spreadsheets.sniff import extent, open_table

from .importfiles import MEMBER_HEADERS, member_row, write_xlsx
from .test_import_reading import MAIN, raw_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xfd_file(path, rows: int, *, dimension: str | None = "auto", header: bool = True):
    """The attack's file: (the member headers, then) `rows` rows of one cell in column XFD."""
    letters = [chr(65 + i) for i in range(len(MEMBER_HEADERS))]
    head = (
        '<row r="1">'
        + "".join(_inline(f"{c}1", h) for c, h in zip(letters, MEMBER_HEADERS, strict=True))
        + "</row>"
        if header
        else ""
    )
    if dimension == "auto":
        dimension = f"A1:XFD{rows + 1}"
    body = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="s"><v>0</v></c></row>' for n in range(2, rows + 2)
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{head}{body}</sheetData></worksheet>"
    )
    sst = f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>x</t></si></sst>'
    return raw_xlsx(path, sheet, sst_xml=sst)


def _job(path, settings) -> ImportJob:
    settings.MEDIA_ROOT = path.parent
    job = ImportJob(size=path.stat().st_size)
    job.file.name = path.name
    return job


# ----- finding 4: the choice -------------------------------------------------------------


@pytest.mark.parametrize("dimension", ["auto", None, "A1:K2"], ids=["dimension", "none", "lie"])
def test_the_494_kib_xfd_file_goes_to_the_background(
    tmp_path, settings, login, users, dimension, django_capture_on_commit_callbacks
):
    """Its compressed size is under IMPORT_SYNC_MAX_BYTES; its rows are not (whatever its
    `<dimension>` says: missing, or lying, the rows are counted)."""
    path = xfd_file(tmp_path / "xfd.xlsx", 100_000, dimension=dimension)
    assert path.stat().st_size < settings.IMPORT_SYNC_MAX_BYTES  # the attack: looks small
    found = extent(path, max_bytes=12 * settings.IMPORT_SYNC_MAX_BYTES)
    assert found.rows > SYNC_MAX_ROWS

    client = login(users.officer_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("imports:import-start"),
            {"kind": "members", "file": SimpleUploadedFile("xfd.xlsx", path.read_bytes())},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert not runs_in_request(job)
    # Queued for the task worker, not read in the request.
    assert len(callbacks) == 1
    assert job.started_at is None and job.attempts == 0
    assert job.progress_read() is None


def test_small_files_still_run_in_the_request(tmp_path, org, settings):
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        MEMBER_HEADERS,
        [member_row(cccd=f"0010900{i:05d}", code=org.grassroots_a.code) for i in range(50)],
        text_columns=["Số CCCD"],
    )
    job = _job(path, settings)
    assert runs_in_request(job)


def test_a_file_unpacking_past_the_bound_goes_to_the_background(tmp_path, settings):
    """Few rows, but megabytes of sheet (one huge text per row)."""
    settings.IMPORT_SYNC_MAX_BYTES = 64 * 1024
    text = "a" * 200_000
    path = tmp_path / "wide.xlsx"
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'
        + "".join(f'<row r="{n}">{_inline(f"A{n}", text)}</row>' for n in range(1, 6))
        + "</sheetData></worksheet>"
    )
    raw_xlsx(path, sheet)
    assert path.stat().st_size < settings.IMPORT_SYNC_MAX_BYTES
    job = _job(path, settings)
    assert not runs_in_request(job)


# ----- finding 4: the reader's work --------------------------------------------------------


def test_sparse_rows_cost_their_cells_not_their_highest_column(tmp_path, monkeypatch):
    """After the header, no row is padded beyond the header's width, and the padding done
    while reading is bounded by the cells present (counted on list.extend's work)."""
    path = xfd_file(tmp_path / "xfd.xlsx", 20_000)
    padded = [0]
    place = xlsx_reader.XlsxReader._place_far

    def counting(self, values, cells):
        before = len(values)
        place(self, values, cells)
        padded[0] += len(values) - before

    monkeypatch.setattr(xlsx_reader.XlsxReader, "_place_far", counting)
    with open_table(path) as table:
        assert len(table.headers) == len(MEMBER_HEADERS)
        table.keep_columns_of({"x": len(MEMBER_HEADERS) - 1})
        widths = [len(values) for _, values in table.rows]
    assert len(widths) == 20_000  # every row is still handed out (for the skipped-rows notice)
    assert max(widths) <= len(MEMBER_HEADERS)
    assert padded[0] == 0


def test_the_engine_bounds_rows_by_the_header(tmp_path, monkeypatch, org, users):
    """Through the import engine (the worker's path): every row it checks is at most as wide
    as the header, and the XFD rows are reported as skipped, not as 16.384-column rows."""
    path = xfd_file(tmp_path / "xfd.xlsx", 5_000)
    widths: list[int] = []
    blank = engine._blank

    def spy(values, positions):
        widths.append(len(values))
        return blank(values, positions)

    monkeypatch.setattr(engine, "_blank", spy)
    outcome = run_import("members", path, user=users.officer_a)
    assert len(widths) == 5_000
    assert max(widths) <= len(MEMBER_HEADERS)
    assert any("Bỏ qua 5000 dòng" in notice for notice in outcome.notices), outcome.notices


def test_cells_beyond_excel_columns_are_still_refused(tmp_path):
    path = tmp_path / "beyond.xlsx"
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        + _inline("A1", "Họ và tên")
        + _inline("XFE1", "x")
        + "</row></sheetData></worksheet>"
    )
    raw_xlsx(path, sheet)
    with pytest.raises(xlsx_reader.FileProblem) as caught, open_table(path) as table:
        list(table.rows)
    assert "vượt quá giới hạn" in caught.value.message


# ----- finding 13: the shared-strings table ------------------------------------------------


def _big_sst_file(path, strings: int, size: int):
    """Member rows whose names are `strings` distinct shared strings of `size` characters."""
    sst = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}">'
        + "".join(f"<si><t>{i:08d}{'x' * (size - 8)}</t></si>" for i in range(strings))
        + "</sst>"
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        + "".join(_inline(f"{chr(65 + i)}1", h) for i, h in enumerate(MEMBER_HEADERS))
        + "</row>"
        + "".join(
            f'<row r="{n + 2}"><c r="A{n + 2}" t="s"><v>{n}</v></c></row>' for n in range(strings)
        )
        + "</sheetData></worksheet>"
    )
    return raw_xlsx(path, sheet, sst_xml=sst)


@pytest.mark.parametrize(
    "strings",
    [4_000, 1_500],
    ids=["declared-size-over", "text-over-while-reading"],
)
def test_a_huge_shared_strings_table_is_refused_and_nothing_written(
    tmp_path, settings, users, org, strings
):
    """The table fits the unpacked-size limit (8 MiB) but not its share for the shared strings
    (1 MiB): refused with a message and nothing written, whether the part's declared size says
    so (4 MB: checked before reading) or only its text does (1,5 MB: counted while reading)."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    path = _big_sst_file(tmp_path / "sst.xlsx", strings, 1_000)
    before = Member.objects.count()
    outcome = run_import("members", path, user=users.admin, commit=True)
    assert not outcome.committed
    assert Member.objects.count() == before
    message = outcome.file_errors[0].message
    assert "sharedStrings" in message and "quá lớn" in message, message
    assert "Không có gì được ghi" in message


def test_an_ordinary_shared_strings_table_is_read(tmp_path, settings, users):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    path = _big_sst_file(tmp_path / "sst.xlsx", 500, 100)  # 50 KB of text
    with open_table(path) as table:
        assert sum(1 for _ in table.rows) == 500
