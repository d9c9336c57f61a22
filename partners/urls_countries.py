"""URLs of /countries/ (and /en/countries/)."""

from django.urls import path

from partners import views

app_name = "countries"
urlpatterns = [
    path("", views.CountryListView.as_view(), name="list"),
    path("<str:code>/events.ics", views.CountryEventsICalView.as_view(), name="events-ical"),
    path("<str:code>/", views.CountryDetailView.as_view(), name="detail"),
]
