"""The TCVN3 and VNI-Windows tables and the detection (unionportal/spreadsheets/legacy.py)."""

from unionportal.spreadsheets import legacy

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"


def test_every_vietnamese_letter_has_its_legacy_spelling():
    vni = set(legacy.VNI_TABLE.values())
    assert [
        ch for ch in VIETNAMESE + VIETNAMESE.upper() if not ch.isascii() and ch not in vni
    ] == []
    tcvn3 = set(legacy.TCVN3_TABLE.values())
    # TCVN3 has the lower case, and the capitals without tone (toned capitals: .VnTimeH).
    assert [ch for ch in VIETNAMESE + "ĂÂÊÔƠƯĐ" if not ch.isascii() and ch not in tcvn3] == []
    assert len(legacy.TCVN3_TABLE) == 74


def test_conversions():
    assert legacy.tcvn3_to_unicode("Hoµng ThÕ Dòng") == "Hoàng Thế Dũng"
    assert legacy.tcvn3_to_unicode("L\xad¬ng") == "Lương"
    assert legacy.vni_to_unicode("Tröôøng Ñaïi hoïc NGUYEÃN AÙNH") == "Trường Đại học NGUYỄN ÁNH"


def test_detection_needs_evidence_and_leaves_unicode_alone():
    assert legacy.detect(["Hoµng ThÕ Dòng", "L\xad¬ng V¨n Tó"]) == legacy.TCVN3
    assert legacy.detect(["Hoaøng Theá Duõng", "Nguyeãn Vaên An"]) == legacy.VNI
    assert legacy.detect(["Hoµng ThÕ Dòng"]) is None  # one text alone is not enough...
    assert legacy.detect(["Hoµng ThÕ Dòng"], [".VnTime"]) == legacy.TCVN3  # ...without the font
    assert legacy.detect(["Họ và tên", "Tú", "Hà", "Lê Văn Tú", "Café Noël"]) is None
