"""Every public list as a CSV or XLSX download, and the same downloads for staff in the admin.

A list page's URL with ``?format=csv`` or ``?format=xlsx`` added (its filters kept)
answers with the whole filtered list, not one page of it. :class:`ExportMixin` does
this for every :class:`cantho.views.PublishedListView` (and for the countries and
statistics pages); the columns of each kind of record are declared once, in the
``exports.py`` module of the record's app, with :func:`register`, and the admin's
"Export selected" actions use the same columns.

Choices, so that a spreadsheet and a script both read the file well:

* Column headings are in the page's language (``/en/...`` gives English headings);
  names, kinds and countries too. Both the Vietnamese and the English name of a record
  are given, whatever the language.
* Dates are ISO 8601 at their known precision: "2024-05-06", "2024-05" (day not known),
  "2018" (only the year known) — never an invented day, so they are text, not
  spreadsheet dates.
* Money is a plain number (no grouping, "." for decimals) with a currency column, and
  the amount as the source states it in a column of its own.
* CSV: UTF-8 with a byte-order mark (Excel then shows Vietnamese correctly), comma
  separated, streamed: rows are read from the database ``CHUNK_SIZE`` at a time and
  written as they come, so 100,000 rows never sit in memory. A text cell that a
  spreadsheet would run as a formula (it starts with ``= + - @``, a tab or a carriage
  return) gets a leading apostrophe.
* XLSX: written by XlsxWriter in ``constant_memory`` mode (row by row, flushed to disk)
  into a temporary file, then sent from the file; text cells are always written as
  text, never as formulas, so no apostrophe is needed there.
* Only published records, always: the rows come from the page's own queryset, which
  starts from ``Model.objects.published()``.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMATS = ("csv", "xlsx")
#: Rows read from the database at a time (and prefetched relations fetched per chunk).
CHUNK_SIZE = 2000
#: CSV rows joined into one piece of the streamed response.
ROWS_PER_PIECE = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The first characters with which a spreadsheet treats a cell as a formula (or may run it as one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading (translatable) and how to read its value from a row."""

    label: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportSpec:
    """The columns of one kind of row, and the many-to-many relations they read (prefetched by the admin)."""

    columns: tuple[Column, ...]
    relations: tuple[str, ...] = ()
    #: Whether each row has a public page (a last "Page" column gives its URL).
    has_page: bool = True


_REGISTRY: dict[Any, ExportSpec] = {}


def register(key: Any, columns: Iterable[Column], *, relations: Iterable[str] = (), has_page: bool = True) -> None:
    """Declare the export columns of a model (or of another kind of row, under a string key)."""
    _REGISTRY[key] = ExportSpec(tuple(columns), tuple(relations), has_page)


def spec_for(key: Any) -> ExportSpec:
    """The columns registered for ``key``; a model's app ``exports`` module is imported on first use."""
    if key not in _REGISTRY and hasattr(key, "_meta"):
        import_module(f"{key._meta.app_config.name}.exports")
    return _REGISTRY[key]


def field(name: str) -> Callable[[Any], Any]:
    """A column reading an attribute."""
    return lambda obj: getattr(obj, name)


def display(name: str) -> Callable[[Any], Any]:
    """A column reading the label of a choice field, in the active language (each label translated once)."""
    labels: dict[tuple[str, Any], str] = {}

    def value(obj) -> str:
        key = (translation.get_language(), getattr(obj, name))
        if key not in labels:
            labels[key] = str(getattr(obj, f"get_{name}_display")())
        return labels[key]

    return value


def partial_date(date_field: str, precision_field: str) -> Callable[[Any], str]:
    """A date at its known precision, ISO 8601."""
    from cantho.dates import iso_partial

    return lambda obj: iso_partial(getattr(obj, date_field), getattr(obj, precision_field))


def names(relation: str, public_only: bool = True) -> Callable[[Any], str]:
    """The names of the related records, "; "-separated (the relation is prefetched)."""

    def value(obj) -> str:
        return "; ".join(str(item) for item in getattr(obj, relation).all() if not public_only or getattr(item, "is_public", True))

    return value


def _raw_code(obj, name: str) -> str:
    """The stored code of a CountryField without building a ``Country`` object for each row."""
    return str(obj.__dict__.get(name) or "")


def country_name(name: str = "country") -> Callable[[Any], str]:
    """The country's name in the active language (each name looked up once)."""
    from django_countries import countries

    names: dict[tuple[str, str], str] = {}

    def value(obj) -> str:
        code = _raw_code(obj, name)
        key = (translation.get_language(), code)
        if key not in names:
            names[key] = str(countries.name(code)) if code else ""
        return names[key]

    return value


def country_code(name: str = "country") -> Callable[[Any], str]:
    """The ISO 3166-1 alpha-2 code."""
    return lambda obj: _raw_code(obj, name)


def name_columns(name: str, vi_label=None, en_label=None) -> list[Column]:
    """The Vietnamese and the English name (or title) of a record."""
    return [
        Column(vi_label or gettext_lazy("Name (Vietnamese)"), field(name)),
        Column(en_label or gettext_lazy("Name (English)"), field(f"{name}_en")),
    ]


# -- cell values ----------------------------------------------------------------------------------


def plain_number(value: Decimal | int) -> str:
    """A number without grouping or exponent: "1300000000", "34.7"."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Any) -> str:
    """A value as the text of a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (Decimal, int, float)):
        return plain_number(Decimal(value) if isinstance(value, float) else value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return neutralise(str(value))


# -- writing ------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose ``write`` returns what it is given (for csv.writer in a generator)."""

    def write(self, value: str) -> str:
        return value


def csv_pieces(rows: Iterable, columns: tuple[Column, ...], language: str) -> Iterator[str]:
    """The CSV text, a BOM and the heading first, then ``ROWS_PER_PIECE`` rows a piece."""
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield "\ufeff" + writer.writerow([capfirst(str(column.label)) for column in columns])
        piece: list[str] = []
        for row in rows:
            piece.append(writer.writerow([cell_text(column.value(row)) for column in columns]))
            if len(piece) >= ROWS_PER_PIECE:
                yield "".join(piece)
                piece = []
        if piece:
            yield "".join(piece)


def csv_response(rows: Iterable, columns: tuple[Column, ...], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM)."""
    language = translation.get_language() or "vi"
    response = StreamingHttpResponse(csv_pieces(rows, columns, language), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


def write_xlsx(handle, rows: Iterable, columns: tuple[Column, ...], sheet_name: str) -> int:
    """Write an XLSX workbook into ``handle`` row by row (constant memory); the number of data rows."""
    import xlsxwriter

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(handle, options)
    sheet = workbook.add_worksheet(sheet_name[:31] or "data")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, len(columns) - 1, 22)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, capfirst(str(column.label)), bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            value = column.value(row)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(count, index, _("yes") if value else _("no"))
            elif isinstance(value, (Decimal, int, float)):
                sheet.write_number(count, index, float(value))
            elif isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_string(count, index, value.isoformat())
            else:
                sheet.write_string(count, index, str(value))
    workbook.close()
    return count


def xlsx_response(rows: Iterable, columns: tuple[Column, ...], filename: str, sheet_name: str) -> FileResponse:
    """An XLSX download, built in a temporary file (deleted when the response is closed)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(handle, rows, columns, sheet_name)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def export_response(fmt: str, rows: Iterable, columns: tuple[Column, ...], *, name: str, sheet_name: str = ""):
    """The download of ``rows`` in ``fmt`` ("csv" or "xlsx"), named ``<name>-<today>``."""
    filename = f"{name}-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        return xlsx_response(rows, columns, filename, sheet_name or name)
    return csv_response(rows, columns, filename)


def export_name_from_path(path: str) -> str:
    """A file name stem from a list's path: "/en/news/2019/01/" → "news-2019-01"."""
    from django.conf import settings

    parts = [part for part in path.split("/") if part]
    if parts and parts[0] in {code for code, _name in settings.LANGUAGES}:
        parts = parts[1:]
    stem = "-".join(parts)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "export"


def page_url_column(request) -> Column:
    """The absolute URL of each row's public page."""

    def value(obj) -> str:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else getattr(obj, "url", "")
        return request.build_absolute_uri(url) if url else ""

    return Column(gettext_lazy("Page"), value)


# -- the public lists ---------------------------------------------------------------------------


class ExportMixin:
    """``?format=csv`` / ``?format=xlsx`` on a list page: the whole filtered list as a download.

    Any other ``format`` value shows the page as usual, with a note. A view
    provides :meth:`export_rows` (a :class:`cantho.views.PublishedListView` does:
    its filtered queryset, read in chunks), ``export_key`` (the registry key; the
    view's model by default) and ``export_name`` (the file name stem).
    """

    export_key: Any = None
    export_name: str = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def get_export_key(self):
        return self.export_key or getattr(self, "model", None)

    def get_export_name(self) -> str:
        """``export_name``, else the page's path without the language: "partners", "news-2019-01", "news-category-<slug>"."""
        if self.export_name:
            return self.export_name
        return export_name_from_path(self.request.path)

    def export_rows(self) -> Iterable:
        raise NotImplementedError

    def export(self, fmt: str):
        spec = spec_for(self.get_export_key())
        columns = (*spec.columns, page_url_column(self.request)) if spec.has_page else spec.columns
        title = capfirst(str(self.get_export_name()))
        return export_response(fmt, self.export_rows(), columns, name=self.get_export_name(), sheet_name=title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fmt = self.request.GET.get("format")
        context["export_format_error"] = fmt if fmt is not None and fmt not in FORMATS else None
        return context


class FilteredExportMixin(ExportMixin):
    """For a django-filter ``FilterView``: the rows are the filtered queryset the page would list, all of it."""

    def export_rows(self) -> Iterable:
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_bound or filterset.is_valid() or not self.get_strict():
            queryset = filterset.qs
        else:
            queryset = filterset.queryset.none()
        return queryset.iterator(chunk_size=CHUNK_SIZE)


# -- the admin ----------------------------------------------------------------------------------


def staff_columns(spec: ExportSpec) -> tuple[Column, ...]:
    """The public columns plus the editorial state: status, publication time, whether in the trash."""
    from cantho.publishing import is_scheduled

    def status(obj) -> str:
        label = str(obj.get_status_display())
        return f"{label} ({_('scheduled')})" if is_scheduled(obj) else label

    def published_at(obj) -> str:
        return timezone.localtime(obj.published_at).isoformat(timespec="minutes") if obj.published_at else ""

    def trashed(obj) -> str:
        return timezone.localtime(obj.deleted_at).isoformat(timespec="minutes") if obj.deleted_at else ""

    return (
        *spec.columns,
        Column(gettext_lazy("Status"), status),
        Column(gettext_lazy("Published at"), published_at),
        Column(gettext_lazy("In the trash since"), trashed),
        Column(gettext_lazy("ID"), field("pk")),
    )


def admin_export(model_admin, request, queryset, fmt: str):
    """The admin action: the selected records, whatever their status, in ``fmt``."""
    spec = spec_for(model_admin.model)
    queryset = queryset.prefetch_related(None).prefetch_related(*spec.relations).order_by("pk")
    columns = (*staff_columns(spec), page_url_column(request)) if spec.has_page else staff_columns(spec)
    name = str(model_admin.model._meta.verbose_name_plural).replace(" ", "-")
    return export_response(fmt, queryset.iterator(chunk_size=CHUNK_SIZE), columns, name=f"{name}-staff", sheet_name=capfirst(name))


# -- the records of this app --------------------------------------------------------------------


def _register_indicators() -> None:
    from cantho.models import Indicator

    register(
        Indicator,
        [
            Column(gettext_lazy("Metric"), lambda obj: str(obj.metric)),
            Column(gettext_lazy("Year"), field("year")),
            Column(gettext_lazy("Value"), field("value")),
            Column(gettext_lazy("Unit"), lambda obj: obj.metric.localized("unit")),
            Column(gettext_lazy("Qualifier"), display("qualifier")),
            Column(gettext_lazy("Value as stated"), field("value_text")),
            Column(gettext_lazy("Note"), field("note")),
        ],
        relations=("metric",),
        has_page=False,
    )


def _register_countries() -> None:
    from cantho.models import Currency

    columns = [
        Column(gettext_lazy("Country code"), field("code")),
        Column(gettext_lazy("Country"), field("name")),
        Column(gettext_lazy("Partners"), field("partners")),
        Column(gettext_lazy("Agreements"), field("agreements")),
        Column(gettext_lazy("Events"), field("events")),
        Column(gettext_lazy("Investment projects"), field("investments")),
    ]
    for currency in Currency.values:
        label = format_lazy("{} ({})", gettext_lazy("Investment capital"), currency)
        columns.append(Column(label, lambda row, currency=currency: row.capital.get(currency)))
    register("countries", columns)


_register_indicators()
_register_countries()

__all__ = [
    "CHUNK_SIZE",
    "Column",
    "ExportMixin",
    "FilteredExportMixin",
    "FORMATS",
    "admin_export",
    "field",
    "register",
    "spec_for",
]
