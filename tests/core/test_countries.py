import pytest
from django.utils import translation
from django_countries import countries


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("JP", "Nhật Bản", "Japan"),
        ("KR", "Hàn Quốc", "South Korea"),
        ("CN", "Trung Quốc", "China"),
        ("US", "Hoa Kỳ", "United States"),
        ("BG", "Bulgaria", "Bulgaria"),
    ],
)
def test_countries_have_vietnamese_and_english_names(code, vi, en):
    with translation.override("vi"):
        assert countries.name(code) == vi
    with translation.override("en"):
        assert countries.name(code) == en
