"""Admin mixins that keep staff work safe: revision history, optimistic locking, the trash.

RecordAdmin (cantho/admin.py) mixes these in; each mixin owns one concern and
leaves the rules to :mod:`cantho.editing`.

* :class:`HistoryAdminMixin` — the record's "History" page lists every revision
  with who, when and what changed (field: old → new); any revision can be
  restored, through the locked save, as a new revision.
* :class:`OptimisticLockAdminMixin` — the change form carries the version it was
  loaded at; a save based on an older version is refused with what changed
  meanwhile, and the person's input stays in the form.
* :class:`TrashAdminMixin` — "Delete" moves a record to the trash; the list hides
  the trash unless asked ("In trash" filter, "Trash" button), where a Publisher
  restores records or deletes them for good (refused while others link to them).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cantho.editing import (
    EMPTY,
    EditConflict,
    Meanwhile,
    RecordIsLinked,
    changes_since,
    describe_reason,
    display_value,
    record_hard_delete,
    record_links,
    record_restore,
    record_save_with_lock,
    record_trash,
    revert_reason,
    revision_changes,
    trash_empty,
)


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


# -- history -------------------------------------------------------------------------------
#: Each revision's kind (simple-history's ``history_type``), as the history page names it.
REVISION_KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _keep_current_values(obj, form_fields) -> None:
    """Give ``obj`` (a revision's instance) the stored values of every field the form does not edit."""
    current = type(obj)._base_manager.filter(pk=obj.pk).first()
    if current is None:
        return
    for model_field in obj._meta.concrete_fields:
        if model_field.name not in form_fields and not model_field.primary_key:
            setattr(obj, model_field.attname, getattr(current, model_field.attname))


class HistoryAdminMixin(SimpleHistoryAdmin):
    """Every change kept as a revision: who, when, a field-by-field diff; any revision restorable."""

    object_history_template = "admin/cantho/history/object_history.html"
    object_history_list_template = "admin/cantho/history/object_history_list.html"
    object_history_form_template = "admin/cantho/history/object_history_form.html"
    history_list_per_page = 50

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.opts.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error
        obj = self.get_object(request, unquote(object_id))
        context = {"title": gettext("History of “%(name)s”") % {"name": obj}} if obj is not None else {}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Give each revision of the page its changes (field, old → new, readable) and a description."""
        revisions = list(historical_records)
        for newer, older in zip(revisions, [*revisions[1:], None], strict=True):
            if older is None and newer.history_type != "+":
                older = newer.prev_record  # the oldest revision of the page: compare with the next page's first
            newer.field_changes = revision_changes(old=older, new=newer) if older is not None else []
            newer.kind_display = REVISION_KINDS.get(newer.history_type, newer.history_type)
            newer.reason_display = describe_reason(newer.history_change_reason)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One revision, shown in the record's form; "Restore this revision" saves it as the newest (locked save)."""
        revision = get_object_or_404(self.model.history.model, **{self.opts.pk.attname: unquote(object_id), "history_id": version_id})
        if request.method == "POST" and not self.has_change_permission(request, revision.instance):
            raise PermissionDenied
        request.cantho_revision = revision
        context = {
            "title": gettext("Revision of %(date)s: “%(name)s”") % {"date": _when(revision.history_date), "name": revision.instance},
            "revision": revision,
            "revision_by": revision.history_user,
        }
        return super().history_form_view(request, object_id, version_id, {**context, **(extra_context or {})})

    #: Kept as they are now when a revision is restored: publishing goes through its own workflow.
    revision_kept_fields = ("status", "published_at")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if getattr(request, "cantho_revision", None) is not None:
            fields += tuple(name for name in self.revision_kept_fields if name not in fields)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "cantho_revision", None) is not None and obj is not None:
            # The revision's page shows (read-only) what a restore keeps: the current values, not the revision's.
            _keep_current_values(obj, form.base_fields)
        return form

    def save_form(self, request, form, change):
        """When a revision is restored: only what the form shows comes from the revision, the rest stays as it is now."""
        obj = super().save_form(request, form, change)
        revision = getattr(request, "cantho_revision", None)
        if revision is not None and change:
            _keep_current_values(obj, form.fields)
            obj._change_reason = revert_reason(revision)
        return obj

    def response_change(self, request, obj):
        revision = getattr(request, "cantho_revision", None)
        if revision is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            gettext("“%(name)s” is back as it was on %(date)s; this is saved as a new revision.") % {"name": obj, "date": _when(revision.history_date)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))


# -- optimistic locking ----------------------------------------------------------------------
VERSION_FIELD = "loaded_version"


def _quoted(value: str) -> str:
    return gettext("(empty)") if value == EMPTY else f"“{value}”"


class VersionCheckForm:
    """Mixed into the admin's form class by :meth:`OptimisticLockAdminMixin.get_form`.

    Its hidden ``loaded_version`` holds the version the form was loaded at.
    :meth:`clean` refuses the form if the record has been saved since, listing
    what changed, and moves the hidden field to the current version so that
    saving the form again is a deliberate choice.
    """

    #: The version to start from when it is not the instance's (a restored revision).
    base_version: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.base_version if self.base_version is not None else self.instance.version
        self.fields[VERSION_FIELD].initial = version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self.check_version()
        return cleaned_data

    def check_version(self) -> None:
        expected = self.cleaned_data.get(VERSION_FIELD)
        if expected is None:
            self.add_error(
                None, ValidationError(_("This form came without its version number. Reload the page and make your changes again."), code="no_version")
            )
            return
        meanwhile = changes_since(record=self.instance, version=expected)
        if meanwhile.current_version is None:
            self.add_error(None, ValidationError(_("This record has been deleted since you opened it; it cannot be saved."), code="deleted"))
        elif meanwhile.current_version != expected:
            self.add_error(None, ValidationError(self.conflict_messages(meanwhile), code="stale"))
            data = self.data.copy()
            data[self.add_prefix(VERSION_FIELD)] = str(meanwhile.current_version)
            self.data = data

    def conflict_messages(self, meanwhile: Meanwhile) -> list[str]:
        """What the person reads: who saved, when, each field changed meanwhile, and what to do."""
        lines = [
            gettext("Not saved: %(who)s saved this %(model)s at %(when)s, after you opened it. Your input is still in the form below, not saved.")
            % {
                "who": ", ".join(meanwhile.editors) or gettext("someone"),
                "model": self.instance._meta.verbose_name,
                "when": _when(meanwhile.saved_at) or gettext("an unknown time"),
            }
        ]
        for change in meanwhile.changes:
            values = {"field": change.label, "then": _quoted(change.old), "now": _quoted(change.new)}
            if change.name in self.fields and change.name in self.cleaned_data:
                yours = display_value(self.instance._meta.get_field(change.name), self.cleaned_data[change.name])
                values["yours"] = _quoted(yours)
                lines.append(gettext("%(field)s — when you opened the page: %(then)s; now stored: %(now)s; your input: %(yours)s.") % values)
            else:
                lines.append(gettext("%(field)s — when you opened the page: %(then)s; now stored: %(now)s.") % values)
        if meanwhile.reasons:
            lines.append(gettext("What was done: %(reasons)s.") % {"reasons": "; ".join(meanwhile.reasons)})
        if not meanwhile.known:
            lines.append(gettext("The history does not say which values changed; compare with the record's History page."))
        elif not meanwhile.changes and not meanwhile.reasons:
            lines.append(gettext("No field of the form changed; the change was to parts the history does not list, such as sources or related records."))
        lines.append(gettext("Check these values. Saving again stores the form exactly as it is now, replacing what is stored."))
        return lines


class OptimisticLockAdminMixin:
    """A save based on an older version of the record is refused, and the person's input kept."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None or obj.pk is None or not self.has_change_permission(request, obj):
            return super().get_form(request, obj, change=change, **kwargs)
        base = kwargs.pop("form", self.form)
        attrs = dict.fromkeys(name for name in self.get_readonly_fields(request, obj) if name in base.declared_fields)
        attrs[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False, label="")
        if getattr(request, "cantho_revision", None) is not None:
            # Restoring a revision: the form starts from the record as it is now, not from the revision's version.
            attrs["base_version"] = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        versioned = type(base.__name__, (VersionCheckForm, base), attrs)
        return super().get_form(request, obj, change=change, form=versioned, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change or VERSION_FIELD not in form.fields:
            return super().save_model(request, obj, form, change)
        record_save_with_lock(record=obj, expected_version=form.cleaned_data[VERSION_FIELD], user=request.user)

    # Someone may save between the form's check and the locked save: the save is
    # then refused (EditConflict, nothing written) and the request is handled again,
    # when the form's check sees the newer version and says what changed.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._retry_on_conflict(super().changeform_view, request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._retry_on_conflict(super().history_form_view, request, object_id, version_id, extra_context)

    @staticmethod
    def _retry_on_conflict(view, *args, attempts: int = 3):
        for attempt in range(attempts):
            try:
                return view(*args)
            except EditConflict:
                if attempt == attempts - 1:
                    raise


# -- the trash ---------------------------------------------------------------------------------
TRASH_PARAM = "trash"


class TrashFilter(admin.SimpleListFilter):
    """The records in the trash, or (by default) the others."""

    title = _("trash")
    parameter_name = TRASH_PARAM

    def lookups(self, request, model_admin):
        return [("yes", _("In trash"))]

    def choices(self, changelist):
        yield {"selected": self.value() != "yes", "query_string": changelist.get_query_string(remove=[TRASH_PARAM]), "display": _("Not in trash")}
        yield {"selected": self.value() == "yes", "query_string": changelist.get_query_string({TRASH_PARAM: "yes"}), "display": _("In trash")}

    def queryset(self, request, queryset):
        return on_trash_side(queryset, request)


def in_trash(request) -> bool:
    """Whether the request is for the trash of a model (its list with the "In trash" filter)."""
    return request.GET.get(TRASH_PARAM) == "yes"


def on_trash_side(queryset, request):
    """The rows of ``queryset`` on the side of the trash the request lists: in it, or (by default) the others."""
    return queryset.filter(deleted_at__isnull=not in_trash(request))


class TrashAdminMixin:
    """Delete moves content to a trash a Publisher can restore from or empty."""

    change_list_template = "admin/cantho/trash/change_list.html"
    trash_confirmation_template = "admin/cantho/trash/confirm.html"

    # -- the list --------------------------------------------------------------------------
    def get_list_filter(self, request):
        return (TrashFilter, *super().get_list_filter(request))

    def get_list_display(self, request):
        shown = tuple(super().get_list_display(request))
        return (*shown, "trashed_at") if in_trash(request) else shown

    @admin.display(description=_("moved to trash at"), ordering="deleted_at")
    def trashed_at(self, obj):
        return _when(obj.deleted_at)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = queryset.filter(deleted_at__isnull=True)  # nothing new links to a record in the trash
        return queryset, may_have_duplicates

    def changelist_view(self, request, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        list_url = reverse("admin:{}_{}_changelist".format(*info), current_app=self.admin_site.name)
        context = {
            "in_trash": in_trash(request),
            "list_url": list_url,
            "trash_url": f"{list_url}?{TRASH_PARAM}=yes",
            "empty_trash_url": reverse("admin:{}_{}_trash_empty".format(*info), current_app=self.admin_site.name),
            "may_empty_trash": self.has_delete_permission(request),
        }
        if context["in_trash"]:
            context["title"] = gettext("Trash: %(models)s") % {"models": self.opts.verbose_name_plural}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    # -- actions ----------------------------------------------------------------------------
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if in_trash(request):
            # In the trash only restoring, deleting for good and the downloads (cantho.exports) apply.
            actions = {name: action for name, action in actions.items() if name in ("export_csv", "export_xlsx")}
            names = ("restore_from_trash", "delete_for_good")
        else:
            names = ("move_to_trash",)
        if self.has_delete_permission(request):
            for name in names:
                func, name, description = self.get_action(name)
                actions[name] = (func, name, description)
        return actions

    @admin.action(description=_("Move selected records to the trash"))
    def move_to_trash(self, request, queryset):
        records = list(queryset.filter(deleted_at__isnull=True))
        if request.POST.get("post") != "yes":
            return self.trash_confirmation(request, "move", records, action="move_to_trash")
        for record in records:
            self._trash(request, record)
        count = len(records)
        self.message_user(
            request, ngettext("%(count)d record moved to the trash.", "%(count)d records moved to the trash.", count) % {"count": count}, messages.SUCCESS
        )
        return None

    @admin.action(description=_("Restore selected records from the trash"))
    def restore_from_trash(self, request, queryset):
        records = list(queryset.filter(deleted_at__isnull=False))
        for record in records:
            record_restore(record=record, user=request.user)
            self.log_change(request, record, gettext("Restored from the trash."))
        count = len(records)
        self.message_user(
            request,
            ngettext("%(count)d record restored from the trash.", "%(count)d records restored from the trash.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Delete selected records for good"))
    def delete_for_good(self, request, queryset):
        records = list(queryset.filter(deleted_at__isnull=False))
        if request.POST.get("post") != "yes":
            return self.trash_confirmation(request, "delete", records, action="delete_for_good")
        self._empty(request, records)
        return None

    # -- single delete, emptying the trash --------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [path("trash/empty/", self.admin_site.admin_view(self.empty_trash_view), name="{}_{}_trash_empty".format(*info))]
        return own + super().get_urls()

    def delete_view(self, request, object_id, extra_context=None):
        """ "Delete" of one record: to the trash; a record already in the trash is deleted for good (if nothing links to it)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        done_url = self._list_url(trash=obj.deleted_at is not None)
        if request.method == "POST" and request.POST.get("post") == "yes":
            if obj.deleted_at is None:
                self._trash(request, obj)
                self.message_user(request, gettext("“%(name)s” was moved to the trash.") % {"name": obj}, messages.SUCCESS)
            else:
                self._empty(request, [obj])
            return HttpResponseRedirect(done_url)
        step = "move" if obj.deleted_at is None else "delete"
        return self.trash_confirmation(request, step, [obj], single=obj)

    def empty_trash_view(self, request):
        """Confirm, then delete for good every record of this model in the trash that nothing links to."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        records = list(self.model._base_manager.filter(deleted_at__isnull=False).order_by("pk"))
        if request.method == "POST" and request.POST.get("post") == "yes":
            self._empty(request, records)
            return HttpResponseRedirect(self._list_url(trash=True))
        return self.trash_confirmation(request, "empty", records)

    # -- helpers -------------------------------------------------------------------------------
    def _list_url(self, trash: bool = False) -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist", current_app=self.admin_site.name)
        return f"{url}?{TRASH_PARAM}=yes" if trash else url

    def _trash(self, request, record) -> None:
        record_trash(record=record, user=request.user)
        self.log_change(request, record, gettext("Moved to the trash."))

    def _empty(self, request, records) -> None:
        """Delete ``records`` (all in the trash) for good; say which were kept because others link to them."""
        if len(records) == 1:
            deleted, refused = [], []
            try:
                name = str(records[0])
                record_hard_delete(record=records[0], user=request.user)
                deleted.append(name)
            except RecordIsLinked as refusal:
                refused.append(refusal)
        else:
            result = trash_empty(model=self.model, user=request.user, records=records)
            deleted, refused = result.deleted, result.refused
        if deleted:
            message = ngettext("%(count)d record deleted for good.", "%(count)d records deleted for good.", len(deleted)) % {"count": len(deleted)}
            self.message_user(request, message, messages.SUCCESS)
        for refusal in refused:
            self.message_user(request, self._refusal_message(refusal), messages.ERROR)

    @staticmethod
    def _refusal_message(refusal: RecordIsLinked) -> str:
        in_the_trash = gettext("in the trash")
        listed = "; ".join(str(link) + (f" ({in_the_trash})" if link.in_trash else "") for link in refusal.links)
        message = gettext("“%(name)s” was not deleted: other records link to it. Remove those links first: %(links)s.")
        return message % {"name": refusal.record, "links": listed}

    def _change_url(self, obj) -> str | None:
        try:
            return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk], current_app=self.admin_site.name)
        except NoReverseMatch:  # a model without an admin page is named without a link
            return None

    def trash_confirmation(self, request, step: str, records, *, action: str = "", single=None):
        """The page asking to confirm moving to the trash ("move"), deleting for good ("delete") or emptying the trash ("empty").

        For the last two it lists, apart, the records that cannot be deleted
        because others link to them, each with those links.
        """
        entries = []
        for record in records:
            links = record_links(record=record) if step != "move" else []
            entries.append(
                {
                    "record": record,
                    "url": self._change_url(record),
                    "links": [{"link": link, "url": self._change_url(link.obj)} for link in links],
                }
            )
        deletable = [entry for entry in entries if not entry["links"]]
        refused = [entry for entry in entries if entry["links"]]
        titles = {
            "move": gettext("Move to the trash"),
            "delete": gettext("Delete for good"),
            "empty": gettext("Empty the trash: %(models)s") % {"models": self.opts.verbose_name_plural},
        }
        context = {
            **self.admin_site.each_context(request),
            "title": titles[step],
            "step": step,
            "opts": self.opts,
            "single": single,
            "deletable": deletable,
            "refused": refused,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "list_url": self._list_url(),
            "trash_url": self._list_url(trash=True),
            "back_url": self._list_url(trash=step != "move"),
            "model_name": capfirst(self.opts.verbose_name),
            "models_name": self.opts.verbose_name_plural,
        }
        if single is not None:
            context["back_url"] = self._change_url(single)
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.trash_confirmation_template, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and getattr(obj, "deleted_at", None) is not None and request.method == "GET":
            self.message_user(
                request,
                gettext("This record is in the trash since %(date)s: it is not on the public site. A Publisher can restore it from the trash.")
                % {"date": _when(obj.deleted_at)},
                messages.WARNING,
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
