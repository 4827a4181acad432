from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("cdcs/<int:pk>/can-bo/", views.GrassrootsOfficersView.as_view(), name="officers"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.PositionEndView.as_view(), name="position-end"),
    path("cdcs/<int:pk>/thoa-uoc/", views.GrassrootsAgreementsView.as_view(), name="agreements"),
    path("doan-vien/<int:pk>/dang/", views.MemberPartyView.as_view(), name="member-party"),
    path("tap-huan/", views.CourseListView.as_view(), name="course-list"),
    path("tap-huan/them/", views.CourseCreateView.as_view(), name="course-create"),
    path("tap-huan/<int:pk>/", views.CourseDetailView.as_view(), name="course-detail"),
    path("ho-tro/", views.PayoutsView.as_view(), name="payouts"),
    path("ho-tro/xuat.xlsx", views.PayoutsExportView.as_view(), name="payouts-export"),
    path("cdcs-yeu-kem/", views.WeakGrassrootsView.as_view(), name="weak"),
    path("cdcs-yeu-kem/ket-qua/", views.ConsolidationRecordView.as_view(), name="weak-outcome"),
    path("cdcs-yeu-kem/xuat.xlsx", views.WeakGrassrootsExportView.as_view(), name="weak-export"),
]
