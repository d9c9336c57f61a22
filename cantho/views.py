"""Views every app shares."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.generic import DetailView, TemplateView


class PublishedDetailView(DetailView):
    """A record's public page: 404 unless the record is published (the one publish rule)."""

    template_name = "record_detail.html"

    def get_queryset(self):
        return self.model.objects.published()


class HomeView(TemplateView):
    template_name = "home.html"


def healthz(request):
    """Liveness probe for load balancers: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")
