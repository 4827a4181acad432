from django.urls import path

from . import views

# Not namespaced: `home` is the site's home page, used by the navbar and LOGIN_REDIRECT_URL.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tien-do/toan-quoc/", views.NationalDashboardView.as_view(), name="progress-national"),
    path("tien-do/don-vi/<int:pk>/", views.DistrictDashboardView.as_view(), name="progress-unit"),
    path("tien-do/chi-tiet/<str:kind>/", views.DrillDownView.as_view(), name="progress-drill"),
]
