"""Fixtures for the article parser and importer tests: the seed articles and what they must give."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds" / "articles"

# What `import_articles --json` must say about each seed (the "outcome" key aside).
SEED_EXPECTED = {
    "000": {
        "file": "000_9458ea5c4e4904af.txt",
        "title": "Chủ động kết nối",
        "published_at": "2019-01-05T10:53:00+07:00",
        "date_precision": "minute",
        "author": "Khánh Nam",
        "source_name": "baocantho.com.vn",
        "source_url": "https://baocantho.com.vn/chu-dong-ket-noi-a105367.html",
        "category": "",
        "captions": [
            {
                "text": "Doanh nghiệp Nhật Bản tìm hiểu sản phẩm cá thát lát của Công ty cổ phần Thực phẩm Phạm Nghĩa (TP Cần Thơ).",
                "credit": "Khánh Nam",
            }
        ],
        "warnings": [],
    },
    "001": {
        "file": "001_8cd0a55f7190804c.txt",
        "title": "Đẩy mạnh quan hệ hợp tác quốc tế",
        "published_at": "2022-01-18T21:53:00+07:00",
        "date_precision": "minute",
        "author": "Hồng Vân",
        "source_name": "",
        "source_url": "",
        "category": "",
        "captions": [
            {
                "text": "Đồng chí Lê Quang Mạnh, Bí thư Thành ủy Cần Thơ, tặng quà lưu niệm Ngài Roy Kho, Tổng Lãnh sự Singapore tại TP Hồ Chí Minh.",
                "credit": "",
            },
            {
                "text": "PGS.TS Lê Việt Dũng, Chủ tịch Hội hữu nghị Việt Nam - Nhật Bản TP Cần Thơ, nguyên Phó Hiệu trưởng Trường Đại học Cần Thơ "
                "cùng lãnh đạo Liên hiệp các tổ chức hữu nghị thành phố trong chuyến thăm Công ty TNHH Thực phẩm Takesho Việt Nam.",
                "credit": "",
            },
        ],
        "warnings": [],
    },
    "002": {
        "file": "002_4fa71c1974887b1f.txt",
        "title": "Từ ngày 6/5 đến 10/5, đoàn công tác TP Cần Thơ do ông Trần Việt Trường, Chủ tịch UBND thành phố làm trưởng đoàn "
        "làm việc tại Cộng hòa Nhân dân Trung Hoa",
        "published_at": None,
        "date_precision": None,
        "author": "",
        "source_name": "",
        "source_url": "",
        "category": "",
        "captions": [],
        "warnings": [
            "No title line found: the title was made from the first sentence.",
            "No date found: the article has no publication date.",
        ],
    },
    "003": {
        "file": "003_8be721215dfe5114.txt",
        "title": "Cần Thơ: Thành tựu hợp tác trong 20 năm qua",
        "published_at": None,
        "date_precision": None,
        "author": "Đinh Tấn Phong",
        "source_name": "baoquocte.vn",
        "source_url": "",
        "category": "Tin địa phương",
        "captions": [
            {
                "text": "Ngày 31/12/2023, Chủ tịch nước Võ Văn Thưởng trao tặng Huân chương Lao động hạng Nhất cho Đảng bộ, chính quyền và nhân dân "
                "thành phố Cần Thơ tại Lễ kỷ niệm 20 năm thành lập thành phố Cần Thơ trực thuộc Trung ương (1/1/2004 - 1/1/2024).",
                "credit": "TTXVN",
            }
        ],
        "warnings": ["No date found: the article has no publication date."],
    },
    "004": {
        "file": "004_6fdb92789f727a47.txt",
        "title": "Kết quả thực hiện chủ đề năm 2017 “Đẩy mạnh thu hút đầu tư, nâng cao năng lực cạnh tranh và hội nhập quốc tế”",
        "published_at": "2017-12-28T11:09:00+07:00",
        "date_precision": "minute",
        "author": "Hoàng Vĩnh Khang",
        "source_name": "TGCT",
        "source_url": "",
        "category": "",
        "captions": [
            {
                "text": "Thành ủy Cần Thơ tổ chức Hội nghị Ban Chấp hành Đảng bộ thành phố (mở rộng) đánh giá kết quả thực hiện nhiệm vụ năm 2017.",
                "credit": "",
            }
        ],
        "warnings": [],
    },
}


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture
def seed_expected() -> dict[str, dict]:
    return SEED_EXPECTED


def seed_path(key: str) -> Path:
    """The seed file whose name starts with ``key`` ("000" ... "004")."""
    (path,) = SEEDS_DIR.glob(f"{key}_*.txt")
    return path


@pytest.fixture
def seed_text():
    """``seed_text("000")`` -> the text of that seed file."""
    return lambda key: seed_path(key).read_text(encoding="utf-8")
