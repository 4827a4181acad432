"""Vietnamese alphabetical order: the Python key (SQLite's collation) and PostgreSQL's ICU."""

import pytest
from django.db import connection

from grassroots.collation import COLLATION, vi_sort_key, vi_sorted

# In Vietnamese dictionary order, as a teacher would list a class.
ORDERED = [
    "An",
    "An Bình",  # a space sorts before a letter
    "Anh",
    "Ánh",  # tone after the plain letter ...
    "Ánh Hồng",
    "Anh Tuấn",  # ... but only when the letters are the same
    "Ăn",  # ă after a
    "Âu",  # â after ă
    "Bình",
    "Dũng",
    "Dương",
    "Đào",  # đ after d
    "Đạt",
    "Hà",
    "Hạ",  # huyền < nặng
    "Hoa",
    "Lê Thị Ôn",
    "Lê Thị Ơn",  # ô < ơ
    "Lê Uy",
    "Lê Ưng",  # u < ư
    "Nga",
    "Ngà",
    "Ngả",
    "Ngã",
    "Ngá",
    "Ngạ",  # tones: none, huyền, hỏi, ngã, sắc, nặng
    "Nguyễn Văn An",
    "Ông Ích Khiêm",
    "Ưng Hoàng Phúc",
    "Ý Lan",  # letters first: "y lan" < "y moan", the tone only breaks ties
    "Y Moan",
    "Zung",
]


def test_python_key_sorts_vietnamese():
    shuffled = list(reversed(ORDERED))
    assert vi_sorted(shuffled) == ORDERED


def test_case_is_the_last_difference():
    assert vi_sort_key("an") < vi_sort_key("An") < vi_sort_key("ă")
    assert vi_sorted(["NGA", "nga", "Ngà"]) == ["nga", "NGA", "Ngà"]


def test_decomposed_input_sorts_like_composed():
    import unicodedata

    assert vi_sort_key(unicodedata.normalize("NFD", "Đặng Thị Ánh")) == vi_sort_key("Đặng Thị Ánh")


@pytest.mark.django_db
def test_the_database_sorts_the_same_way():
    """SQLite gets the collation from grassroots.collation; PostgreSQL has ICU's built in."""
    with connection.cursor() as cursor:
        values = " UNION ALL ".join(["SELECT %s AS name"] * len(ORDERED))
        cursor.execute(
            f'SELECT name FROM ({values}) names ORDER BY name COLLATE "{COLLATION}"',
            list(reversed(ORDERED)),
        )
        assert [row[0] for row in cursor.fetchall()] == ORDERED
