"""Pages under /cdcs/ that act on members too (mounted next to grassroots.urls)."""

from django.urls import path

from . import views

app_name = "dissolution"

urlpatterns = [
    path("<int:pk>/giai-the/", views.GrassrootsDissolveView.as_view(), name="grassroots-dissolve"),
]
