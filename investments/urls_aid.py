from django.urls import path

from cantho.views import PublishedDetailView, PublishedListView
from investments.models import AidProject

app_name = "aid"
urlpatterns = [
    path("", PublishedListView.as_view(model=AidProject, filterset_fields=["stage"], template_name="record_list.html"), name="list"),
    path("<slug:slug>/", PublishedDetailView.as_view(model=AidProject), name="detail"),
]
