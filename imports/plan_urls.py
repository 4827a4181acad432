"""The restructuring plan pages (phương án sắp xếp), mounted at /phuong-an-sap-xep/."""

from django.urls import path

from unionportal.middleware import accepts_uploads

from . import plan_views as views

app_name = "plans"

urlpatterns = [
    path("", accepts_uploads(views.PlanStartView.as_view()), name="plan-start"),
    path("lap/", views.PlanBuildView.as_view(), name="plan-build"),
    path("theo-dia-chi/", views.AddressProposalView.as_view(), name="plan-proposal"),
    path("mau.xlsx", views.PlanTemplateView.as_view(), name="plan-template"),
    path("lich-su/", views.PlanHistoryView.as_view(), name="plan-history"),
    path("<int:pk>/", views.PlanJobDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/ap-dung/", views.PlanConfirmView.as_view(), name="plan-confirm"),
    path("<int:pk>/chay-lai/", views.PlanRerunView.as_view(), name="plan-rerun"),
    path("da-ap-dung/<int:pk>/hoan-tac/", views.PlanUndoView.as_view(), name="plan-undo"),
]
