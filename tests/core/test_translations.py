"""Both catalogs ship, complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalog_is_compiled_and_matches_its_source(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        assert compiled.get(entry.msgid) == entry.msgstr, f"{lang}: {entry.msgid!r} is not compiled; run compile_translations"


def test_every_vietnamese_string_is_translated():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []


def test_the_site_speaks_vietnamese_by_default_and_english_on_request():
    with translation.override("vi"):
        assert translation.gettext("Cần Thơ International Cooperation Portal") == "Cổng thông tin hợp tác quốc tế TP Cần Thơ"
    with translation.override("en"):
        assert translation.gettext("Cần Thơ International Cooperation Portal") == "Cần Thơ International Cooperation Portal"
