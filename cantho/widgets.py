"""The HTML of the filter forms' <select> and <input> widgets (and the admin list's checkboxes), written in Python.

Django draws each widget, each <option> and each attribute list through a template
(``django/forms/widgets/select.html`` includes ``select_option.html`` per option and
``attrs.html`` per element): a list page's filter form took 3 ms, as long as the rest of
its sidebar. :class:`FastWidgetMixin` writes the same bytes as those templates, escaped
the way they escape; any other template goes through Django as usual.
``tests/core/test_widgets.py`` compares the two on every case the forms use.
"""

from __future__ import annotations

import functools

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
_SELECT = _WIDGETS + "select.html"
_OPTION = _WIDGETS + "select_option.html"
_INPUT = _WIDGETS + "input.html"
#: Templates that are input.html and a newline (the form renderer strips the whole widget's HTML).
_INPUT_INCLUDES = {f"{_WIDGETS}{name}.html" for name in ("text", "number", "email", "url", "search", "tel", "date", "hidden", "checkbox")}


def attrs_html(attrs: dict) -> str:
    """``attrs.html``: ` name="value"` each, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _shown(value) -> str:
    """``{{ value }}``: localized (a number in the page's language), then escaped."""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _option(option: dict) -> str:
    return f'<option value="{conditional_escape(option["value"])}"{attrs_html(option["attrs"])}>{_shown(option["label"])}</option>\n'


def _select(widget: dict) -> str:
    html = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            html.append("\n  " + _option(option))
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _input(widget: dict) -> str:
    value = f' value="{conditional_escape(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


class FastWidgetMixin:
    """For a Select or an Input widget: its standard templates written in Python (same output)."""

    def _render(self, template_name, context, renderer=None) -> SafeString:
        widget = context["widget"]
        if template_name == _SELECT and all(o["template_name"] == _OPTION for _n, group, _i in widget["optgroups"] for o in group):
            return mark_safe(_select(widget))
        if template_name == _INPUT or template_name in _INPUT_INCLUDES:
            return mark_safe(_input(widget))
        return super()._render(template_name, context, renderer)


@functools.cache
def fast_widget_class(widget_class: type) -> type:
    """``widget_class`` with :class:`FastWidgetMixin` in front (made once per class)."""
    if issubclass(widget_class, FastWidgetMixin):
        return widget_class
    return type(f"Fast{widget_class.__name__}", (FastWidgetMixin, widget_class), {"__module__": __name__})
