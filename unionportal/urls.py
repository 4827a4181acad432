from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("cdcs/", include("grassroots.urls")),
    path("cdcs/", include("members.grassroots_urls")),  # dissolving a CĐCS ends its stays
    path("doan-vien/", include("members.urls")),
    path("nhap-du-lieu/", include("imports.urls")),
    path("doanh-nghiep/", include("organising.urls")),
    path("", include("reports.urls")),
]

handler400 = "unionportal.errors.bad_request"
handler404 = "unionportal.errors.page_not_found"
handler500 = "unionportal.errors.server_error"
