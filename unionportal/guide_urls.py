from django.urls import path

from . import guide

app_name = "guide"

urlpatterns = [
    path("", guide.GuideIndexView.as_view(), name="guide-index"),
    path("<slug:slug>/", guide.GuideTopicView.as_view(), name="guide-topic"),
]
