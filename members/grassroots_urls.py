"""Every page under /cdcs/ (namespace "grassroots"): grassroots' own pages, plus those that show
or act on members, which must live above grassroots (the list and a CĐCS's page show member
figures; dissolving a CĐCS ends its members' stays)."""

from django.urls import path

from grassroots import urls as grassroots_urls

from . import grassroots_views, views

app_name = "grassroots"

urlpatterns = [
    path("", grassroots_views.GrassrootsListView.as_view(), name="grassroots-list"),
    path("<int:pk>/", grassroots_views.GrassrootsDetailView.as_view(), name="grassroots-detail"),
    *grassroots_urls.urlpatterns,
    path("<int:pk>/giai-the/", views.GrassrootsDissolveView.as_view(), name="grassroots-dissolve"),
]
