from django.urls import path

from . import exports, views

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="member-list"),
    path("xuat.<str:fmt>", exports.MemberExportView.as_view(), name="member-export"),
    path("ket-nap/", views.MemberCreateView.as_view(), name="member-create"),
    path("nhat-ky-thay-doi/", views.AuditListView.as_view(), name="audit-list"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("<int:pk>/sua/", views.MemberUpdateView.as_view(), name="member-update"),
    path("<int:pk>/chuyen/", views.MemberTransferView.as_view(), name="member-transfer"),
    path("<int:pk>/ra-khoi/", views.MemberLeaveView.as_view(), name="member-leave"),
    path("<int:pk>/ket-nap-lai/", views.MemberRejoinView.as_view(), name="member-rejoin"),
]
