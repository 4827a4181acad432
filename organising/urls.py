from django.urls import path

from . import exports, views

app_name = "organising"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("cua-toi/", views.MyEnterprisesView.as_view(), name="enterprise-mine"),
    path("them/", views.EnterpriseCreateView.as_view(), name="enterprise-create"),
    path("xuat.xlsx", exports.EnterpriseExportView.as_view(), name="enterprise-export"),
    path("du-dia/", views.HeadroomView.as_view(), name="headroom"),
    path("du-dia/xuat.xlsx", exports.HeadroomExportView.as_view(), name="headroom-export"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("<int:pk>/giai-doan/", views.EnterpriseStageView.as_view(), name="enterprise-stage"),
    path("<int:pk>/phan-cong/", views.EnterpriseAssignView.as_view(), name="enterprise-assign"),
    path("<int:pk>/tiep-xuc/", views.EnterpriseContactView.as_view(), name="enterprise-contact"),
    path("<int:pk>/ghi-chu/", views.EnterpriseNotesView.as_view(), name="enterprise-notes"),
    path("<int:pk>/thanh-lap-cdcs/", views.EnterpriseFoundView.as_view(), name="enterprise-found"),
]
