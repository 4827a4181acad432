"""Vietnamese personal names and CCCD numbers for demo and benchmark data (deterministic)."""

import random
from datetime import date

SURNAMES = (
    ["Nguyễn"] * 38
    + ["Trần"] * 11
    + ["Lê"] * 9
    + ["Phạm"] * 7
    + ["Hoàng"] * 5
    + ["Huỳnh"] * 3
    + ["Phan"] * 3
    + ["Vũ"] * 3
    + ["Võ"] * 2
    + ["Đặng"] * 2
    + ["Bùi"] * 2
    + ["Đỗ"] * 2
    + ["Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Trịnh", "Mai", "Tạ", "Lương", "Đoàn", "Cao"]
)
MIDDLE_MALE = [
    "Văn",
    "Văn",
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quang",
    "Thành",
    "Công",
    "Xuân",
    "Ngọc",
    "Anh",
]
MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Thu",
    "Ngọc",
    "Thanh",
    "Minh",
    "Hồng",
    "Phương",
    "Kim",
    "Mai",
    "Bảo",
]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hoàng",
    "Kiên",
    "Lộc",
]
GIVEN_FEMALE = [
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Huyền",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thu",
    "Thủy",
    "Trang",
    "Trinh",
    "Uyên",
    "Vân",
    "Yến",
    "Đào",
    "Hiền",
    "Xuân",
]
OCCUPATIONS = [
    "Công nhân may",
    "Công nhân điện tử",
    "Công nhân cơ khí",
    "Nhân viên văn phòng",
    "Kế toán",
    "Lái xe",
    "Giáo viên",
    "Điều dưỡng",
    "Kỹ sư",
    "Nhân viên bán hàng",
    "Bảo vệ",
    "Thợ hàn",
    "Nhân viên kho",
    "Công nhân xây dựng",
    "Nhân viên kỹ thuật",
    "Cán bộ hành chính",
]


def person(rng: random.Random) -> tuple[str, str]:
    """(full name, gender value) with a middle name that matches the gender."""
    if rng.random() < 0.52:
        return (
            f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}",
            "female",
        )
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}", "male"


def cccd(province: int, gender: str, birth: date, serial: int) -> str:
    """A 12-digit CCCD shaped like the real ones: province, century+gender, year, serial."""
    century = 0 if birth.year < 2000 else 2
    code = century + (1 if gender == "female" else 0)
    return f"{province:03d}{code}{birth.year % 100:02d}{serial % 1_000_000:06d}"


def phone(rng: random.Random) -> str:
    return rng.choice(["09", "03", "08", "07"]) + f"{rng.randrange(10**8):08d}"
