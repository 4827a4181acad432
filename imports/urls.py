from django.urls import path

from unionportal.middleware import accepts_uploads

from . import views

app_name = "imports"

urlpatterns = [
    path("", accepts_uploads(views.ImportStartView.as_view()), name="import-start"),
    path("lich-su/", views.ImportHistoryView.as_view(), name="import-history"),
    path("mau/<str:kind>.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
    path("<int:pk>/", views.ImportJobDetailView.as_view(), name="import-detail"),
    path("<int:pk>/xac-nhan/", views.ImportConfirmView.as_view(), name="import-confirm"),
    path("<int:pk>/chay-lai/", views.ImportRerunView.as_view(), name="import-rerun"),
    path("<int:pk>/loi.xlsx", views.ImportErrorsView.as_view(), name="import-errors"),
]
