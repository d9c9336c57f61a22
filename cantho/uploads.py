"""Uploads checked by content, not by name: images through Pillow, documents as PDF.

``UploadCheckingForm`` is the ModelForm base of every record admin (and
``PhotoInlineForm`` of the article photos inline). For every file field of the
model it

* swaps the form field for one that checks the content: an image must be a
  JPEG, PNG, WebP or GIF that Pillow decodes to the end, within the byte and
  pixel limits (:func:`cantho.images.check_image`); a document must be a
  complete PDF (:func:`check_pdf`). SVG, HTML, ZIP... are refused whatever
  their name;
* renames the upload to an ASCII slug of its name, a random suffix and the
  extension of the format found (``Ảnh lễ ký.JPG`` -> ``anh-le-ky-3f9a1c2b.jpg``);
* requires alternative text for every image that is shown;
* when the record is saved, makes the image's renditions once
  (:func:`cantho.images.make_renditions`) and stores their description in the
  record's ``*_renditions`` field, in the same save as the image;
* checks a Markdown ``body`` for links and images that would be dropped
  (:func:`cantho.markdown.body_problems`).

Which fields belong together is read from the names: an image field ``X`` (or
``<stem>_image``) has its alternative text in ``X_alt``/``<stem>_alt`` or
``alt_text``, and its renditions in ``X_renditions``/``<stem>_renditions`` or
``renditions``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cantho.images import LOGO_WIDTHS, RENDITION_WIDTHS, check_image, check_size, looks_like_markup, make_renditions, read_head, safe_name
from cantho.markdown import body_problems

logger = logging.getLogger(__name__)

#: Fields holding Markdown that the public pages render (cantho.markdown).
MARKDOWN_FIELDS = ("body",)

ALT_REQUIRED = _("Write the alternative text: what the image shows, for people who cannot see it. It is required for every image shown on the site.")
MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs; “## ” starts a heading, “- ” a list item, “> ” a quote; "
    '[text](https://…) is a link; ![what the image shows](/media/… "caption") is an image with its caption.'
)

PDF_MESSAGES = {
    "markup": _("This file is an HTML or SVG page, not a PDF. Only PDF documents are accepted."),
    "zip": _("This file is a ZIP archive (or a Word, Excel or OpenDocument file), not a PDF. Save it as PDF and upload that file."),
    "not_pdf": _("This file is not a PDF document, whatever its name. Only PDF documents are accepted."),
    "pdf_incomplete": _("The PDF is incomplete: it has no end-of-file marker. Export it again and upload the new file."),
}


# -- documents -----------------------------------------------------------------------
def check_pdf(upload) -> None:
    """Refuse anything but a complete PDF: ``%PDF-`` at the start, ``%%EOF`` in the last kilobyte."""
    check_size(upload)
    head = read_head(upload)
    if not head.startswith(b"%PDF-"):
        if looks_like_markup(head):
            code = "markup"
        elif head.startswith(b"PK\x03\x04"):
            code = "zip"
        else:
            code = "not_pdf"
        raise ValidationError(PDF_MESSAGES[code], code=code)
    upload.seek(max(0, upload.size - 1024))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(PDF_MESSAGES["pdf_incomplete"], code="pdf_incomplete")


# -- form fields ---------------------------------------------------------------------
class CheckedImageField(forms.ImageField):
    """An image upload checked by :func:`cantho.images.check_image` and renamed safely."""

    accept = "image/jpeg,image/png,image/webp,image/gif"

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if not hasattr(data, "size") or not hasattr(data, "name"):
            return forms.FileField.to_python(self, data)  # Django's "no file was submitted" error
        checked = check_image(data)
        data.name = safe_name(data.name, checked.extension)
        data.content_type = f"image/{checked.extension.replace('jpg', 'jpeg')}"
        data.checked_image = checked
        return forms.FileField.to_python(self, data)

    def widget_attrs(self, widget):
        attrs = forms.FileField.widget_attrs(self, widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = self.accept
        return attrs


class CheckedDocumentField(forms.FileField):
    """A document upload that must be a PDF by content, renamed safely."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if not hasattr(data, "size") or not hasattr(data, "name"):
            return super().to_python(data)
        check_pdf(data)
        data.name = safe_name(data.name, "pdf")
        data.content_type = "application/pdf"
        return super().to_python(data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = "application/pdf,.pdf"
        return attrs


def _checked(field: forms.FileField, cls: type[forms.FileField]) -> forms.FileField:
    """``field`` rebuilt as ``cls``, keeping its label, help, widget and limits."""
    return cls(
        required=field.required,
        widget=field.widget,
        label=field.label,
        initial=field.initial,
        help_text=field.help_text,
        disabled=field.disabled,
        max_length=field.max_length,
        allow_empty_file=field.allow_empty_file,
    )


# -- which fields go together ---------------------------------------------------------------
@dataclass(frozen=True)
class ImageSlot:
    """An image field with its alternative-text field, its renditions field and the widths it is shown at."""

    image: str
    alt: str | None
    renditions: str | None
    widths: tuple[int, ...]


def _first_field(model: type[models.Model], names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return None


def image_slots(model: type[models.Model]) -> list[ImageSlot]:
    """The image fields of ``model`` with their companions (see the module doc)."""
    slots = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ImageField):
            stem = field.name.removesuffix("_image")
            alt = _first_field(model, (f"{field.name}_alt", f"{stem}_alt", "alt_text"))
            renditions = _first_field(model, (f"{field.name}_renditions", f"{stem}_renditions", "renditions"))
            slots.append(ImageSlot(field.name, alt, renditions, LOGO_WIDTHS if stem == "logo" else RENDITION_WIDTHS))
    return slots


# -- the forms ---------------------------------------------------------------------------
class UploadCheckingForm(forms.ModelForm):
    """ModelForm base for record admins: checks every uploaded file and requires alt text for shown images."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.ImageField) and not isinstance(field, CheckedImageField):
                self.fields[name] = _checked(field, CheckedImageField)
            elif isinstance(field, forms.FileField) and not isinstance(field, (forms.ImageField, CheckedDocumentField)):
                self.fields[name] = _checked(field, CheckedDocumentField)
        for name in MARKDOWN_FIELDS:
            if name in self.fields:
                self.fields[name].help_text = MARKDOWN_HELP

    def _value(self, name: str):
        """The value ``name`` will have once saved: from the form when it has the field, else from the record."""
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name)

    def clean(self):
        cleaned_data = super().clean()
        for slot in image_slots(self._meta.model):
            if slot.alt is None or (slot.image in self.fields and self.has_error(slot.image)):
                continue
            if self._value(slot.image) and not (self._value(slot.alt) or "").strip():
                self.add_error(slot.alt if slot.alt in self.fields else slot.image, ValidationError(ALT_REQUIRED, code="alt_required"))
        for name in MARKDOWN_FIELDS:
            if name in self.fields and cleaned_data.get(name):
                problems = body_problems(cleaned_data[name])
                if problems:
                    self.add_error(name, [ValidationError(problem.message, code=f"markdown_{problem.code}") for problem in problems])
        return cleaned_data

    def save(self, commit=True):
        self.update_renditions()
        return super().save(commit)

    def update_renditions(self) -> None:
        """Make the renditions of every image uploaded in this form (or forget them when it was cleared).

        Runs before the record is saved, so the image and its renditions are
        stored (and kept in the history) together. An unchanged image keeps its renditions.
        """
        for slot in image_slots(self._meta.model):
            if slot.renditions is None or slot.image not in self.changed_data:
                continue
            renditions = {}
            field_file = getattr(self.instance, slot.image)
            if self.cleaned_data.get(slot.image):
                try:
                    renditions = make_renditions(field_file=field_file, widths=slot.widths)
                except Exception:  # the upload passed the checks; show the original rather than fail the save
                    logger.exception("Could not make the renditions of %s", field_file.name)
            setattr(self.instance, slot.renditions, renditions)


class PhotoInlineForm(UploadCheckingForm):
    """The form of the article photos inline (``ArticlePhotoInline.form``): the same checks, per photo."""
