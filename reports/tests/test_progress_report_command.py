"""`manage.py progress_report`: the federation dashboard on the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

HEADER = (
    "unit_code,unit_name,new_members,target_new_members,pct_new_members,new_grassroots,"
    "target_new_grassroots,pct_new_grassroots,new_grassroots_25plus,"
    "target_new_grassroots_25plus,pct_new_grassroots_25plus,members_total,grassroots_total"
)


def run(*args) -> list[str]:
    out = StringIO()
    call_command("progress_report", *args, stdout=out)
    return out.getvalue().splitlines()


def test_csv_whole_year(counted):
    lines = run("--year", "2024", "--federation", "HN", "--format", "csv")
    assert lines == [
        HEADER,
        "A,LĐLĐ quận An Khánh,5,10,50.00,4,3,133.33,3,2,150.00,5,6",
        "B,LĐLĐ quận Bình Minh,2,,,0,,,0,,,2,1",
        # The federation: the sum of its units against its own targets (members only).
        "HN,LĐLĐ thành phố Hà Nội,7,20,35.00,4,,,3,,,7,7",
    ]


def test_csv_as_of_and_one_unit(counted):
    lines = run("--year", "2024", "--as-of", "30/06/2024", "--unit", "A", "--format", "csv")
    assert lines == [HEADER, "A,LĐLĐ quận An Khánh,2,10,20.00,2,3,66.67,1,2,50.00,3,4"]


def test_every_federation_when_none_is_chosen(counted):
    lines = run("--year", "2024", "--format", "csv")
    assert [line.split(",")[0] for line in lines[1:]] == ["A", "B", "HN", "C", "HP"]


def test_text_lines(counted):
    assert run("--year", "2024", "--unit", "A") == [
        "LĐLĐ quận An Khánh: 5/10 đoàn viên (50%); 4/3 CĐCS (133,33%); "
        "3/2 CĐCS từ 25 lao động trở lên (150%)"
    ]
    lines = run("--year", "2024", "--federation", "HN")
    assert lines[1] == (
        "LĐLĐ quận Bình Minh: 2 đoàn viên (chưa giao chỉ tiêu); 0 CĐCS (chưa giao chỉ tiêu); "
        "0 CĐCS từ 25 lao động trở lên (chưa giao chỉ tiêu)"
    )
    assert lines[2].startswith("LĐLĐ thành phố Hà Nội: 7/20 đoàn viên (35%); 4 CĐCS")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "24"], "Năm «24» không hợp lệ"),
        (["--year", "2024", "--as-of", "2024/06/30"], "Ngày số liệu «2024/06/30» không hợp lệ"),
        (["--year", "2024", "--as-of", "30/06/2023"], "không thuộc năm 2024"),
        (["--year", "2024", "--unit", "XYZ"], "Không có đơn vị nào mã «XYZ»"),
        (["--year", "2024", "--federation", "XYZ"], "Không có LĐLĐ nào mã «XYZ»"),
    ],
)
def test_bad_options(counted, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
