"""URLs of /aid/ (and /en/aid/): foreign non-governmental aid projects."""

from django.urls import path

from investments import views

app_name = "aid"
urlpatterns = [
    path("", views.AidProjectListView.as_view(), name="list"),
    path("iati.xml", views.AidIatiView.as_view(), name="iati"),
    path("<slug:slug>/iati.xml", views.AidIatiView.as_view(), name="detail-iati"),
    path("<slug:slug>/", views.AidProjectDetailView.as_view(), name="detail"),
]
