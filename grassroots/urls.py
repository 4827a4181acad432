"""grassroots' own pages under /cdcs/. members.grassroots_urls mounts them, in the namespace
"grassroots", beside the pages that show or act on members (list, detail, dissolve)."""

from django.urls import path

from . import campaigns, exports, search, targets, views

urlpatterns = [
    path("xuat.<str:fmt>", exports.GrassrootsExportView.as_view(), name="grassroots-export"),
    path("them/", views.GrassrootsCreateView.as_view(), name="grassroots-create"),
    path("<int:pk>/sua/", views.GrassrootsUpdateView.as_view(), name="grassroots-update"),
    path("tim/", search.GrassrootsSearchView.as_view(), name="grassroots-search"),
    path("chi-tieu/", targets.TargetsView.as_view(), name="targets"),
    path(
        "chi-tieu/dot-thi-dua/them/", campaigns.CampaignEditView.as_view(), name="campaign-create"
    ),
    path(
        "chi-tieu/dot-thi-dua/<int:pk>/sua/",
        campaigns.CampaignEditView.as_view(),
        name="campaign-update",
    ),
    path(
        "chi-tieu/dot-thi-dua/<int:pk>/xoa/",
        campaigns.CampaignDeleteView.as_view(),
        name="campaign-delete",
    ),
    path("<int:pk>/chuyen/", views.GrassrootsMoveView.as_view(), name="grassroots-move"),
]
