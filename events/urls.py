from django.urls import path

from cantho.views import PublishedDetailView
from events.models import Event

app_name = "events"
urlpatterns = [
    path("<slug:slug>/", PublishedDetailView.as_view(model=Event), name="event"),
]
