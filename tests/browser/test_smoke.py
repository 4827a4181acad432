"""The browser machinery itself: Chromium starts, the live server answers, login works."""

from tests.factories import make_user


def test_login_page_and_login(page, transactional_db):
    make_user("canbo")
    response = page.open("/dang-nhap/")
    assert response.status == 200
    assert "Đăng nhập" in page.text()
    assert page.csp_violations() == []
    page.login("canbo")
    assert page.url.rstrip("/") == page.base_url
