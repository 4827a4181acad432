"""Exports that print well from Excel and LibreOffice (issue 12): A4 landscape, fit to width,
the header row repeated and tall enough for its wrapped lines."""


def test_list_exports_print_on_a4_landscape_with_the_header_on_every_page():
    from io import BytesIO

    import openpyxl

    from unionportal.spreadsheets.export import Sheet, xlsx_bytes

    data = xlsx_bytes(
        [
            Sheet(
                title="Đoàn viên",
                headers=["Họ và tên", "Ngày ra khỏi công đoàn"],
                rows=[["An", None]],
                widths={"Họ và tên": 24, "Ngày ra khỏi công đoàn": 12},
            ),
            Sheet(title="Thông tin", headers=["Mục"], rows=[["x"]]),
        ]
    )
    book = openpyxl.load_workbook(BytesIO(data))
    for sheet in book.worksheets:
        assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) in (
            (9, "landscape"),
            ("9", "landscape"),
        )
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    # "Ngày ra / khỏi công / đoàn" in a column 12 characters wide: three lines.
    assert book.worksheets[0].row_dimensions[1].height == 48
