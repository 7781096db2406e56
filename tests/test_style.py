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


# 조사는 앞말에 붙여 쓴다 (한글 맞춤법 제41항): 앞말이 한글이든 영어·코드·수식·숫자든 같다.
# "Adam 은", "`Trainer` 는", "$x$ 는", "(5) 의" 처럼 라틴 문자, 숫자, 코드(`), 수식($), 닫는 괄호 뒤에 띄어 쓴
# 조사를 찾는다. 코드 블록, 디스플레이 수식, 인용(> 로 시작하는 줄, 원문 그대로 옮긴 것)은 보지 않는다.
# 굵은 글씨(**…**) 뒤는 보지 않는다: CommonMark 는 ')**' 바로 뒤에 글자가 오면 굵은 글씨를 닫지 않는다.
PARTICLES = sorted(set((
    "은 는 이 가 을 를 의 에 에서 에게 에는 에서는 에도 에서도 으로 로 으로는 로는 으로도 로도 으로서 로서 으로써 로써 "
    "와 과 와는 과는 와도 과도 도 만 만큼 까지 부터 보다 보다는 처럼 마다 뿐 조차 이다 다 이고 이며 이면 이나 나 "
    "이라는 라는 이란 란 이라 라 이라고 라고 이라서 이므로 이지만 지만 인 인데 일 이었다 였다 이어야 여야 이든 든"
).split()), key=len, reverse=True)
SPACED_PARTICLE = re.compile(
    r"(?<=[A-Za-z0-9`$)\]}%′'’ε∞])[ \u00a0]+(" + "|".join(PARTICLES) + r")(?=[\s.,;:!?)\]…·—\"”’]|$)", re.M)


def _strip_blocks(text):
    """코드 블록(``` ~~~ :::), 디스플레이 수식, 인용 줄을 뺀 본문."""
    text = re.sub(r"^(```|~~~|:::).*?^\1", "", text, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\\begin\{.*?\\end\{[^}]*\}", "", text, flags=re.S)
    return re.sub(r"^>.*$", "", text, flags=re.M)


def spaced_particles(text):
    """본문에서 앞말과 띄어 쓴 조사: (앞 20자 + 조사) 목록."""
    text = _strip_blocks(text)
    return [text[max(0, m.start() - 20):m.end()].replace("\n", " ") for m in SPACED_PARTICLE.finditer(text)]


@pytest.mark.parametrize(("text", "found"), [
    ("Adam 은 두 가지 생각을 합친다.", 1), ("Adam은 두 가지 생각을 합친다.", 0),
    ("`Trainer` 는 $\\beta_1$ 을 (5) 의 1 로 둔다.", 4), ("`Trainer`는 $\\beta_1$을 (5)의 1로 둔다.", 0),
    ("Adam 이 있다. 이 값", 1), ("이 책은 Adam 과 SGD 를 비교한다", 2),
    ("```python\nx = 1 # Adam 은\n```\n", 0), ("$$\na 는 b\n$$", 0), ("> 원문의 $\\gamma$ 에 해당.", 0),
    ("모두 $t = 3$ 에서 같다.", 1), ("SGD 4 개와 Adam 1 개", 0),
])
def test_spaced_particle_detector(text, found):
    assert len(spaced_particles(text)) == found, spaced_particles(text)


def test_particles_attach_to_the_word_before_them():
    hits = [f"{where}: …{hit}" for where, text in _prose() for hit in spaced_particles(text)]
    assert not hits, f"조사를 앞말에 붙여 쓴다 ({len(hits)}곳):\n" + "\n".join(hits[:40])
