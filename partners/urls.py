from django.urls import path

from cantho.views import PublishedDetailView, PublishedListView
from partners.models import Partner

app_name = "partners"
urlpatterns = [
    path("", PublishedListView.as_view(model=Partner, filterset_fields=["kind"], template_name="record_list.html"), name="list"),
    path("<slug:slug>/", PublishedDetailView.as_view(model=Partner), name="detail"),
]
