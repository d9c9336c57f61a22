"""URLs of /partners/ (and /en/partners/)."""

from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("", views.PartnerListView.as_view(), name="list"),
    path("<slug:slug>/events.ics", views.PartnerEventsICalView.as_view(), name="events-ical"),
    path("<slug:slug>/", views.PartnerDetailView.as_view(), name="detail"),
]
