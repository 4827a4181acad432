from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        # Per request: with the manifest storage the hashed name exists only after collectstatic.
        return static("img/favicon.svg")


urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's): no 404 in the logs.
    path(
        "favicon.ico",
        login_not_required(FaviconView.as_view()),
        name="favicon",
    ),
    path("huong-dan/", include("unionportal.guide_urls")),
    path("quan-tri/", admin.site.urls),
    # grassroots' pages and those that show members' figures (members mounts both)
    path("cdcs/", include("members.grassroots_urls")),
    path("doan-vien/", include("members.urls")),
    path("nhap-du-lieu/", include("imports.urls")),
    path("phuong-an-sap-xep/", include("imports.plan_urls")),
    path("doanh-nghiep/", include("organising.urls")),
    path("bao-cao-ky/", include("approvals.urls")),
    path("hoat-dong/", include("activities.urls")),
    path("", include("reports.urls")),
]

handler400 = "unionportal.errors.bad_request"
handler404 = "unionportal.errors.page_not_found"
handler500 = "unionportal.errors.server_error"
