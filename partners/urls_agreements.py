from django.urls import path

from cantho.views import PublishedDetailView, PublishedListView
from partners.models import Agreement

app_name = "agreements"
urlpatterns = [
    path("", PublishedListView.as_view(model=Agreement, filterset_fields=["kind"], template_name="record_list.html"), name="list"),
    path("<slug:slug>/", PublishedDetailView.as_view(model=Agreement), name="detail"),
]
