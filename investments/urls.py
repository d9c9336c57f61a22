from django.urls import path

from cantho.views import PublishedDetailView
from investments.models import AidProject, Investment

app_name = "investments"
urlpatterns = [
    path("<slug:slug>/", PublishedDetailView.as_view(model=Investment), name="investment"),
    path("aid/<slug:slug>/", PublishedDetailView.as_view(model=AidProject), name="aid"),
]
