from django.urls import path

from cantho.views import PublishedDetailView
from partners.models import Agreement, Partner

app_name = "partners"
urlpatterns = [
    path("<slug:slug>/", PublishedDetailView.as_view(model=Partner), name="partner"),
    path("agreements/<slug:slug>/", PublishedDetailView.as_view(model=Agreement), name="agreement"),
]
