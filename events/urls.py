from django.urls import path
from django.views.generic import TemplateView

from cantho.views import PublishedDetailView, PublishedListView
from events.models import Event

app_name = "events"
urlpatterns = [
    path("", PublishedListView.as_view(model=Event, filterset_fields=["kind"], template_name="record_list.html"), name="list"),
    path("feed.ics", TemplateView.as_view(template_name="record_list.html"), name="ical"),
    path("<slug:slug>/", PublishedDetailView.as_view(model=Event), name="detail"),
]
