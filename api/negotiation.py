"""Content negotiation that never answers 406: the API speaks JSON, whatever the client asks for.

A browser opening /api/partners/ sends ``Accept: text/html``; REST framework's default
would refuse it with 406 Not Acceptable. The data is the same in every case, so the
first renderer of the view (JSON, or the schema's OpenAPI JSON) answers instead.
"""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class JSONFallbackNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            renderer = renderers[0]
            return renderer, renderer.media_type
