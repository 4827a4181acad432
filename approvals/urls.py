from django.urls import path

from . import views

app_name = "approvals"

_report = "don-vi/<int:pk>/<int:year>/<slug:kind>/"
_fed = "lien-doan/<int:pk>/<int:year>/<slug:kind>/"
urlpatterns = [
    path("cho-duyet/", views.ApprovalQueueView.as_view(), name="report-queue"),
    path("day-du/", views.CompletenessView.as_view(), name="completeness"),
    path("don-vi/<int:pk>/", views.UnitReportsView.as_view(), name="unit-reports"),
    path(_report, views.ReportDetailView.as_view(), name="report-detail"),
    path(_report + "gui/", views.ReportActionView.as_view(action="submit"), name="report-submit"),
    path(_report + "duyet/", views.ReportActionView.as_view(action="decide"), name="report-decide"),
    path(_report + "mo-khoa/", views.ReportActionView.as_view(action="open"), name="report-open"),
    path("toan-quoc/", views.NationalCompletenessView.as_view(), name="national-completeness"),
    path("lien-doan/<int:pk>/", views.FederationReportsView.as_view(), name="federation-reports"),
    path(_fed, views.FederationReportView.as_view(), name="federation-report"),
    path(
        _fed + "gui/",
        views.FederationReportActionView.as_view(action="submit"),
        name="federation-report-submit",
    ),
    path(
        _fed + "duyet/",
        views.FederationReportActionView.as_view(action="decide"),
        name="federation-report-decide",
    ),
]
