"""URLs of /agreements/ (and /en/agreements/)."""

from django.urls import path

from partners import views

app_name = "agreements"
urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="detail"),
]
