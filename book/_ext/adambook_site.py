"""「Adam 옵티마이저」 책 사이트를 스스로 완결되게(self-contained) 만드는 Sphinx 확장.

``_config.yml`` 의 ``sphinx: local_extensions: {adambook_site: book/_ext}`` 로 등록한다. 하는 일:

1. **MathJax 3 를 사이트 안에서 제공한다.** PyPI 패키지 ``django-static-mathjax`` (MathJax 3.2.2) 의
   ``es5/tex-chtml.js`` 와 그것이 실행 중에 불러올 수 있는 파일(CHTML woff-v2 글꼴, ``\\boldsymbol`` 같은
   명령이 자동으로 불러오는 TeX 확장, 그리고 수식 메뉴에서 독자가 고를 수 있는 SVG 렌더러와 접근성 모듈)을
   빌드 결과의 ``_static/mathjax/`` 로 복사하고, ``mathjax_path`` 를 그쪽으로 돌린다.
   책의 원본 ``_static/`` 에 두지 않는 까닭: Jupyter Book 1.x 는 원본 ``_static/`` 의
   모든 .js 파일에 ``<script>`` 태그를 단다.
2. **한글 웹폰트.** ``koreanize-matplotlib`` 에 들어 있는 나눔고딕을 ``_static/fonts/`` 에 싣고
   ``@font-face`` CSS 를 본문·제목·사이드바·검색창·코드에 건다 (``unicode-range`` 로 한글에만). 원본 TTF 는
   Chrome 이 거부하므로(VTT 원본 표 TSI3 가 비어 있어 OTS 검사 실패) fontTools 로 한글 범위만 남긴 WOFF 로
   바꿔 싣는다 (원본 4.6 MB → 약 0.8 MB).
   MathJax 수식 속 한글(``\\text{학습률}``)도 같은 글꼴로 그린다.
3. **thebe 끄기.** ``sphinx_thebe`` 는 Jupyter Book 이 늘 켜는데, 모든 페이지에 unpkg CDN 주소와
   binder 설정을 심는다. 이 책은 실행 버튼을 쓰지 않으므로 그 두 처리기를 떼어 낸다.
4. **한국어 검색.** Sphinx 에는 한국어 검색 언어가 없어 영어 것이 쓰인다: ``편향을`` 과 ``편향`` 이 다른
   단어가 되고, 두 글자 검색어는 부분 일치도 하지 않는다. :class:`SearchKorean` 은 한글 낱말 끝의 조사와
   흔한 어미를 떼어 내고(파이썬 :meth:`~SearchKorean.stem` 과 자바스크립트 ``Stemmer`` 가 같은 표로
   같은 규칙을 쓴다), 세 글자 이상 한글 어간의 두 글자 조각(bigram)도 색인한다. 검색어 낱말이 장 제목에
   있으면 순위를 올린다 (``편향 보정`` → 「편향 보정의 유도」 장이 맨 위).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import snowballstemmer
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import MATHJAX_URL
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords, js_porter_stemmer
from sphinx.util import logging

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------
# 1. MathJax
# ---------------------------------------------------------------------------------------------------

MATHJAX_VERSION = "3.2.2"
#: ``mathjax_path`` 가 상대 경로이면 Sphinx 는 ``_static/`` 기준으로 읽는다.
LOCAL_MATHJAX_PATH = "mathjax/tex-chtml.js"
#: ``es5/`` 에서 복사할 것. tex-chtml.js 는 글꼴과, 자동 로드(autoload)되는 TeX 확장을 자기 위치
#: (``[mathjax]``) 기준으로 불러온다. 수식의 오른쪽 클릭 메뉴에서 독자가 고를 수 있는 것도 모두 싣는다:
#: SVG 렌더러(output/svg), 탐색기·접을 수 있는 수식·의미 보강(a11y/, input/mml, sre/ 의 음성 규칙).
#: 메뉴의 선택은 localStorage 에 남아 모든 페이지에 적용되므로, 하나라도 빠지면 그 독자에게는 모든 페이지의
#: 수식이 TeX 그대로 남는다. 이것들은 고를 때만 내려받으므로 페이지의 무게는 그대로다.
MATHJAX_FILES = ("tex-chtml.js", "output/svg.js", "input/mml.js")
MATHJAX_DIRS = ("output/chtml/fonts/woff-v2", "input/tex/extensions", "output/svg", "input/mml", "a11y", "sre")


def mathjax_es5_dir() -> Path:
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "adambook_site: MathJax 패키지가 없다. `pip install -r requirements.txt` "
            "(django-static-mathjax==3.2.2.1) 로 설치한다."
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"
    es5 = root / "es5"
    if not (es5 / "tex-chtml.js").is_file():
        raise ExtensionError(f"adambook_site: {es5}/tex-chtml.js 가 없다 (django-static-mathjax 설치가 깨졌다)")
    version = json.loads((root / "package.json").read_text(encoding="utf-8")).get("version")
    if version != MATHJAX_VERSION:
        logger.warning("adambook_site: MathJax %s 를 기대했는데 %s 이다", MATHJAX_VERSION, version)
    return es5


# ---------------------------------------------------------------------------------------------------
# 2. 한글 웹폰트
# ---------------------------------------------------------------------------------------------------

HANGUL_FAMILY = "AdamBook Hangul"
#: (원본 파일, 웹폰트 파일, font-weight, local() 이름들). 원본은 koreanize_matplotlib/fonts/ 의 나눔고딕 (SIL OFL 1.1).
#: 웹폰트 파일 이름은 ``AdamBookHangul-<style>.<글자 집합의 해시>.woff2`` 다 (:func:`webfont_name`): 책의 글자가
#: 바뀌면 이름도 바뀌어, 독자의 브라우저가 예전 부분 집합을 캐시에서 꺼내 쓰지 않는다.
FONT_FILES = (
    ("NanumGothic.ttf", "Regular", 400, ("NanumGothic",)),
    ("NanumGothicBold.ttf", "Bold", 700, ("NanumGothic Bold", "NanumGothicBold")),
)
#: 책의 글자에 없어도 늘 싣는 것: 호환 자모(검색창에 글자를 치는 도중의 ㄱ, ㅏ ...), CJK 기호·문장부호, 전각 문장부호.
ALWAYS_RANGES = ((0x3000, 0x303F), (0x3131, 0x318E), (0xFF01, 0xFF60))
#: 책의 글자를 모을 때 보는 패키지: 이들의 한국어 메시지 카탈로그(locale/ko/**.mo)가 사이트의 UI 글자를 낸다.
UI_PACKAGES = ("sphinx", "pydata_sphinx_theme", "sphinx_book_theme", "myst_nb", "sphinx_exercise", "sphinx_proof",
               "sphinx_togglebutton", "sphinx_copybutton", "sphinx_design", "sphinx_thebe", "sphinxcontrib.bibtex")
#: 한글 자모, CJK 기호·문장부호, 호환 자모, 자모 확장 A, 음절, 자모 확장 B, 전각 문장부호.
HANGUL_RANGES = ((0x1100, 0x11FF), (0x3000, 0x303F), (0x3131, 0x318E), (0xA960, 0xA97F), (0xAC00, 0xD7A3), (0xD7B0, 0xD7FF),
                 (0xFF01, 0xFF60))
HANGUL_UNICODE_RANGE = ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in HANGUL_RANGES)
CSS_FILE = "adambook-site.css"
FONT_NOTICE = """\
{webfonts}
  는 나눔고딕(NanumGothic, NanumGothic Bold)에서 만든 수정본(Modified Version)이다.
  원본의 저작권 표시: {copyright}
  라이선스: SIL Open Font License 1.1 (https://openfontlicense.org). 수정: 책이 쓰는 한글 {count} 자와
  호환 자모·문장부호만 남기고(빌드할 때마다 책의 원본에서 다시 모은다), Chrome 의 글꼴 검사기(OTS)가 거부하는
  VTT 원본 표(TSI0-TSI5)를 빼고, WOFF2 로 바꾸고, 글꼴 이름을
  "{family}" 로 바꿨다 (예약 글꼴 이름을 수정본에 쓰지 않는다).
  원본: PyPI 패키지 koreanize-matplotlib 의 koreanize_matplotlib/fonts/.
  만든 곳: book/_ext/adambook_site.py
"""


def font_source_dir() -> Path:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("adambook_site: koreanize-matplotlib 가 없다 (requirements.txt 로 설치한다)")
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    missing = [src for src, *_ in FONT_FILES if not (fonts / src).is_file()]
    if missing:
        raise ExtensionError(f"adambook_site: {fonts} 에 {missing} 가 없다")
    return fonts


def _in_hangul_ranges(ch: str) -> bool:
    """웹폰트가 맡는 글자인가 (:data:`HANGUL_RANGES`: 음절, 자모, 한글 문장부호 ...)."""
    return any(lo <= ord(ch) <= hi for lo, hi in HANGUL_RANGES)


def book_hangul(srcdir: Path) -> str:
    """사이트에 나올 수 있는 한글 글자 전부 (정렬한 문자열): 책의 원본과 UI 메시지 카탈로그에서 모은다.

    원본: ``_config.yml``, ``_toc.yml``, ``book/`` 아래의 노트북·마크다운·템플릿·이 확장(검색 안내 같은 글자).
    UI: :data:`UI_PACKAGES` 의 한국어 .mo (테마의 '목차', Sphinx 검색의 '검색 결과' ...). 빌드가 끝나면
    :func:`check_font_coverage` 가 실제로 쓰인 페이지와 스크립트의 글자가 모두 들어 있는지 다시 본다.
    """
    chars: set[str] = set()
    files = [srcdir / "_config.yml", srcdir / "_toc.yml", Path(__file__)]  # 이 확장도 검색 안내 같은 글자를 싣는다
    files += [p for p in sorted((srcdir / "book").rglob("*")) if p.suffix in {".ipynb", ".md", ".html", ".py", ".bib", ".js"}]
    for path in files:
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            chars.update(ch for ch in path.read_text(encoding="utf-8", errors="ignore") if _in_hangul_ranges(ch))
    for package in UI_PACKAGES:
        spec = importlib.util.find_spec(package)
        for root in (spec.submodule_search_locations or []) if spec else []:
            for mo in Path(root).rglob("ko*/LC_MESSAGES/*.mo"):
                chars.update(ch for ch in mo.read_bytes().decode("utf-8", errors="ignore") if _in_hangul_ranges(ch))
    chars.update(chr(u) for lo, hi in ALWAYS_RANGES for u in range(lo, hi + 1))
    return "".join(sorted(chars))


def webfont_name(style: str, chars: str) -> str:
    digest = hashlib.sha256(chars.encode("utf-8")).hexdigest()[:10]
    return f"AdamBookHangul-{style}.{digest}.woff2"


def make_webfont(src: Path, dst: Path, weight: int, chars: str) -> None:
    """나눔고딕 TTF 를 ``chars`` 만 남긴 WOFF2 로 (원본 그대로는 Chrome 이 ``OTS parsing error: TSI3`` 로 거부한다)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5", "DSIG"]
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(src)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in chars])
    subsetter.subset(font)
    style = "Bold" if weight >= 700 else "Regular"
    ps_family = HANGUL_FAMILY.replace(" ", "")
    names = {1: HANGUL_FAMILY, 2: style, 3: f"{ps_family}-{style};adambook_site", 4: f"{HANGUL_FAMILY} {style}",
             6: f"{ps_family}-{style}", 16: HANGUL_FAMILY, 17: style}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
    font.flavor = "woff2"  # brotli 압축 (requirements.txt 의 brotli)
    tmp = dst.with_suffix(".tmp")
    dst.parent.mkdir(parents=True, exist_ok=True)
    font.save(tmp)
    tmp.replace(dst)


def _font_copyright(src: Path) -> str:
    from fontTools.ttLib import TTFont

    return TTFont(src, lazy=True)["name"].getDebugName(0) or "(원본 글꼴에 없음)"


#: 독자가 실제로 읽는 곳(휴대폰, 어두운 모드)을 위한 CSS. :func:`font_css` 가 같은 파일에 싣는다.
READER_CSS = """
/* 한국어 줄바꿈: 어절(띄어쓰기) 단위로만 줄을 바꾼다 ("학/습" 처럼 낱말 가운데서 끊지 않는다).
   한 어절이 줄보다 길면(긴 인라인 코드) 그때만 그 안에서 끊어 페이지 전체가 옆으로 밀리지 않게 한다.
   (break-word 는 표의 열 너비 계산에는 끼어들지 않는다.) */
.bd-article p, .bd-article li, .bd-article dd, .bd-article dt, .bd-article td, .bd-article th,
.bd-article figcaption, .bd-article .admonition, .bd-article h1, .bd-article h2, .bd-article h3,
.bd-sidebar, .bd-toc, .prev-next-area, .bd-search-container {
  word-break: keep-all;
  overflow-wrap: break-word;
}
/* Sphinx 는 인라인 코드의 span.pre 를 nowrap 으로 두어, 긴 식별자 하나가 제목·문단 밖으로 삐져나간다. */
.bd-article code.literal, .bd-article code.literal span.pre {
  white-space: normal;
  overflow-wrap: break-word;
}
/* 제목은 flex 상자라 break-word 로는 줄지 않는다: 제목과 문단 속 코드는 어디서든 끊을 수 있게 한다
   (표 속 코드는 그대로 둔다. 표는 제 상자 안에서 스크롤한다). */
.bd-article :is(h1, h2, h3, h4, p, li) > code.literal, .bd-article :is(h1, h2, h3, h4, p, li) > code.literal span.pre,
.bd-article :is(h1, h2, h3, h4, p, li) > a > code.literal span.pre {
  overflow-wrap: anywhere;
}
/* 넓은 것(코드, 가운데 수식, 셀 출력)은 페이지가 아니라 제 상자 안에서 옆으로 스크롤한다.
   오른쪽 가장자리의 그림자가 '더 있다'는 표시다 (끝까지 스크롤하면 사라진다: background-attachment local). */
.bd-article div.math, .bd-article mjx-container[display="true"],
.bd-article .highlight pre, .bd-content div.cell_output div.output {
  max-width: 100%;
  overflow-x: auto;
  overflow-y: hidden;
}
.bd-article div.math, .bd-content div.cell_output div.output {
  background-image:
    linear-gradient(to right, var(--pst-color-background), var(--pst-color-background)),
    linear-gradient(to left, rgba(0, 0, 0, 0.18), rgba(0, 0, 0, 0));
  background-position: right center, right center;
  background-repeat: no-repeat;
  background-size: 1.25rem 100%, 0.9rem 100%;
  background-attachment: local, scroll;
}
html[data-theme=dark] .bd-article div.math,
html[data-theme=dark] .bd-content div.cell_output div.output {
  background-image:
    linear-gradient(to right, var(--pst-color-background), var(--pst-color-background)),
    linear-gradient(to left, rgba(255, 255, 255, 0.22), rgba(255, 255, 255, 0));
}
/* 셀 출력의 HTML 표 (adamlearn.cross_check 의 표 ...): 테마는 어두운 모드에서 HTML 출력 전체에 밝은 바탕을
   깔지만 표 속 <code> 는 어두운 모드의 밝은 분홍으로 남아 대비가 1:1 에 가까워진다. 표는 테마의 색을 그대로 따르게 한다. */
html[data-theme=dark] .bd-content div.cell_output div.output.text_html:has(table) {
  background-color: transparent;
  color: var(--pst-color-text-base);
  padding: 0;
}
.bd-content div.cell_output div.output.text_html table:not(.dataframe) {
  border-collapse: collapse;
  border: 1px solid var(--pst-color-table-outer-border, var(--pst-color-border));
  color: var(--pst-color-text-base);
  margin: 0.25rem 0 0.75rem;
}
.bd-content div.cell_output div.output.text_html table:not(.dataframe) th,
.bd-content div.cell_output div.output.text_html table:not(.dataframe) td {
  padding: 0.3rem 0.75rem;
  border-bottom: 1px solid var(--pst-color-border);
  text-align: left;
  vertical-align: top;
}
.bd-content div.cell_output div.output.text_html table:not(.dataframe) thead tr {
  background-color: var(--pst-color-surface);
  border-bottom: 2px solid var(--pst-color-primary);
}
.bd-content div.cell_output div.output.text_html table:not(.dataframe) caption {
  caption-side: top;
  color: var(--pst-color-text-base);
  text-align: left;
  padding: 0.25rem 0;
}
.bd-content div.cell_output div.output.text_html table code {
  background: transparent;
  color: inherit;
  white-space: nowrap;
}
/* 휴대폰: 표의 세 열(구현, 기준, 주장)이 한 화면에 들어오게 표 속 코드도 줄을 바꾼다. */
@media (max-width: 600px) {
  .bd-content div.cell_output div.output.text_html table code {
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .bd-content div.cell_output div.output.text_html table:not(.dataframe) th,
  .bd-content div.cell_output div.output.text_html table:not(.dataframe) td {
    padding: 0.3rem 0.4rem;
  }
}
/* 노트북 그림은 2배 해상도 PNG 에 논리 크기(width, height 속성)가 붙는다: 좁은 화면에서 폭이 줄면 높이도 비율대로. */
.bd-article img {
  height: auto;
}
/* 그림 설명: 테마의 옅은 회색 대신 본문 색 (어두운 모드에서 대비가 낮았다). */
.bd-article figcaption, .bd-article figcaption p, .bd-article div.figure p.caption {
  color: var(--pst-color-text-base);
}
"""


def font_css(chars: str) -> str:
    faces = "\n".join(
        f"""@font-face {{
  font-family: "{HANGUL_FAMILY}";
  src: {", ".join(f'local("{n}")' for n in local_names)}, url("fonts/{webfont_name(style, chars)}") format("woff2");
  font-weight: {weight};
  font-style: normal;
  font-display: swap;
  unicode-range: {HANGUL_UNICODE_RANGE};
}}"""
        for _src, style, weight, local_names in FONT_FILES
    )
    # unicode-range 덕분에 이 글꼴은 한글에만 쓰이고, 라틴 문자는 테마의 원래 글꼴 그대로다.
    # 그래서 고정폭 목록의 맨 앞에 두어도 코드의 영문·숫자는 그대로 고정폭이고, 코드 속 한글 주석만 나눔고딕이다.
    return f"""/* adambook_site: 한글 웹폰트 (book/_ext/adambook_site.py 가 만든다). */
{faces}
:root {{
  --pst-font-family-base: "{HANGUL_FAMILY}", var(--pst-font-family-base-system);
  --pst-font-family-heading: "{HANGUL_FAMILY}", var(--pst-font-family-base-system);
  --pst-font-family-monospace: "{HANGUL_FAMILY}", var(--pst-font-family-monospace-system);
  --bs-font-sans-serif: "{HANGUL_FAMILY}", system-ui, sans-serif;
  --bs-font-monospace: "{HANGUL_FAMILY}", var(--pst-font-family-monospace-system);
}}
body, h1, h2, h3, h4, h5, h6, .bd-sidebar, .bd-sidebar-primary, .bd-sidebar-secondary, .navbar-brand,
.bd-search, .search-button__default-text, input, button, select, textarea {{
  font-family: var(--pst-font-family-base);
}}
h1, h2, h3, h4, h5, h6 {{ font-family: var(--pst-font-family-heading); }}
code, kbd, pre, samp, .highlight pre {{ font-family: var(--pst-font-family-monospace); }}
{READER_CSS}"""


# ---------------------------------------------------------------------------------------------------
# 3. 한국어 검색
# ---------------------------------------------------------------------------------------------------

#: 한글 낱말 끝에서 떼어 낼 조사·어미. 긴 것부터 본다 (:data:`SUFFIXES`).
_PARTICLES = """
은 는 이 가 을 를 의 에 도 만 와 과 로 들 께
에서 에게 에는 에도 에만 에의 으로 로서 로써 로는 로도 로만 와는 과는 와의 과의 와도 과도
까지 부터 보다 처럼 만큼 마다 밖에 이나 이든 이며 이고 이면 이자 라는 라고 이란 란
에서는 에서도 에서의 에서만 에게서 에게는 으로서 으로써 으로는 으로도 으로만 까지는 까지도 까지의
부터는 부터의 보다는 이라는 이라고 이라면 이므로 이지만 이어서
""".split()
_ENDINGS = """
이다 이었다 였다 입니다 인 임 인지 는지
한다 하는 하고 하며 하면 하여 해서 했다 하지 하기 한 할 함 해 하게 합니다 했던 하던 하다
한다면 하면서 하므로 하려면 하도록 하지만 하였다 해야 해도 하여도 하더라도 하는지 하느냐
된다 되는 되고 되며 되면 되어 된 될 됨 돼 되지 되기 됐다 되었다 되도록 되므로 되지만 되어야 되다 되는지
""".split()
#: 떼어 낼 꼬리 전체, 긴 것부터 (같은 길이는 가나다순: 파이썬과 JS 가 똑같은 순서로 본다).
SUFFIXES: tuple[str, ...] = tuple(sorted(set(_PARTICLES) | set(_ENDINGS), key=lambda s: (-len(s), s)))
#: 한 낱말에서 꼬리를 떼는 최대 횟수 (``옵티마이저들의`` → ``옵티마이저들`` → ``옵티마이저``).
MAX_PASSES = 2
#: 한글로 끝나는 어간은 이 글자 수보다 짧아지지 않는다 (``정도`` 는 ``정`` + ``도`` 가 아니다).
MIN_HANGUL_STEM = 2
#: 띄어 쓴 한글 낱말을 붙여서도 색인하는 최대 낱말 수 (``지수 이동 평균`` -> ``지수이동``, ``지수이동평균``).
COMPOUND_MAX = 3
#: 이 길이 이상인 한글 어간(한글만 이어진 부분)은 두 글자 조각도 색인한다 (색인 쪽만).
BIGRAM_MIN = 3

#: 학생이 한글로 치는 이름과 흔한 다른 표기 -> 책이 쓰는 낱말. 어간을 뗀 뒤에 바꾸므로 ``케라스의`` 도 ``keras`` 가
#: 되고, 바뀐 낱말은 다시 어간 추출을 거친다 (영어는 Porter: ``keras`` -> ``kera``). 색인과 검색어가 같은 규칙을 쓴다.
SEARCH_ALIASES = {
    "아담": "adam", "아담더블유": "adamw", "엔아담": "nadam", "나담": "nadam", "알아담": "radam", "아다맥스": "adamax",
    "암스그래드": "amsgrad", "에이다그래드": "adagrad", "알엠에스프롭": "rmsprop", "케라스": "keras", "파이토치": "pytorch",
    "토치": "torch", "허깅페이스": "hugging", "트랜스포머": "transformers", "텐서플로": "tensorflow", "넘파이": "numpy",
    "심파이": "sympy", "웜업": "워밍업", "웜업을": "워밍업", "옵티마이져": "옵티마이저", "그라디언트": "그래디언트",
    "그레이디언트": "그래디언트", "러닝레이트": "학습률", "모멘트엄": "모멘텀",
}

#: 홀로 떨어진 조사·어미·기능어는 색인하지 않고 검색어에서도 뺀다 (이 책은 ``Adam 의`` 처럼 띄어 쓴다).
KOREAN_STOPWORDS = frozenset(SUFFIXES) | frozenset("및 등 또는 그리고 그 이 저 것 수 있다 없다".split())


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


_porter = snowballstemmer.stemmer("porter")
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_HANGUL_ONLY = re.compile("[\uac00-\ud7a3]{2,}")


def korean_stem(word: str) -> str:
    """:class:`SearchKorean` 의 어간 추출. 아래 ``_JS_STEMMER`` 와 한 글자도 다르지 않게 동작해야 한다.

    - NFC 로 정규화하고 소문자로 바꾼다.
    - ASCII 낱말은 영어 Porter 어간 (Sphinx 영어 검색과 같다).
    - 아니면 끝에 붙은 가장 긴 꼬리(:data:`SUFFIXES`)를 최대 :data:`MAX_PASSES` 번 뗀다. 남는 어간이 한글로
      끝나면 :data:`MIN_HANGUL_STEM` 글자 이상, 아니면(``adam의`` → ``adam``) 1 글자 이상이어야 하고, 모자라면
      거기서 멈춘다 (더 짧은 꼬리로 물러서지 않는다: ``쪽으로`` 는 ``쪽으`` 가 아니라 그대로).
    - 뗀 결과가 :data:`SEARCH_ALIASES` 에 있으면 책의 낱말로 바꾼다 (``케라스의`` → ``keras``, ``웜업`` → ``워밍업``).
    - 뗀 결과가 ASCII 면 다시 Porter (``optimizers를`` → ``optim``).
    """
    w = unicodedata.normalize("NFC", word).lower()
    if w.isascii():
        return _porter.stemWord(w)
    for _ in range(MAX_PASSES):
        suffix = next((s for s in SUFFIXES if len(w) > len(s) and w.endswith(s)), None)
        if suffix is None:
            break
        stem = w[: -len(suffix)]
        if len(stem) < (MIN_HANGUL_STEM if _is_hangul(stem[-1]) else 1):
            break
        w = stem
    if w in SEARCH_ALIASES:
        w = SEARCH_ALIASES[w]
    if w.isascii():
        return _porter.stemWord(w)
    return w


def hangul_bigrams(stem: str) -> list[str]:
    """어간 속 한글 덩어리 가운데 :data:`BIGRAM_MIN` 글자 이상인 것의 두 글자 조각들."""
    grams: list[str] = []
    for run in _HANGUL_RUN.findall(stem):
        if len(run) >= BIGRAM_MIN:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


_JS_STEMMER = (
    js_porter_stemmer.replace("var Stemmer = function()", "var PorterStemmer = function()", 1)
    + """
/**
 * 한국어 어간 추출 (book/_ext/adambook_site.py 의 korean_stem 과 같은 규칙).
 */
var Stemmer = function() {
  var porter = new PorterStemmer();
  var SUFFIXES = @SUFFIXES@;
  var MAX_PASSES = @MAX_PASSES@;
  var MIN_HANGUL_STEM = @MIN_HANGUL_STEM@;
  var ALIASES = @ALIASES@;
  var isHangul = function(ch) { return ch >= "\\uac00" && ch <= "\\ud7a3"; };
  var isAscii = function(s) { return /^[\\x00-\\x7f]*$/.test(s); };
  this.stemWord = function(word) {
    var w = word.normalize("NFC").toLowerCase();
    if (isAscii(w)) return porter.stemWord(w);
    for (var pass = 0; pass < MAX_PASSES; pass++) {
      var suffix = null;
      for (var i = 0; i < SUFFIXES.length; i++) {
        if (w.length > SUFFIXES[i].length && w.endsWith(SUFFIXES[i])) { suffix = SUFFIXES[i]; break; }
      }
      if (suffix === null) break;
      var stem = w.slice(0, w.length - suffix.length);
      if (stem.length < (isHangul(stem[stem.length - 1]) ? MIN_HANGUL_STEM : 1)) break;
      w = stem;
    }
    if (Object.prototype.hasOwnProperty.call(ALIASES, w)) w = ALIASES[w];
    if (isAscii(w)) return porter.stemWord(w);
    return w;
  };
};
"""
)
# ensure_ascii: 스크립트 파일이 어떤 문자 집합으로 읽혀도 같은 표가 되도록 \uXXXX 로 쓴다.
_JS_STEMMER = (
    _JS_STEMMER.replace("@SUFFIXES@", json.dumps(list(SUFFIXES)))
    .replace("@MAX_PASSES@", str(MAX_PASSES))
    .replace("@MIN_HANGUL_STEM@", str(MIN_HANGUL_STEM))
    .replace("@ALIASES@", json.dumps(SEARCH_ALIASES, sort_keys=True))
)

#: 순위 보정. Sphinx 는 낱말마다의 점수 가운데 가장 큰 것만 쓰고, 연습문제 제목 같은 절 제목도 '제목' 점수(15)를
#: 준다: 그래서 ``편향 보정`` 에 「7. 편향 보정의 유도」 장과, 연습문제 제목에 ``편향`` 만 있는 「12. Adam 과 AdamW」
#: 장이 같은 점수가 된다. 검색어의 (어간이 같은) 낱말이 문서(장) 제목에 있을 때마다 가산점을 준다.
#: searchtools.js 가 language_data.js 보다 먼저 읽히면 Scorer 가 이미 있고, 나중이면 여기서 만든다.
#: Scorer.score 는 질의를 받지 않으므로 검색 페이지 주소의 ?q= 를 읽는다 (검색창은 늘 search.html?q= 로 간다).
DOC_TITLE_BONUS = 10
_JS_SCORER = r"""
/**
 * 검색어 낱말이 장 제목에 있으면 가산점 (book/_ext/adambook_site.py).
 */
var adambookScore = function(result) {
  var score = result[4];
  if (typeof Search === "undefined" || !Search._index) return score;
  var q = new URLSearchParams(window.location.search).get("q");
  if (!q) return score;
  var stemmer = new Stemmer();
  var stem = function(text) {
    return splitQuery(text.toLowerCase())
      .filter(function(w) { return stopwords.indexOf(w) === -1 && !/^\d+$/.test(w); })
      .map(function(w) { return stemmer.stemWord(w); });
  };
  var i = Search._index.docnames.indexOf(result[0]);
  if (i < 0) return score;
  var title = Search._index.titles[i].replace(/<[^>]*>/g, " ");
  var titleWords = stem(title);
  var titleJoined = titleWords.join("");  // 띄어 쓰지 않은 검색어(편향보정)도 제목(편향 보정의 유도)과 견준다
  var hits = stem(q).filter(function(t) {
    return titleWords.indexOf(t) !== -1 || (t.length >= 2 && titleJoined.indexOf(t) !== -1);
  }).length;
  return score + @BONUS@ * hits;
};
/**
 * 검색 결과와 요약 (book/_ext/adambook_site.py): 한 페이지는 한 번만(가장 높은 점수의 항목), 요약은 본문 글에서만
 * (수식의 TeX, 코드 셀과 그 출력, 목차 조각을 빼고).
 */
var ADAMBOOK_SNIPPET_DROP = [".headerlink", "script", "style", "div.math", "mjx-container", "div.cell", "div.highlight",
                             "nav", ".toctree-wrapper", ".contents", ".bd-toc", ".caption-number", ".onlyprint"];
var ADAMBOOK_TEX = {alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η", theta: "θ",
                    lambda: "λ", mu: "μ", rho: "ρ", sigma: "σ", tau: "τ", psi: "ψ", zeta: "ζ", nabla: "∇", odot: "⊙",
                    sqrt: "√", cdot: "·", times: "×", infty: "∞", le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠",
                    approx: "≈", to: "→", sum: "Σ", prod: "Π", ldots: "…", dots: "…"};
/** 인라인 수식의 TeX 를 읽을 수 있는 글자로: \(\hat m_t\) -> m_t, \(\beta_1\) -> β_1. */
var adambookTexToText = function(tex) {
  return tex.replace(/^\s*\\\(|\\\)\s*$/g, "")
    .replace(/\\(?:hat|bar|tilde|widehat|mathbf|mathrm|mathcal|text|textrm|operatorname|boldsymbol)\b/g, "")
    .replace(/\\([A-Za-z]+)/g, function(m, name) { return ADAMBOOK_TEX[name] || ""; })
    .replace(/\\[,;:! ]/g, " ").replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
};
var adambookPatchSearch = function() {
  if (typeof Search === "undefined" || Search.__adambook) return;
  Search.__adambook = true;
  var perform = Search._performSearch;
  Search._performSearch = function() {
    var results = perform.apply(Search, arguments);  // 점수 오름차순: 맨 뒤가 맨 위에 보인다
    var seen = new Set(), kept = [];
    for (var i = results.length - 1; i >= 0; i--) {
      if (seen.has(results[i][0])) continue;
      seen.add(results[i][0]);
      kept.push(results[i]);
    }
    return kept.reverse();
  };
  Search.htmlToText = function(htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    ADAMBOOK_SNIPPET_DROP.forEach(function(sel) { doc.querySelectorAll(sel).forEach(function(el) { el.remove(); }); });
    doc.querySelectorAll("span.math").forEach(function(el) { el.textContent = adambookTexToText(el.textContent); });
    // 본문(article)만: [role=main] 에는 머리의 단추, 인쇄용 차례, 오른쪽 차례, 꼬리말도 들어 있다.
    var root = doc.querySelector("article.bd-article") ? "article.bd-article" : '[role="main"]';
    var main = (anchor && doc.querySelector(root + " " + anchor)) || doc.querySelector(root);
    return main ? main.textContent.replace(/\s+/g, " ") : "";
  };
};
adambookPatchSearch();
if (typeof document !== "undefined") document.addEventListener("DOMContentLoaded", adambookPatchSearch);
if (typeof Scorer === "undefined") {
  var Scorer = {
    objNameMatch: 11, objPartialMatch: 6, objPrio: {0: 15, 1: 5, 2: -5}, objPrioDefault: 0,
    title: 15, partialTitle: 7, term: 5, partialTerm: 2,
    score: adambookScore,
  };
} else {
  Scorer.score = adambookScore;
}
""".replace("@BONUS@", str(DOC_TITLE_BONUS))


class SearchKorean(SearchLanguage):
    """한국어 검색 언어: 조사·어미를 떼는 어간 추출 + 한글 두 글자 조각 색인.

    검색어 쪽(자바스크립트)은 Sphinx 기본 splitQuery 로 낱말을 나누고 ``Stemmer.stemWord`` 로 어간을 뽑는다.
    색인 쪽 :meth:`split` 은 같은 방식(``\\w+``)으로 나눈 낱말에 더해, 긴 한글 어간의 두 글자 조각을 낸다:
    그래서 ``학습`` 이 ``학습률을`` 이 있는 페이지를, ``이동 평균`` 이 ``지수이동평균`` 이 있는 페이지를 찾는다.
    (세 글자 이상 검색어는 Sphinx 가 이미 부분 일치로 찾는다.)
    """

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = _JS_STEMMER + _JS_SCORER
    stopwords = set(english_stopwords) | set(KOREAN_STOPWORDS)

    def split(self, input: str) -> list[str]:
        words = self._word_re.findall(unicodedata.normalize("NFC", input))
        out = list(words)
        for word in words:
            if any(_is_hangul(ch) for ch in word):
                out.extend(hangul_bigrams(korean_stem(word)))
        # 띄어 쓰지 않은 검색어(``편향보정``)가 띄어 쓴 용어(``편향 보정의``)를 찾도록, 조사 없이 끝나는 한글 낱말과
        # 바로 뒤의 한글 낱말을 붙인 것도 색인한다 (붙인 것도 어간 추출을 거친다: ``편향보정의`` -> ``편향보정``).
        def bare(word: str) -> bool:
            return bool(_HANGUL_ONLY.fullmatch(word)) and korean_stem(word) == word and word not in KOREAN_STOPWORDS

        for i in range(len(words) - 1):
            if not bare(words[i]):
                continue
            joined = words[i]
            for j in range(i + 1, min(i + COMPOUND_MAX, len(words))):  # 앞 낱말들은 조사 없이, 마지막은 조사가 있어도 된다
                if not _HANGUL_RUN.match(words[j]) or korean_stem(words[j]) in KOREAN_STOPWORDS:
                    break
                joined += words[j]
                out.append(joined)
                if not bare(words[j]):
                    break
        return out

    def stem(self, word: str) -> str:
        return korean_stem(word)

    def word_filter(self, word: str) -> bool:
        return bool(word) and word not in self.stopwords and super().word_filter(word)


# ---------------------------------------------------------------------------------------------------
# Sphinx 연결
# ---------------------------------------------------------------------------------------------------


#: 테마가 영어로 남긴 UI 글자의 한국어. 메시지 카탈로그 두 개에 싣는다: ``sphinx`` (Sphinx 와 pydata-sphinx-theme 의
#: 템플릿; Sphinx 자신의 한국어 카탈로그에 없는 것만 채운다) 와 ``booktheme`` (sphinx-book-theme; 우리 것이 먼저다. 그
#: 카탈로그의 어색한 번역 몇 개도 바로잡는다). 화면에 보이는 말은 짧게, 스크린 리더가 읽는 말은 무엇을 하는지 그대로.
UI_KO = {
    "Skip to main content": "본문으로 건너뛰기",
    "Back to top": "맨 위로",
    "Site navigation": "책 목차",
    "On this page": "이 페이지의 차례",
    "Color mode": "화면 밝기",
    "Light": "밝게",
    "Dark": "어둡게",
    "System Settings": "시스템 설정 따르기",
    "Version warning": "판 알림",
    "Main": "본문",
    "Page": "페이지",
    "next page": "다음 페이지",
    "previous page": "이전 페이지",
    "Link to this heading": "이 제목으로 바로 가는 링크",
    "Link to this image": "이 그림으로 바로 가는 링크",
    "Link to this equation": "이 식으로 바로 가는 링크",
    "Link to this table": "이 표로 바로 가는 링크",
    "Link to this code": "이 코드로 바로 가는 링크",
    "Link to this definition": "이 정의로 바로 가는 링크",
    "Launch on": "실행:",
    "Launch interactive content": "실행해 보기",
    "Fullscreen mode": "전체 화면으로 보기",
    "open issue": "이슈 열기",
    "Download this page": "이 페이지 내려받기",
    "Download source file": "원본 파일 내려받기",
}


def _ui_catalog_dir(app: Sphinx) -> Path:
    """:data:`UI_KO` 를 ``<빌드 폴더>/adambook_locale/ko/LC_MESSAGES/{sphinx,booktheme}.mo`` 로 쓴다."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    root = Path(app.doctreedir).parent / "adambook_locale"
    target = root / "ko" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    for domain in ("sphinx", "booktheme"):
        catalog = Catalog(locale="ko", domain=domain)
        for msgid, msgstr in UI_KO.items():
            catalog.add(msgid, msgstr)
        with open(target / f"{domain}.mo", "wb") as fh:
            write_mo(fh, catalog)
    return root


def _install_ui_korean(app: Sphinx) -> None:
    """테마의 영어 UI 글자를 한국어로. ``sphinx`` 는 Sphinx 의 번역 뒤에(빈 곳만), ``booktheme`` 은 테마의 번역 앞에."""
    if not str(app.config.language or "").startswith("ko"):
        return
    import gettext

    from sphinx import locale

    root = _ui_catalog_dir(app)
    locale.init([str(root)], "ko", "sphinx")  # app.translator (템플릿의 _) 의 fallback 으로 붙는다
    ours = gettext.translation("booktheme", localedir=str(root), languages=["ko"])
    theirs = locale.translators.get(("general", "booktheme"))
    if theirs is not None and theirs is not ours:
        ours.add_fallback(theirs)
    locale.translators["general", "booktheme"] = ours


def _config_inited(app: Sphinx, config: Any) -> None:
    # 테마의 꼬리말 'By 지은이' 는 한국어 번역이 어색하다 ("으로 지은이"): templates/author.html 로 바꾼다.
    config.templates_path = [str(Path(__file__).parent / "templates"), *config.templates_path]
    if config.mathjax_path == MATHJAX_URL:
        config.mathjax_path = LOCAL_MATHJAX_PATH
    # Jupyter Book 의 기본 검색창 문구는 영어다.
    options = config.html_theme_options
    if isinstance(options, dict) and options.get("search_bar_text", "Search this book...") == "Search this book...":
        options["search_bar_text"] = "이 책에서 검색…"
    # pydata-sphinx-theme 은 html_context 의 default_mode 가 비어 있으면 첫 방문에서 콘솔 오류를 낸다
    # ("Got invalid theme mode: . Resetting to auto."). 그 동작(auto)을 그대로 명시한다.
    if isinstance(config.html_context, dict) and not config.html_context.get("default_mode"):
        config.html_context["default_mode"] = "auto"
    # 검색창은 하나: sphinx-book-theme 는 왼쪽 목차 위에도 검색창을 두는데, pydata-sphinx-theme 의 머리줄에 늘 보이는
    # 검색창(navbar_persistent)이 있어 데스크톱에서 둘이 보였다. 목차 위의 것을 뺀다: 그것은 목차가 현재 장으로
    # 스크롤되면 화면 밖으로 밀려나지만, 머리줄의 것은 늘 보인다 (휴대폰에서는 본문 머리의 검색 단추가 있다).
    if not config.html_sidebars:
        config.html_sidebars = {"**": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]}
    if isinstance(options, dict) and (options.get("launch_buttons") or {}).get("thebe"):
        logger.warning("adambook_site: thebe 실행 버튼은 CDN 과 binder 가 필요해 이 책에서는 동작하지 않는다")
    _disable_thebe(app)


def _disable_thebe(app: Sphinx) -> None:
    """sphinx_thebe 의 ``THEBE_JS_URL`` (unpkg CDN) 스크립트와 페이지마다의 binder 설정을 뺀다."""
    unwanted = {"init_thebe_core", "update_thebe_context"}
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            handler = listener.handler
            if getattr(handler, "__module__", "").startswith("sphinx_thebe") and handler.__name__ in unwanted:
                app.disconnect(listener.id)
    app.registry.css_files[:] = [css for css in app.registry.css_files if css[0] != "sphinx-thebe.css"]


def _share_html_visitors(app: Sphinx) -> None:
    """sphinx-proof 같은 확장은 노드를 'html' 빌더에만 등록한다. 한 페이지짜리 빌드(singlehtml, PDF 의 원본)도
    같은 HTML 을 쓰므로 그 방문자를 나눠 준다 (없으면 ``unknown node type: algorithm_node`` 로 멈춘다)."""
    handlers = app.registry.translation_handlers
    for node_name, visitors in handlers.get("html", {}).items():
        handlers.setdefault(app.builder.name, {}).setdefault(node_name, visitors)


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    if app.builder.name != "html":
        _share_html_visitors(app)
    _install_ui_korean(app)
    # MathJax 글꼴에 없는 글자(수식 속 한글)는 unknownFamily 로 그린다: 한글 웹폰트를 맨 앞에.
    cfg = app.config.mathjax3_config
    if cfg is None:
        cfg = app.config.mathjax3_config = {}
    if isinstance(cfg, dict):
        chtml = cfg.setdefault("chtml", {})
        chtml.setdefault("unknownFamily", f'"{HANGUL_FAMILY}", serif')
    app.config._adambook_hangul = book_hangul(Path(app.srcdir))
    app.add_css_file(CSS_FILE)
    copy_assets(app)


def _copy_tree(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.rglob("*")):
        if path.is_file():
            _copy_file(path, dst / path.relative_to(src))


def _copy_file(src: Path, dst: Path) -> None:
    if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def copy_assets(app: Sphinx) -> None:
    """MathJax, 글꼴, CSS 를 빌드 결과의 ``_static/`` 으로 복사한다 (이미 같으면 건너뛴다).

    builder-inited 에서 한 번 (페이지를 쓸 때 파일이 있어야 Sphinx 가 ``?v=`` 체크섬을 단다),
    build-finished 에서 한 번 더 (그사이 누가 지웠어도 결과는 완결된다) 부른다.
    """
    static = Path(app.outdir) / "_static"
    if app.config.mathjax_path == LOCAL_MATHJAX_PATH:
        es5 = mathjax_es5_dir()
        target = static / "mathjax"
        for name in MATHJAX_FILES:
            _copy_file(es5 / name, target / name)
        for sub in MATHJAX_DIRS:
            _copy_tree(es5 / sub, target / sub)
        _copy_file(es5.parent / "LICENSE", target / "LICENSE")
    fonts = font_source_dir()
    chars = app.config._adambook_hangul  # _builder_inited 이 모았다
    current = {webfont_name(style, chars) for _, style, *_ in FONT_FILES}
    for old in (static / "fonts").glob("AdamBookHangul-*.woff*"):  # 예전 판(다른 글자 집합, WOFF) 정리
        if old.name not in current:
            old.unlink()
    for src, style, weight, _local in FONT_FILES:
        dst = static / "fonts" / webfont_name(style, chars)
        if not dst.is_file() or dst.stat().st_mtime < (fonts / src).stat().st_mtime:
            make_webfont(fonts / src, dst, weight, chars)
    notice = static / "fonts" / "NOTICE.txt"
    count = sum(0xAC00 <= ord(ch) <= 0xD7A3 for ch in chars)
    notice_text = FONT_NOTICE.format(webfonts=", ".join(sorted(current)), count=count,
                                     family=HANGUL_FAMILY, copyright=_font_copyright(fonts / FONT_FILES[0][0]))
    if not notice.is_file() or notice.read_text(encoding="utf-8") != notice_text:
        notice.write_text(notice_text, encoding="utf-8")
    css = static / CSS_FILE
    text = font_css(chars)
    if not css.is_file() or css.read_text(encoding="utf-8") != text:
        css.write_text(text, encoding="utf-8")


def check_font_coverage(outdir: Path, chars: str) -> list[str]:
    """빌드된 페이지와 스크립트에 나오는 한글 가운데 웹폰트에 없는 글자 (정렬). 비어 있어야 한다."""
    have = set(chars)
    missing: set[str] = set()
    for path in [*outdir.rglob("*.html"), *outdir.glob("*.js"), *(outdir / "_static").glob("*.js")]:
        missing.update(ch for ch in path.read_text(encoding="utf-8", errors="ignore") if _in_hangul_ranges(ch) and ch not in have)
    return sorted(missing)


#: 페이지에서 빼는 테마 스크립트. pydata-sphinx-theme 는 Font Awesome 을 두 번 싣는다: CSS 와 웹폰트(아이콘을 그리는
#: 데 충분하다), 그리고 같은 아이콘을 SVG 로 바꿔 그리는 1.49 MB 짜리 fontawesome.js (테마의 webpack 매크로가 모든
#: 페이지의 <head> 에 박아 넣어 설정으로는 뺄 수 없다). 뒤의 것을 빼도 아이콘은 그대로다 (tests/test_site.py 가 본다).
DROPPED_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js(\?[^"]*)?"></script>\n?')
#: 소스 맵: 개발 도구만 쓰는 파일(테마의 것만 약 3 MB)과 그것을 가리키는 주석. 사이트에 싣지 않는다.
SOURCE_MAP_COMMENT = re.compile(r"\n?(//|/\*)# sourceMappingURL=[^\n]*?(\*/)?[ \t]*$", re.M)


#: sphinx-book-theme 가 번역하지 않고 템플릿에 박아 둔 스크린 리더용 이름 (부품 하나를 통째로 바꾸기보다 여기서 고친다).
ARIA_KO = {'aria-label="Main"': 'aria-label="책 목차"', 'aria-label="Page"': 'aria-label="이 페이지"'}


def slim_site(outdir: Path) -> None:
    """빌드된 사이트에서 독자에게 쓸모없는 무게를 뺀다: fontawesome.js 를 부르는 태그와 그 파일, 소스 맵.

    테마가 영어로 박아 둔 스크린 리더용 이름(:data:`ARIA_KO`)도 여기서 한국어로 바꾼다.
    """
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        slim = DROPPED_SCRIPT.sub("", text)
        for old, new in ARIA_KO.items():
            slim = slim.replace(old, new)
        if slim != text:
            page.write_text(slim, encoding="utf-8")
    static = outdir / "_static"
    for path in [*static.rglob("*.map"), *static.rglob("fontawesome.js"), *static.rglob("fontawesome.js.LICENSE.txt")]:
        path.unlink()
    for path in [*static.rglob("*.js"), *static.rglob("*.css")]:
        if "mathjax" in path.relative_to(static).parts:
            continue  # MathJax 는 소스 맵이 없다 (그리고 크기 때문에 훑지 않는다)
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        slim = SOURCE_MAP_COMMENT.sub("", text)
        if slim != text:
            path.write_text(slim, encoding="utf-8", errors="surrogateescape")


def shrink_png(path: Path) -> None:
    """노트북 그림(2배 해상도 PNG)을 256색 팔레트 PNG 로 다시 쓴다. 더 작아질 때만 바꾼다.

    책의 그림은 흰 바탕의 선 그림이라 256색이면 눈으로 구별되지 않고, 파일은 2–3배 작아진다 (ch06 의 궤적 그림
    333 KB -> 116 KB). 투명한 곳이 있는 그림은 알파를 살려 FASTOCTREE 로, 불투명하면 RGB 로 MEDIANCUT 한다. 디더링은
    하지 않는다: 선과 글자 가장자리에 점무늬가 생긴다.
    """
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        if im.mode not in ("RGB", "RGBA"):
            return
        if im.mode == "RGBA" and im.getchannel("A").getextrema()[0] == 255:
            im = im.convert("RGB")
        method = Image.Quantize.MEDIANCUT if im.mode == "RGB" else Image.Quantize.FASTOCTREE
        small = im.quantize(colors=256, method=method, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    if buffer.tell() < path.stat().st_size:
        path.write_bytes(buffer.getvalue())


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_assets(app)
        slim_site(Path(app.outdir))
        for png in (Path(app.outdir) / "_images").glob("*.png"):
            shrink_png(png)
        missing = check_font_coverage(Path(app.outdir), app.config._adambook_hangul)
        if missing:
            logger.warning("adambook_site: 한글 웹폰트에 없는 글자 %d 자가 사이트에 나온다: %s (book_hangul 이 모으지 "
                           "못한 원본이 있다)", len(missing), "".join(missing[:50]))


# ---------------------------------------------------------------------------------------------------
# 5. 연습문제 풀이의 nbgrader 표시 지우기
# ---------------------------------------------------------------------------------------------------

#: 풀이 코드 셀을 감싸는 nbgrader 표시 (scripts/make_classroom.py 가 학생용을 만들 때 쓴다). 사이트에서는 보이지 않게 한다.
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def strip_solution_markers(text: str) -> str:
    """코드에서 nbgrader 의 풀이 표시 줄만 뺀다."""
    return "\n".join(line for line in text.split("\n") if line.strip() not in SOLUTION_MARKERS)


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if any(marker in text for marker in SOLUTION_MARKERS):
            block.children = [nodes.Text(strip_solution_markers(text))]
            block.rawsource = strip_solution_markers(block.rawsource)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _doctree_read)
    app.add_search_language(SearchKorean)
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
