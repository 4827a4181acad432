"""grassroots' own pages under /cdcs/. members.grassroots_urls mounts them, in the namespace
"grassroots", beside the pages that show or act on members (list, detail, dissolve)."""

from django.urls import path

from . import exports, search, targets, views

urlpatterns = [
    path("xuat.<str:fmt>", exports.GrassrootsExportView.as_view(), name="grassroots-export"),
    path("them/", views.GrassrootsCreateView.as_view(), name="grassroots-create"),
    path("<int:pk>/sua/", views.GrassrootsUpdateView.as_view(), name="grassroots-update"),
    path("tim/", search.GrassrootsSearchView.as_view(), name="grassroots-search"),
    path("chi-tieu/", targets.TargetsView.as_view(), name="targets"),
    path("<int:pk>/chuyen/", views.GrassrootsMoveView.as_view(), name="grassroots-move"),
]
