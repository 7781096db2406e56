"""테스트가 함께 쓰는 _toc.yml 읽기: 책의 페이지 목록 (목차 순서)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_entries(root: Path = ROOT) -> list[str]:
    """루트 페이지와 모든 장, 확장자 없이 (``book/intro``, ``book/ch01_introduction`` ...)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = toc.get("parts", [{"chapters": toc.get("chapters", [])}])
    return [toc["root"]] + [ch["file"] for part in parts for ch in part["chapters"]]


def chapter_notebooks(root: Path = ROOT) -> list[str]:
    """목차에 있는 노트북 장 (확장자 없이)."""
    return [entry for entry in toc_entries(root)[1:] if (root / f"{entry}.ipynb").exists()]
