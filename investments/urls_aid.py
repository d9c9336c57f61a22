"""URLs of /aid/ (and /en/aid/): foreign non-governmental aid projects."""

from django.urls import path

from investments import views

app_name = "aid"
urlpatterns = [
    path("", views.AidProjectListView.as_view(), name="list"),
    path("<slug:slug>/", views.AidProjectDetailView.as_view(), name="detail"),
]
