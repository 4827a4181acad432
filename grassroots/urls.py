from django.urls import path

from . import exports, targets, views

app_name = "grassroots"

urlpatterns = [
    path("", views.GrassrootsListView.as_view(), name="grassroots-list"),
    path("xuat.<str:fmt>", exports.GrassrootsExportView.as_view(), name="grassroots-export"),
    path("them/", views.GrassrootsCreateView.as_view(), name="grassroots-create"),
    path("<int:pk>/", views.GrassrootsDetailView.as_view(), name="grassroots-detail"),
    path("<int:pk>/sua/", views.GrassrootsUpdateView.as_view(), name="grassroots-update"),
    path("chi-tieu/", targets.TargetsView.as_view(), name="targets"),
    path("<int:pk>/chuyen/", views.GrassrootsMoveView.as_view(), name="grassroots-move"),
]
