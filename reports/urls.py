from django.urls import path

from . import reported_views, views

# Not namespaced: `home` is the site's home page, used by the navbar and LOGIN_REDIRECT_URL.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tien-do/toan-quoc/", views.NationalDashboardView.as_view(), name="progress-national"),
    path("tien-do/don-vi/<int:pk>/", views.DistrictDashboardView.as_view(), name="progress-unit"),
    path("tien-do/chi-tiet/<str:kind>/", views.DrillDownView.as_view(), name="progress-drill"),
    # Values reported as a number (reports.reported): entry and history.
    path(
        "tien-do/nhap-so-lieu/", reported_views.ReportedEntryView.as_view(), name="reported-entry"
    ),
    path(
        "tien-do/nhap-so-lieu/lich-su/",
        reported_views.ReportedHistoryView.as_view(),
        name="reported-history",
    ),
]
