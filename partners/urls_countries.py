from django.urls import path
from django.views.generic import TemplateView

app_name = "countries"
urlpatterns = [
    path("", TemplateView.as_view(template_name="record_list.html"), name="list"),
]
