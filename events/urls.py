"""URLs of /events/ (and /en/events/)."""

from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("feed.ics", views.CalendarFeedView.as_view(), name="ical"),
    path("calendar/", views.CalendarRedirectView.as_view(), name="calendar-current"),
    path("calendar/<int:year>/<int:month>/", views.CalendarView.as_view(), name="calendar"),
    path("<slug:slug>.ics", views.EventICalView.as_view(), name="detail-ical"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
]
