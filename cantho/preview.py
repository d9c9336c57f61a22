"""Preview: a record in any state (draft, in review, scheduled, archived) as the public would see it, for staff only.

``/preview/<app_label>/<model_name>/<pk>/`` finds the record's public detail
view from its public URL (``get_absolute_url``) and renders it with a copy of
that view that reads every state instead of the published ones only, under a
"Preview — not public" banner. Anonymous visitors are sent to the admin login;
non-staff users, and staff who may not view the model, get a 404. The answer
is never cached and never indexed.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.loader import select_template
from django.urls import path, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cantho.models import Record
from cantho.publishing import is_scheduled, may
from cantho.views import PublishedQuerysetMixin

#: The public page's own template, with the banner above its breadcrumbs and a noindex tag
#: (its texts come translated from :meth:`PreviewMixin.render_to_response`).
BANNER_TEMPLATE = """{% extends preview_parent %}
{% block feeds %}{{ block.super }}<meta name="robots" content="noindex, nofollow">{% endblock %}
{% block breadcrumbs %}<div class="wrap"><div class="notice preview-banner" role="status">
  <strong>{{ preview_title }}</strong> · {{ preview_status }} · <a href="{{ preview_admin_url }}">{{ preview_back }}</a>
</div></div>{{ block.super }}{% endblock %}"""


@cache
def banner_template():
    return engines["django"].from_string(BANNER_TEMPLATE)


class AllStatesQuerysetMixin(PublishedQuerysetMixin):
    """Stands in for :class:`PublishedQuerysetMixin` in a preview: every state, same ``for_listing()`` bundle.

    As a subclass of the mixin it comes just before it in the preview view's
    MRO, so the public view's own ``get_queryset`` (its prefetches) still runs
    on top of it.
    """

    def get_queryset(self):
        qs = self.model.objects.all()
        return qs.for_listing() if hasattr(qs, "for_listing") else qs


class PreviewMixin:
    """Looks the record up by primary key and renders the public template under the preview banner."""

    def get_object(self, queryset=None):
        return get_object_or_404(queryset if queryset is not None else self.get_queryset(), pk=self.kwargs["pk"])

    def render_to_response(self, context, **response_kwargs):
        record = self.object
        opts = record._meta
        status = _("Status: %(status)s") % {"status": record.get_status_display()}
        if is_scheduled(record):
            moment = formats.date_format(timezone.localtime(record.published_at), "SHORT_DATETIME_FORMAT")
            status += " · " + _("appears by itself on %(moment)s") % {"moment": moment}
        if getattr(record, "deleted_at", None) is not None:
            status += " · " + _("in the trash")
        context.update(
            preview_parent=select_template(self.get_template_names()),
            preview_title=_("Preview — this record is public") if record.is_public else _("Preview — not public"),
            preview_status=status,
            preview_back=_("Back to editing"),
            preview_admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
        )
        response = self.response_class(request=self.request, template=banner_template(), context=context, using=self.template_engine, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


@cache
def preview_view(public_view: type) -> type:
    """The preview version of a public detail view class."""
    return type(f"Preview{public_view.__name__}", (PreviewMixin, public_view, AllStatesQuerysetMixin), {})


def public_view_of(record: Record) -> type | None:
    """The class-based public detail view that serves ``record``'s public URL, if it has one."""
    if not hasattr(record, "get_absolute_url"):
        return None
    try:
        match = resolve(record.get_absolute_url())
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    return view_class if view_class and issubclass(view_class, PublishedQuerysetMixin) else None


@never_cache
def record_preview(request, app_label: str, model_name: str, pk: int):
    """The preview page; 404 for anyone but staff who may view the record, a login page for anonymous visitors."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (user.is_active and user.is_staff):
        raise Http404("No such page.")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404("No such kind of record.") from None
    if not issubclass(model, Record) or not (may(user, "view", model) or may(user, "change", model)):
        raise Http404("No such kind of record.")
    record = get_object_or_404(model._base_manager, pk=pk)
    public_view = public_view_of(record)
    if public_view is None:
        raise Http404("This kind of record has no public page.")
    return preview_view(public_view).as_view()(request, pk=pk)


urlpatterns = [
    path("<str:app_label>/<str:model_name>/<int:pk>/", record_preview, name="preview"),
]
