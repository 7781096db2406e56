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
    "초기값": "초깃값",
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


def _glossary_rows():
    """용어집 표의 줄 (머리줄과 구분줄 다음): 칸의 목록."""
    glossary = (BOOK / "glossary.md").read_text(encoding="utf-8")
    rows = [line for line in glossary.splitlines() if line.startswith("| ")][1:]
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]


def test_glossary_lists_every_style_term():
    first_cells = {cells[0] for cells in _glossary_rows()}
    missing = [term for term in REQUIRED_GLOSSARY if not any(term in cell for cell in first_cells)]
    assert not missing, f"용어집에 없는 용어: {missing}"


# 용어집의 '처음 나오는 곳'은 용어를 처음 다루는 절의 레이블이다: {ref}`3장 점화식 <sec-03-recurrence>`.
# 레이블 줄 (sec-03-recurrence)= 은 장(노트북)의 마크다운 셀에서 그 절 제목 바로 위에 있다.
HEADING = re.compile(r"^#{1,6} +\S")
LABEL_LINE = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})")
GLOSSARY_LINK = re.compile(r"^\{ref\}`(\d+)장 [^`<>]+ <(sec-(\d{2})-[a-z0-9-]+)>`$")
# ch01 의 장 지도는 장마다 다루는 것을 미리 늘어놓으므로 용어를 소개하는 곳이 아니다: 찾을 때 건너뛴다.
NOT_AN_INTRODUCTION = {"## 장 지도"}


def _markdown_cells(file):
    nb = json.loads((ROOT / f"{file}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]).split("\n") for c in nb["cells"] if c["cell_type"] == "markdown"]


def _heading_lines(lines):
    """울타리 블록(``` ~~~ :::) 밖의 제목 줄 번호."""
    fence = None
    for j, line in enumerate(lines):
        m = FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            elif HEADING.match(line):
                yield j
        elif m and line.strip() == fence[0] * len(fence):
            fence = None


def _sections(file):
    """(제목 줄, 그 제목 아래 본문) 을 차례로: 셀을 제목 줄에서 나누고, 제목은 다음 셀로 이어진다. 레이블 줄은 뺀다."""
    heading = None
    for lines in _markdown_cells(file):
        start = 0
        for j in [*_heading_lines(lines), len(lines)]:
            if j > start:
                yield heading, "\n".join(line for line in lines[start:j] if not LABEL_LINE.match(line))
            if j < len(lines):
                heading, start = lines[j].rstrip(), j


def introduced_in(term, chapters):
    """``term`` 을 처음 다루는 (장, 제목 줄), 없으면 None.

    장은 목차 순서로 ``term`` 이 낱말의 첫머리로(바로 앞이 한글 음절이 아니게) 처음 나오는 장이다 (장 지도는 빼고,
    인라인 코드와 코드 블록도 뺀다). 그 장에 용어를 제목으로 단 절('## 점화식', 쌍점의 한쪽: '### 어디서 갈리는가: FMA')이
    있으면 장의 첫머리가 먼저 이름을 불러도 그 절이 용어를 다루는 곳이고, 없으면 용어가 처음 나오는 절이다.
    """
    pattern = re.compile(r"(?<![가-힣])" + re.escape(term))
    for file in chapters:
        found = None
        for heading, text in _sections(file):
            if heading in NOT_AN_INTRODUCTION:
                continue
            title = (heading or "").lstrip("#").strip()
            if term in {title, *(part.strip() for part in title.split(":"))}:
                return file, heading
            if found is None and pattern.search(_strip_code(text)):
                found = file, heading
        if found:
            return found
    return None


def label_places(chapters):
    """{레이블: [(장, 바로 아래 제목 줄 또는 None)]}: 장의 마크다운 셀에 있는 레이블 줄마다."""
    places = {}
    for file in chapters:
        for lines in _markdown_cells(file):
            headings = set(_heading_lines(lines))
            for j, line in enumerate(lines):
                if m := LABEL_LINE.match(line):
                    k = j + 1
                    while k < len(lines) and LABEL_LINE.match(lines[k]):
                        k += 1
                    places.setdefault(m.group(1), []).append((file, lines[k].rstrip() if k in headings else None))
    return places


def test_glossary_links_to_the_section_where_the_term_first_appears():
    chapters = chapter_notebooks()
    places = label_places(chapters)
    wrong = []
    for korean, *rest in _glossary_rows():
        where = rest[-1] if rest else ""
        link = GLOSSARY_LINK.match(where)
        if not link:
            wrong.append(f"{korean}: 마지막 칸이 {{ref}}`N장 절 제목 <sec-NN-이름>` 꼴이 아니다: {where!r}")
            continue
        number, label, label_number = link.groups()
        at = places.get(label, [])
        if len(at) != 1 or at[0][1] is None:
            wrong.append(f"{korean}: 레이블 {label} 은 장들의 제목 바로 위에 한 번 있어야 하는데, 있는 곳: {at}")
            continue
        file, heading = at[0]
        chapter = int(re.search(r"/ch(\d+)_", file).group(1))
        if int(number) != chapter or int(label_number) != chapter:
            wrong.append(f"{korean}: {label} 은 {chapter}장에 있는데 링크는 '{number}장'이다")
        expected = introduced_in(re.sub(r"\s*\(.*\)$", "", korean), chapters)
        if expected != (file, heading):
            wrong.append(f"{korean}: 링크는 {file} {heading!r}, 용어를 처음 다루는 곳은 {expected}")
    hint = "용어집의 링크를 용어를 처음 다루는 절의 레이블로 고친다 (레이블 줄 (sec-NN-이름)= 은 그 절 제목 바로 위에 둔다)"
    assert not wrong, "\n".join([*wrong, hint])


def _glossary_key(korean):
    """가나다순, 띄어쓰기 무시. 로마자 등 한글이 아닌 글자로 시작하는 용어는 끝에 (코드 포인트 순, 즉 알파벳순)."""
    term = korean.replace(" ", "")
    return (not ("가" <= term[0] <= "힣"), term)


def test_glossary_is_sorted():
    terms = [cells[0] for cells in _glossary_rows()]
    in_order = sorted(terms, key=_glossary_key)
    misplaced = [f"{i + 1}번째 줄: {got} (순서대로라면 {want})" for i, (got, want) in enumerate(zip(terms, in_order)) if got != want]
    assert not misplaced and len(set(terms)) == len(terms), "\n".join(misplaced) or "같은 용어가 두 번 있다"


def test_glossary_defines_every_term_in_one_sentence():
    """네 칸(한국어, English, 정의, 처음 나오는 곳). 정의는 해라체 한 문장: '다.'로 끝나고 중간에 문장이 끝나지 않는다."""
    wrong = []
    for cells in _glossary_rows():
        if len(cells) != 4 or not all(cells):
            wrong.append(f"{cells[0]}: 칸이 네 개가 아니거나 빈 칸이 있다: {cells}")
            continue
        definition = cells[2]
        if not definition.endswith("다.") or re.search(r"다\.\s", definition):
            wrong.append(f"{cells[0]}: 정의가 '다.'로 끝나는 한 문장이 아니다: {definition}")
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


# 본문을 담는 지시문(연습문제, 풀이, 글상자)은 본다. 그 밖의 울타리(코드, {math}, 알고리즘 상자)는 뺀다.
PROSE_DIRECTIVES = ("{exercise}", "{solution-start}", "{solution-end}", "{admonition}", "{note}", "{tip}",
                    "{warning}", "{important}", "{dropdown}", "{seealso}")


def _strip_blocks(text):
    """코드 블록(``` ~~~ :::, 본문 지시문은 빼지 않는다), 디스플레이 수식, 인용 줄을 뺀 본문."""
    def drop_code(m):
        info = m.group(2).strip()
        if info.startswith(PROSE_DIRECTIVES):
            return "\n".join(line for line in m.group(0).splitlines() if not line.lstrip().startswith((":", "```", "~~~")))
        return ""

    text = re.sub(r"^(```|~~~|:::)(.*?)$.*?^\1[ \t]*$", drop_code, text, flags=re.S | re.M)
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


# 되풀이하면 기계적으로 읽히는 연결 어구: 장마다 이만큼까지만 (편집 전에는 '위 셀이 출력하듯'이 한 장에 13번까지 나왔다).
REFRAINS = {"위 셀이 출력하듯": 2, "보이듯": 2, "출력을 보면": 3}


@pytest.mark.parametrize("file", chapter_notebooks())
def test_connective_phrases_do_not_become_a_refrain(file):
    text = _strip_code("\n".join("\n".join(lines) for lines in _markdown_cells(file)))
    over = {phrase: text.count(phrase) for phrase, limit in REFRAINS.items() if text.count(phrase) > limit}
    assert not over, f"{file}: 같은 연결 어구를 되풀이한다 {over} (한도 {REFRAINS})"
