"""The benchmark's Windows-1258 CSV is what Excel on Vietnamese Windows writes, and the import
and the floor read the same rows from it as from the .xlsx."""

from benchmarks import import_data
from benchmarks.import_floor import _rows
from unionportal.spreadsheets.sniff import csv_encoding, read_all


def test_cp1258_csv_reads_like_the_xlsx(tmp_path):
    assert import_data.to_cp1258("ễ").decode("cp1258") == "ê\u0303"
    csv_path = tmp_path / "m.csv"
    xlsx_path = tmp_path / "m.xlsx"
    import_data.write_members_csv_cp1258(csv_path, 50)
    import_data.write_members_xlsx(xlsx_path, 50)
    assert csv_encoding(csv_path) == "cp1258"
    csv_headers, csv_rows = read_all(csv_path)
    xlsx_headers, xlsx_rows = read_all(xlsx_path)
    import unicodedata

    assert [unicodedata.normalize("NFC", h) for h in csv_headers] == xlsx_headers
    names = [row[0] for _, row in xlsx_rows]
    assert [row[0] for _, row in csv_rows] != names  # decomposed tones, NFC only when cleaned
    assert [unicodedata.normalize("NFC", row[0]) for _, row in csv_rows] == names
    floor = list(_rows(str(csv_path)))
    assert floor[0] == xlsx_headers and [row[0] for row in floor[1:]] == names
