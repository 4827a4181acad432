from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="member-list"),
    path("ket-nap/", views.MemberCreateView.as_view(), name="member-create"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("<int:pk>/sua/", views.MemberUpdateView.as_view(), name="member-update"),
]
