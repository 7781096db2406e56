"""책의 한국어를 ../shared/STYLE-ko.md 의 '개념 하나에 단어 하나' 표에 묶어 둔다.

본문(마크다운 셀과 .md 페이지)에 표가 쓰지 말라고 한 번역어가 나오면 실패하고, 용어집이 표의 모든
용어를 싣고 있는지 확인한다. 코드 셀은 보지 않는다 (식별자는 영어 그대로다).
"""

import json
import re
from pathlib import Path

import pytest
from booktoc import chapter_notebooks

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

# STYLE-ko.md 의 'not' 열: 이 책에서는 쓰지 않는 말 -> 대신 쓰는 말
FORBIDDEN = {
    "최적화기": "옵티마이저",
    "최적화 함수": "옵티마이저",
    "학습 속도": "학습률",
    "보폭": "스텝 크기",
    "바이어스 보정": "편향 보정",
    "웨이트 디케이": "가중치 감쇠",
    "갈라지": "발산하다",
    "갈라짐": "발산",
    "기대값": "기댓값",
    "지수 가중 평균": "지수 이동 평균",
    "갱신 규칙": "업데이트 규칙",
    "매개변수": "파라미터",
    "비용 함수": "손실 함수",
    "교차 검증": "교차 확인 (교차 검증은 cross-validation 이다)",
}

# 용어집에 반드시 있어야 하는 용어 (STYLE-ko.md 의 표)
REQUIRED_GLOSSARY = [
    "옵티마이저", "그래디언트", "학습률", "스텝 크기", "모멘트", "원점 모멘트", "중심 모멘트", "지수 이동 평균",
    "감쇠율", "편향 보정", "가중치 감쇠", "규제", "정규화", "수렴", "발산", "기댓값", "분산", "정상",
    "신뢰 영역", "스케일 불변성", "희소 그래디언트", "수치 안정성", "파라미터", "하이퍼파라미터", "반복", "스텝",
    "에포크", "손실 함수", "업데이트 규칙", "퓨즈드 커널",
]


def _prose():
    for path in sorted(BOOK.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{path.name} 셀 {i}", "".join(cell["source"])
    for path in sorted(BOOK.glob("*.md")):
        yield path.name, path.read_text(encoding="utf-8")


def _strip_code(text):
    """인라인 코드와 코드 블록은 빼고 본다 (인용한 원문·식별자는 고치지 않는다)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"`[^`]*`", "", text)


@pytest.mark.parametrize(("word", "instead"), sorted(FORBIDDEN.items()))
def test_prose_uses_one_word_per_concept(word, instead):
    hits = [where for where, text in _prose() if word in _strip_code(text)]
    assert not hits, f"'{word}' 대신 '{instead}' 를 쓴다: {hits}"


def test_glossary_lists_every_style_term():
    glossary = (BOOK / "glossary.md").read_text(encoding="utf-8")
    rows = [line for line in glossary.splitlines() if line.startswith("|")]
    first_cells = {line.strip("|").split("|")[0].strip() for line in rows}
    missing = [term for term in REQUIRED_GLOSSARY if not any(term in cell for cell in first_cells)]
    assert not missing, f"용어집에 없는 용어: {missing}"


def _chapter_prose(file):
    nb = json.loads((ROOT / f"{file}.ipynb").read_text(encoding="utf-8"))
    return _strip_code("\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"))


def first_chapter(term, texts):
    """``term`` 이 낱말의 첫머리로(바로 앞이 한글 음절이 아니게) 처음 나오는 장."""
    pattern = re.compile(r"(?<![가-힣])" + re.escape(term))
    for file, text in texts:
        if pattern.search(text):
            return file
    return None


def test_glossary_chapter_column_is_where_the_term_first_appears():
    texts = [(f, _chapter_prose(f)) for f in chapter_notebooks()]
    glossary = (BOOK / "glossary.md").read_text(encoding="utf-8")
    rows = [line.strip().strip("|").split("|") for line in glossary.splitlines() if line.startswith("| ")]
    wrong = []
    for korean, _english, chapter in ((r[0].strip(), r[1].strip(), r[2].strip()) for r in rows[1:]):
        term = re.sub(r"\s*\(.*\)$", "", korean)
        first = first_chapter(term, texts)
        expected = f"<{first.split('/')[-1]}>" if first else None
        if expected is None or expected not in chapter:
            wrong.append(f"{korean}: 표는 {chapter}, 처음 나오는 곳은 {first}")
    assert not wrong, "\n".join(wrong)
