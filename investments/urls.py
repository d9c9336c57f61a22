from django.urls import path

from cantho.views import PublishedDetailView, PublishedListView
from investments.models import Investment

app_name = "investments"
urlpatterns = [
    path("", PublishedListView.as_view(model=Investment, filterset_fields=["stage"], template_name="record_list.html"), name="list"),
    path("<slug:slug>/", PublishedDetailView.as_view(model=Investment), name="detail"),
]
