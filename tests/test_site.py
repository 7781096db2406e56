"""빌드된 사이트(_build/html)가 스스로 완결되고(외부 URL 없음), 한국어로 보이고, 한국어로 검색되는지 본다.

- 순수 파이썬: book/_ext/adambook_site.py 의 한국어 어간 추출(조사·어미 떼기)과 두 글자 조각 색인.
- 정적 검사: 모든 HTML 의 ``<script src>``, ``<link rel=stylesheet>``, 폰트 참조와 빌드된 CSS 의
  ``@import``/``url()`` 에 ``http(s)://`` 가 없어야 한다. (본문의 ``<a href>`` 외부 링크는 괜찮다.)
- 진짜 브라우저: 데비안의 헤드리스 Chromium (``/usr/bin/chromium``, ``/usr/bin/chromedriver``) 을 Selenium 으로
  몰아 127.0.0.1 에서 띄운 사이트를 연다. 페이지마다 한글 본문, 조판된 수식(MathJax), 읽힌 그림, 콘솔 오류 없음,
  이전/다음 링크, 그리고 검색창에서 ``편향 보정``·``옵티마이저`` 를 찾는다. 브라우저는 127.0.0.1 밖의 주소를
  찾지 못하게 띄우고(--host-resolver-rules), 페이지가 요청한 모든 URL 이 로컬 서버의 것인지도 확인한다.

두 사이트를 본다.

1. 임시 사이트: 장(chapter)이 아직 다 쓰이지 않았으므로, 저장소의 _config.yml 과 작은 첫 페이지에 이 파일이
   쓰는 작은 한국어 페이지(조사가 붙은 낱말만 쓰는 ``편향 보정`` 페이지 등)와 저장된 출력이 있는 작은 노트북을
   더해 tmp 에 빌드한다 (``jupyter-book build <tmp> -W -n --keep-going``).
2. 저장소의 실제 책: ``_build/html`` 이 있으면 그것을 쓰고 (tests/test_book_build.py 가 먼저 빌드한다), 없으면
   같은 명령(노트북 실행 없이)으로 직접 빌드한다.

Adam 장(book/ch06_adam.html, 없으면 첫 페이지)의 스크린숏을 ``_build/screenshots/adam.png`` 에 남긴다.
"""

from __future__ import annotations

import base64
import functools
import http.server
import importlib.util
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib
from pathlib import Path

import pytest
import yaml
from booktoc import toc_entries

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
EXT_DIR = ROOT / "book" / "_ext"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HANGUL = re.compile("[\uac00-\ud7a3]")
HANGUL_FAMILY = "AdamBook Hangul"


def _load_ext():
    spec = importlib.util.spec_from_file_location("adambook_site", EXT_DIR / "adambook_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ext = _load_ext()


# ===================================================================================================
# 1. 순수 파이썬: 한국어 어간 추출
# ===================================================================================================

@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("편향을", "편향"),
        ("편향이", "편향"),
        ("보정하기", "보정"),
        ("보정된다", "보정"),
        ("보정한", "보정"),
        ("옵티마이저는", "옵티마이저"),
        ("옵티마이저를", "옵티마이저"),
        ("옵티마이저들의", "옵티마이저"),  # 두 번: 의, 들
        ("모멘텀에서는", "모멘텀"),  # 가장 긴 꼬리부터
        ("학습률이다", "학습률"),
        ("계산하는지", "계산"),
        ("편향", "편향"),  # 두 글자는 그대로
        ("정도", "정도"),  # 한 글자 어간은 만들지 않는다
        ("정도는", "정도"),
        ("쪽으로", "쪽으로"),  # 가장 긴 꼬리(으로)를 못 떼면 더 짧은 꼬리로 물러서지 않는다
        ("Adam의", "adam"),  # 라틴 문자 뒤의 조사는 한 글자 어간도 괜찮다
        ("x를", "x"),
        ("optimizers를", "optim"),  # 뗀 뒤 ASCII 면 Porter
        ("optimizers", "optim"),  # ASCII 는 Sphinx 영어 검색과 같다
        ("β₁이", "β₁"),
        ("\u1111\u1167\u11ab\u1112\u1163\u11bc\u110b\u1173\u11af", "편향"),  # NFD(맥 입력) 도 NFC 로
    ],
)
def test_korean_stem(word, stem):
    assert ext.korean_stem(word) == stem


def test_korean_split_adds_bigrams_of_long_hangul_stems():
    lang = ext.SearchKorean({})
    words = lang.split("지수이동평균을 쓰는 옵티마이저, Adam의 학습률")
    assert words[:5] == ["지수이동평균을", "쓰는", "옵티마이저", "Adam의", "학습률"]
    for gram in ("지수", "이동", "평균", "학습", "습률"):
        assert gram in words
    assert "균을" not in words  # 조각은 조사를 뗀 어간에서 자른다
    assert not [w for w in words if w.startswith("adam") or len(w) < 2]


def test_korean_split_joins_spaced_terms_for_spaceless_queries():
    lang = ext.SearchKorean({})
    words = lang.split("편향 보정의 원리, 지수 이동 평균을 그리고 학습률")
    stems = {lang.stem(w) for w in words}
    assert {"편향보정", "지수이동", "지수이동평균", "이동평균"} <= stems
    assert not [w for w in words if "그리고" in w and w != "그리고"]  # 기능어는 붙이지 않는다
    assert "보정의원리" not in stems  # 조사가 붙은 낱말 뒤에서는 잇지 않는다


@pytest.mark.parametrize(("query", "stem"), [("아담의", "adam"), ("케라스는", "kera"), ("파이토치", "pytorch"),
                                             ("웜업", "워밍업"), ("웜업을", "워밍업"), ("워밍업을", "워밍업")])
def test_search_aliases(query, stem):
    assert ext.korean_stem(query) == stem


def test_korean_word_filter_drops_particles_and_keeps_terms():
    lang = ext.SearchKorean({})
    for particle in ("의", "은", "에서", "이다", "한다", "the"):
        assert not lang.word_filter(lang.stem(particle)), particle
    for term in ("편향", "보정", "옵티마이저", "adam", "x"):
        assert lang.word_filter(lang.stem(term)), term


def test_js_stemmer_uses_the_same_table():
    js = ext.SearchKorean.js_stemmer_code
    assert json.dumps(list(ext.SUFFIXES)) in js
    assert "var PorterStemmer = function()" in js and "var Stemmer = function()" in js
    assert list(ext.SUFFIXES) == sorted(ext.SUFFIXES, key=lambda s: (-len(s), s))


# ===================================================================================================
# 정적 검사: 외부 URL
# ===================================================================================================

URL = re.compile(r"^\s*(?:https?:)?//", re.I)
_TAG = re.compile(r"<(script|link|img|source|iframe|embed|object)\b([^>]*)>", re.I | re.S)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.S)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.I)
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.I | re.S)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>|\sstyle\s*=\s*\"([^\"]*)\"", re.I | re.S)
FONT_EXT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", re.I)


def _attrs(raw: str) -> dict[str, str]:
    return {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(raw)}


def scan_site(html_dir: Path) -> list[str]:
    """외부(http(s):// 또는 //)에서 불러오는 스크립트·스타일시트·폰트·임베드를 모두 찾는다."""
    bad: list[str] = []
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        text = page.read_text(encoding="utf-8", errors="replace")
        for tag, raw in _TAG.findall(text):
            a = _attrs(raw)
            tag = tag.lower()
            refs = []
            if tag == "script":
                refs.append(a.get("src", ""))
            elif tag == "link":
                rel_attr = a.get("rel", "").lower()
                if any(r in rel_attr for r in ("stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest")):
                    refs.append(a.get("href", ""))
            else:
                refs += [a.get("src", ""), a.get("data", ""), *a.get("srcset", "").split(",")]
            bad += [f"{rel}: <{tag}> {ref.strip()}" for ref in refs if ref and URL.match(ref)]
        # 인라인 스크립트가 외부 스크립트를 주소로 들고 있으면(THEBE_JS_URL 같은) 그것도 막는다.
        for attrs, body in _INLINE_SCRIPT.findall(text):
            if "src=" in attrs.lower() or "x-thebe-config" in attrs.lower():
                bad += [f"{rel}: thebe 설정 {attrs.strip()}"] if "x-thebe-config" in attrs.lower() else []
                continue
            bad += [f"{rel}: 인라인 <script> 의 {u}" for u in re.findall(r"https?://[^\s\"'`]+\.(?:m?js|css)\b", body)]
        for block, inline in _STYLE.findall(text):
            bad += [f"{rel}: <style> {u}" for u in _css_refs(block or inline) if URL.match(u)]
    for css in sorted(html_dir.rglob("*.css")):
        rel = css.relative_to(html_dir)
        bad += [f"{rel}: {u}" for u in _css_refs(css.read_text(encoding="utf-8", errors="replace")) if URL.match(u)]
    return bad


def _css_refs(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [m[1] or m[2] for m in _CSS_URL.findall(css)]


def test_scan_finds_external_references(tmp_path):
    """검사기 자체의 검사: 외부 스크립트·CSS·폰트를 잡고, 본문 링크는 놓아둔다."""
    (tmp_path / "_static").mkdir()
    (tmp_path / "index.html").write_text(
        '<html><head><script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="//cdn.example/y.css"><link rel="preload" href="https://f.example/a.woff2" as="font">'
        '<script>const URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"</script>'
        '<style>@font-face{src:url(https://f.example/b.ttf)}</style></head>'
        '<body><a href="https://arxiv.org/abs/1412.6980">Adam</a><script src="_static/ok.js"></script></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "_static" / "s.css").write_text('@import "https://fonts.example/c.css"; a{background:url(ok.png)}', encoding="utf-8")
    bad = scan_site(tmp_path)
    assert len(bad) == 6, bad
    assert not any("arxiv" in b or "ok.js" in b or "ok.png" in b for b in bad)


# ===================================================================================================
# 빌드
# ===================================================================================================

def _jupyter_book() -> str:
    return str(Path(sys.executable).with_name("jupyter-book"))


def _book_config(execute: str = "off") -> dict:
    """저장소 _config.yml 을 노트북 실행 없이, 확장 경로는 절대 경로로 (--config 가 tmp 에 있어도 찾도록)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = execute
    local = config.get("sphinx", {}).get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {name: str((ROOT / path).resolve()) for name, path in local.items()}
    return config


def _run_build(args: list[str], cwd: Path) -> str:
    proc = subprocess.run([_jupyter_book(), "build", *args, "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, cwd=cwd, timeout=900)
    log = proc.stdout + proc.stderr
    return log if proc.returncode == 0 else f"[exit {proc.returncode}]\n{log}"


def _png(width: int, height: int) -> bytes:
    """아주 작은 PNG (파란 사각형)."""
    raw = b"".join(b"\x00" + b"\x20\x60\xc0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


TEMP_PAGES = {
    # 제목도 본문도 `편향`·`보정` 을 조사·어미가 붙은 꼴로만 쓴다: 기본 검색은 이 페이지를 못 찾는다.
    "t_bias.md": r"""# 초기 추정값의 편향을 보정하기

Adam 의 1차 모멘트 추정값 $m_t$ 는 0 에서 출발하므로 초기 스텝에서 0 쪽으로 치우친다. 이 편향이 얼마나 큰지
계산하고, $1-\beta_1^t$ 로 나누어 보정한다.

$$
\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \text{보정된 추정값}
$$

보정하지 않으면 첫 스텝의 업데이트가 너무 작다. 보정된 추정값은 편향이 없다.

![보정 전후의 추정값](fig_bias.png)
""",
    "t_optim.md": r"""# 옵티마이저들의 비교

옵티마이저는 그래디언트로 파라미터를 바꾸는 규칙이다. 이 장은 여러 옵티마이저를 비교한다.
SGD 와 Adam 의 차이는 학습률을 파라미터마다 조절하느냐에 있다.

$$
\boldsymbol{\theta}_{t+1} = \boldsymbol{\theta}_t - \eta \, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
$$

```python
# 한글 주석이 있는 코드: 고정폭 글꼴 + 한글
lr = 1e-3  # 학습률
```
""",
    # `편향`·`보정` 을 한 번씩만 지나가며 쓰는 페이지 (검색 결과의 순위 비교용).
    "t_other.md": """# 모멘텀

모멘텀은 지난 그래디언트의 지수이동평균을 속도로 쓴다. 편향 보정은 뒤의 장에서 다룬다.
""",
}


def _temp_notebook() -> dict:
    """저장된 출력(수식 text/latex, 그림 image/png, 한글 stdout)이 있는 작은 노트북."""
    png = base64.b64encode(_png(40, 30)).decode()
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"}},
        "cells": [
            {"cell_type": "markdown", "id": "md1", "metadata": {}, "source": ["# 노트북 출력\n", "\n", "저장된 출력을 보여 준다."]},
            {"cell_type": "code", "id": "code1", "metadata": {}, "execution_count": 1,
             "source": ["print('편향 보정 완료')\n", "display_stuff()"],
             "outputs": [
                 {"output_type": "stream", "name": "stdout", "text": ["편향 보정 완료\n"]},
                 {"output_type": "display_data", "metadata": {},
                  "data": {"text/latex": ["$\\displaystyle \\frac{m_{t}}{1 - \\beta_{1}^{t}}$"], "text/plain": ["m_t/(1 - beta_1**t)"]}},
                 {"output_type": "display_data", "metadata": {}, "data": {"image/png": png, "text/plain": ["<Figure>"]}},
             ]},
        ],
    }


@pytest.fixture(scope="module")
def temp_site(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("site")
    book = src / "book"
    book.mkdir()
    (src / "_config.yml").write_text(yaml.safe_dump(_book_config(), allow_unicode=True), encoding="utf-8")
    toc = {"format": "jb-book", "root": "book/intro",
           "chapters": [{"file": "book/t_bias"}, {"file": "book/t_optim"}, {"file": "book/t_other"}, {"file": "book/t_nb"}]}
    (src / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True), encoding="utf-8")
    # 저장소의 첫 페이지는 모든 장을 잇는다 (장 지도): 임시 사이트에는 그 장들이 없으므로 작은 첫 페이지를 쓴다.
    (book / "intro.md").write_text("# Adam 옵티마이저\n\n임시 사이트의 첫 페이지다. 편향 보정과 옵티마이저를 다룬다.\n",
                                   encoding="utf-8")
    shutil.copy(ROOT / "book" / "references.bib", book / "references.bib")
    for name, text in TEMP_PAGES.items():
        (book / name).write_text(text, encoding="utf-8")
    (book / "fig_bias.png").write_bytes(_png(64, 32))
    (book / "t_nb.ipynb").write_text(json.dumps(_temp_notebook(), ensure_ascii=False), encoding="utf-8")
    log = _run_build([str(src)], cwd=src)
    problems = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line or line.startswith("[exit")]
    assert not problems, "\n".join(problems) + "\n" + log[-3000:]
    return src / "_build" / "html"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """저장소의 _build/html. 없거나 확장(book/_ext/adambook_site.py)보다 오래되었으면 tests/test_book_build.py 와
    같은 명령(노트북 실행 없이)으로 빌드한다."""
    index = HTML / "searchindex.js"
    if not index.is_file() or index.stat().st_mtime < (EXT_DIR / "adambook_site.py").stat().st_mtime:
        cfg = tmp_path_factory.mktemp("cfg") / "_config.yml"
        cfg.write_text(yaml.safe_dump(_book_config(), allow_unicode=True), encoding="utf-8")
        log = _run_build([str(ROOT), "--config", str(cfg), "--all"], cwd=ROOT)
        # 경고(예: 아직 없는 장)는 tests/test_book_build.py 가 잡는다. 여기서는 만들어진 페이지를 본다.
        assert (HTML / "index.html").is_file(), log[-3000:]
    return HTML


def toc_pages() -> list[str]:
    return toc_entries(ROOT)


# ===================================================================================================
# 브라우저
# ===================================================================================================

class _Handler(http.server.SimpleHTTPRequestHandler):
    failures: list[tuple[str, int]]

    def log_request(self, code="-", size="-"):
        code = int(getattr(code, "value", code)) if str(getattr(code, "value", code)).isdigit() else 0
        if code >= 400 and not self.path.startswith("/favicon.ico"):
            self.failures.append((self.path, code))

    def log_message(self, format, *args):
        pass


class Site:
    """``html_dir`` 를 127.0.0.1 의 빈 포트에서 띄운다. 400 이상으로 답한 요청은 ``failures`` 에 모인다."""

    def __init__(self, html_dir: Path):
        self.failures: list[tuple[str, int]] = []
        handler = type("Handler", (_Handler,), {"failures": self.failures})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(html_dir)))
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver  # requirements.txt 가 설치한다: 없으면 건너뛰지 않고 실패한다
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium 이 없다: `apt-get install -y chromium chromium-driver` (make setup 이 설치한다)")
    profile = tempfile.mkdtemp(prefix="adambook-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-extensions", "--window-size=1400,1000", "--lang=ko-KR",
                 # 127.0.0.1 말고는 어떤 이름도 찾지 못한다: 외부에서 무엇이든 불러오려 하면 콘솔 오류가 된다.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _drain_logs(driver) -> tuple[list[str], list[str]]:
    """(SEVERE 콘솔 메시지, 요청한 URL) — 읽으면 비워진다.

    브라우저가 스스로 서버 루트에 묻는 /favicon.ico 의 404 는 사이트의 자원이 아니므로 뺀다.
    """
    severe = [e["message"] for e in driver.get_log("browser")
              if e["level"] == "SEVERE" and "/favicon.ico " not in e["message"]]
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return severe, urls


_WAIT_PAGE = """
const done = arguments[arguments.length - 1];
const LIMIT_MS = arguments[0];
const sleep = ms => new Promise(r => setTimeout(r, ms));
const within = (promise, what) => Promise.race([
  promise, sleep(LIMIT_MS).then(() => { throw new Error(what + ": " + LIMIT_MS / 1000 + " s 안에 끝나지 않았다"); })]);
(async () => {
  // 이 스크립트는 readyState 가 complete 가 된 뒤에 돈다 (_open). MathJax 가 있어야 하는지는 정적인 DOM 으로
  // 정한다: MathJax 의 <script> 태그가 있고 .math 요소가 있으면 조판을 기다려야 한다. window.MathJax 로
  // 정하면 안 된다: 지연(defer) 스크립트가 돌기 전에는 그것이 아직 인라인 설정 객체이기 때문이다.
  const tag = document.querySelector('script[src*="mathjax/tex-chtml.js"]');
  const mathCount = document.querySelectorAll(".math").length;
  let mathjax = null;
  if (mathCount && !tag) throw new Error(`수식 ${mathCount} 개가 있는데 MathJax <script> 태그가 없다`);
  if (tag) {
    const start = Date.now();
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
      if (Date.now() - start > LIMIT_MS) {
        throw new Error(`MathJax 태그(${tag.getAttribute("src")})는 있는데 ${LIMIT_MS / 1000} s 안에 MathJax.startup 이 ` +
          `생기지 않았다 (readyState=${document.readyState}, MathJax 키=${window.MathJax ? Object.keys(MathJax) : "없음"})`);
      }
      await sleep(50);
    }
    await within(MathJax.startup.promise, "MathJax.startup.promise (첫 조판)");
    mathjax = MathJax.version;
  }
  // 그림: 게으른 로딩을 풀고 모두 끝날 때까지
  const imgs = [...document.images];
  imgs.forEach(img => { img.loading = "eager"; });
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(r => {
    img.addEventListener("load", r, {once: true}); img.addEventListener("error", r, {once: true});
  })));
  await document.fonts.ready;
  const root = document.querySelector("article") || document.querySelector("main") || document.body;
  const skip = "pre, code, script, style, textarea, mjx-container, mjx-assistive-mml, .highlight";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement && n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  let prose = "";
  while (walker.nextNode()) prose += walker.currentNode.nodeValue;
  const hangulFace = [...document.fonts].filter(f => f.family.replace(/"/g, "") === "@FAMILY@");
  done({
    mathjax,
    prose,
    bodyText: root.innerText,
    mathTotal: document.querySelectorAll(".math").length,
    mathUntypeset: [...document.querySelectorAll(".math")]
      .filter(e => !e.querySelector("mjx-container")).map(e => e.textContent.slice(0, 80)),
    mathErrors: [...document.querySelectorAll("mjx-merror")].map(e => e.textContent),
    badImages: imgs.filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.getAttribute("src")),
    prev: document.querySelector("a.left-prev") ? document.querySelector("a.left-prev").href : null,
    next: document.querySelector("a.right-next") ? document.querySelector("a.right-next").href : null,
    hangulFontLoaded: hangulFace.some(f => f.status === "loaded"),
    hangulFontCheck: document.fonts.check('16px "@FAMILY@"', "편향"),
    bodyFont: getComputedStyle(document.body).fontFamily,
    codeFont: document.querySelector("pre") ? getComputedStyle(document.querySelector("pre")).fontFamily : null,
  });
})().catch(e => done({error: String(e && e.message || e)}));
""".replace("@FAMILY@", HANGUL_FAMILY)


#: 한 페이지를 기다리는 한도(초): 읽기, MathJax 준비, 첫 조판 각각. 2코어 CI 에서 가장 무거운 장(ch06, 수식 150여 개)의
#: 조판이 1 s 남짓이므로 넉넉하다. 넘으면 무엇을 기다리다 넘었는지 말하며 실패한다.
PAGE_LIMIT_S = 20


def _open(driver, go, url: str) -> None:
    """``go()`` (driver.get 이나 링크 클릭)로 ``url`` 을 열고, 새 문서의 readyState 가 complete 가 될 때까지 기다린다.

    chromedriver 의 get() 은 가끔 문서가 아직 "loading" 일 때 돌아온다. 그래서 이전 문서에 표시를 남겨 두고,
    표시가 없는(새) 문서가 기대한 주소에서 complete 가 될 때까지 기다린다. 같은 주소를 다시 열 때도 옛 문서를
    새 문서로 착각하지 않는다.
    """
    try:
        driver.execute_script("window.__adambookOld = true")
    except Exception:  # 아직 아무 문서도 없다: 그래도 아래의 주소·readyState 검사로 충분하다
        pass
    go()
    want = url.split("#")[0]
    state = {}

    def loaded() -> bool:
        state.update(driver.execute_script(
            "return {url: location.href.split('#')[0], ready: document.readyState, old: !!window.__adambookOld}"))
        return state["url"] == want and state["ready"] == "complete" and not state["old"]

    _wait(loaded, PAGE_LIMIT_S, lambda: f"{want} 가 {PAGE_LIMIT_S} s 안에 다 읽히지 않았다 (지금 {state})")


def check_page(driver, site: Site, path: str, go=None) -> dict:
    """페이지 하나를 열고 (``go`` 가 있으면 그것으로, 없으면 주소로) 모든 조건을 확인한 뒤 측정값을 돌려준다."""
    url = site.base + path
    _open(driver, go or (lambda: driver.get(url)), url)
    info = driver.execute_async_script(_WAIT_PAGE, PAGE_LIMIT_S * 1000)
    assert "error" not in info, f"{path}: {info['error']}"
    severe, requested = _drain_logs(driver)
    where = f"{path}:"
    assert HANGUL.search(info["bodyText"]), f"{where} 본문에 한글이 없다"
    assert not (raw := [t for t in ("$$", "\\frac", "\\begin{") if t in info["prose"]]), f"{where} 조판되지 않은 TeX {raw}"
    assert not info["mathUntypeset"], f"{where} MathJax 가 조판하지 않은 수식 {info['mathUntypeset']}"
    assert not info["mathErrors"], f"{where} MathJax 오류 {info['mathErrors']}"
    if info["mathTotal"]:
        assert info["mathjax"] and info["mathjax"].startswith("3."), f"{where} MathJax 3 이 아니다 ({info['mathjax']})"
    assert not info["badImages"], f"{where} 읽히지 않은 그림 {info['badImages']}"
    assert not severe, f"{where} 콘솔 오류\n" + "\n".join(severe)
    outside = [u for u in requested if not u.startswith((site.base, "data:", "blob:", "about:", "chrome"))]
    assert not outside, f"{where} 사이트 밖 요청 {outside}"
    assert not site.failures, f"{where} 서버가 오류로 답한 요청 {site.failures}"
    assert info["hangulFontLoaded"] and info["hangulFontCheck"], f"{where} 한글 웹폰트가 쓰이지 않았다"
    assert HANGUL_FAMILY in info["bodyFont"], info["bodyFont"]
    if info["codeFont"]:
        assert "monospace" in info["codeFont"] and HANGUL_FAMILY in info["codeFont"], info["codeFont"]
    return info


def check_pages(driver, site: Site, pages: list[str]) -> None:
    """첫 index.html 이 목차의 첫 페이지로 넘어가는지, 모든 페이지, 이전/다음 링크가 가리키는 곳을 본다."""
    # Jupyter Book 의 index.html 은 meta refresh 로 root 페이지로 보낸다.
    _open(driver, lambda: driver.get(site.base + "index.html"), site.base + pages[0])
    _drain_logs(driver)
    visited: set[str] = set()
    targets: set[str] = set()
    for path in pages:
        info = check_page(driver, site, path)
        visited.add(site.base + path)
        targets |= {u.split("#")[0] for u in (info["prev"], info["next"]) if u}
    for url in sorted(targets - visited):
        assert url.startswith(site.base), url
        check_page(driver, site, url[len(site.base):])
    # 실제로 "다음" 링크를 누르고, 도착한 페이지에서 "이전" 링크를 눌러 돌아온다. 도착한 페이지도 다 확인한다.
    check_page(driver, site, pages[0])
    for selector in ("a.right-next", "a.left-prev"):
        links = driver.find_elements("css selector", selector)
        if not links:
            continue
        expected = links[0].get_attribute("href").split("#")[0]
        assert expected.startswith(site.base), expected
        check_page(driver, site, expected[len(site.base):], go=links[0].click)


def _wait(cond, timeout: float = 20.0, why=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(why() if why else f"{timeout} s 안에 조건이 이루어지지 않았다")


def search_via_box(driver, site: Site, query: str, start: str = "book/intro.html") -> list[str]:
    """``start`` 페이지의 검색 버튼 → 검색 대화상자에 입력 → Enter. 결과 페이지의 링크(순위 순)를 돌려준다."""
    from selenium.webdriver.common.keys import Keys

    _open(driver, lambda: driver.get(site.base + start), site.base + start)
    button = next(b for b in driver.find_elements("css selector", "button.search-button__button") if b.is_displayed())
    button.click()
    box = driver.find_element("css selector", "#pst-search-dialog input[name=q]")
    _wait(box.is_displayed, 5)
    box.send_keys(query, Keys.ENTER)
    _wait(lambda: "search.html" in driver.current_url)
    # 결과는 5 ms 마다 하나씩 붙는다: 끝나면 제목이 "검색 결과"(_("Search Results")) 로 바뀐다.
    _wait(lambda: driver.execute_script(
        "return typeof Search !== 'undefined' && !!Search.title "
        "&& Search.title.innerText === Documentation.gettext('Search Results')"))
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('#search-results ul.search li > a')]"
        ".map(a => a.getAttribute('href').split('?')[0].split('#')[0])")
    severe, requested = _drain_logs(driver)
    assert not severe, "\n".join(severe)
    assert all(u.startswith((site.base, "data:", "about:", "chrome")) for u in requested), requested
    query_in_url = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query).get("q", [""])[0]
    assert query_in_url == query
    return hrefs


# ---------------------------------------------------------------------------------------------------
# 임시 사이트
# ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_temp_site_is_self_contained(temp_site):
    assert not scan_site(temp_site), "\n".join(scan_site(temp_site))
    mathjax = temp_site / "_static" / "mathjax"
    assert (mathjax / "tex-chtml.js").is_file()
    assert len(list((mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))) >= 20
    webfonts = sorted(p.name for p in (temp_site / "_static" / "fonts").glob("AdamBookHangul-*"))
    assert [re.sub(r"\.[0-9a-f]{10}\.", ".#.", w) for w in webfonts] == [
        "AdamBookHangul-Bold.#.woff2", "AdamBookHangul-Regular.#.woff2"], webfonts
    for font in (temp_site / "_static" / "fonts").glob("*.woff2"):
        # 책이 쓰는 글자만 남긴 WOFF2: 한글 음절 11,172 자를 다 실으면 약 800 KB 였다. 수천 자를 넘지 않는 책이면 400 KB 아래다.
        assert font.read_bytes()[:4] == b"wOF2" and 10_000 < font.stat().st_size < 400_000, font
    page = (temp_site / "book" / "t_bias.html").read_text(encoding="utf-8")
    assert 'src="../_static/mathjax/tex-chtml.js' in page and "adambook-site.css" in page
    assert "thebe" not in page.lower().replace("sphinx-thebe.js", "")  # thebe 설정·CDN 주소가 없다
    assert "이 책에서 검색" in page


@pytest.mark.slow
def test_temp_site_in_browser(temp_site, browser):
    site = Site(temp_site)
    try:
        pages = [f"book/{p}.html" for p in ("intro", "t_bias", "t_optim", "t_other", "t_nb")]
        check_pages(browser, site, pages)
        info = check_page(browser, site, "book/t_nb.html")
        assert info["mathTotal"] >= 1  # 노트북의 text/latex 출력도 조판된다
        assert info["mathjax"] == "3.2.2"
        info = check_page(browser, site, "book/t_optim.html")  # \boldsymbol 은 [tex]/boldsymbol 을 자동으로 불러온다
        assert info["codeFont"]
    finally:
        site.close()


@pytest.mark.slow
def test_temp_site_korean_search(temp_site, browser):
    site = Site(temp_site)
    try:
        # 기본 색인은 이 질의에 아무것도 찾지 못했다 (`편향을`, `보정하기` 만 있는 페이지).
        hits = search_via_box(browser, site, "편향 보정")
        assert hits and hits[0] == "book/t_bias.html", hits
        assert "book/t_other.html" in hits  # `편향 보정은` 이라고 지나가며 쓴 페이지도 (더 낮은 순위로)
        hits = search_via_box(browser, site, "옵티마이저")
        assert "book/t_optim.html" in hits[:2], hits
        hits = search_via_box(browser, site, "학습")  # `학습률을` 의 두 글자 조각
        assert "book/t_optim.html" in hits, hits
        hits = search_via_box(browser, site, "이동 평균")  # `지수이동평균을`
        assert "book/t_other.html" in hits, hits
        # 브라우저의 자바스크립트 어간 추출이 파이썬 것과 같은가 (색인과 검색어가 같은 규칙을 써야 찾는다)
        words = sorted({stem + suffix for stem in ("편향", "보정", "옵티마이저", "모멘텀", "정", "쪽", "adam", "x", "β₁")
                        for suffix in ("", *ext.SUFFIXES)}
                       | {"optimizers", "running", "Adam의", "편향을", "계산하는지", "옵티마이저들의", "정도는"})
        js = browser.execute_script("const s = new Stemmer(); return arguments[0].map(w => s.stemWord(w.toLowerCase()));", words)
        mismatch = [(w, j, ext.korean_stem(w)) for w, j in zip(words, js) if j != ext.korean_stem(w)]
        assert not mismatch, mismatch[:20]
        sample = "편향(bias)을 보정한 Adam의 m̂_t 는 β₁=0.9 에서, 옵티마이저들의 학습률·스텝 크기"
        js_split = browser.execute_script("return splitQuery(arguments[0])", sample)
        assert js_split == ext.SearchKorean({})._word_re.findall(sample)
    finally:
        site.close()


# ---------------------------------------------------------------------------------------------------
# 저장소의 실제 책
# ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_site_is_self_contained(real_site):
    bad = scan_site(real_site)
    assert not bad, "외부에서 불러오는 자원 (빌드가 오래되었으면 다시 빌드한다):\n" + "\n".join(bad)
    assert (real_site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert len(list((real_site / "_static" / "fonts").glob("AdamBookHangul-*.woff2"))) == 2
    # 웹폰트는 사이트에 나오는 모든 한글을 싣는다 (빌드할 때 원본에서 모은 글자 집합이 모자라지 않다).
    ext = _load_ext()
    chars = "".join(sorted({ch for p in (real_site / "_static" / "fonts").glob("AdamBookHangul-Regular.*.woff2")
                            for ch in _font_chars(p)}))
    assert not ext.check_font_coverage(real_site, chars), ext.check_font_coverage(real_site, chars)[:20]
    # 독자에게 쓸모없는 무게가 없다: 소스 맵, 1.49 MB 짜리 fontawesome.js 와 그것을 부르는 태그.
    assert not list((real_site / "_static").rglob("*.map"))
    assert not list((real_site / "_static").rglob("fontawesome.js"))
    pages = [p for p in real_site.rglob("*.html") if "_static" not in p.relative_to(real_site).parts]
    assert pages and not [p.name for p in pages if "fontawesome.js" in p.read_text(encoding="utf-8")]


def _font_chars(path: Path) -> set[str]:
    from fontTools.ttLib import TTFont

    return {chr(u) for u in TTFont(path).getBestCmap()}


def test_font_coverage_check_finds_a_missing_syllable(tmp_path):
    ext = _load_ext()
    (tmp_path / "_static").mkdir()
    (tmp_path / "a.html").write_text("<p>편향 보정</p>", encoding="utf-8")
    (tmp_path / "_static" / "translations.js").write_text('"검색"', encoding="utf-8")
    assert ext.check_font_coverage(tmp_path, "편향 보정검색") == []
    assert ext.check_font_coverage(tmp_path, "편향 보정") == ["검", "색"]


@pytest.mark.slow
def test_site_in_browser(real_site, browser):
    pages = [f"{p}.html" for p in toc_pages() if (real_site / f"{p}.html").is_file()]
    assert pages, "빌드된 목차 페이지가 없다"
    site = Site(real_site)
    try:
        check_pages(browser, site, pages)
        # `편향 보정` 은 편향 보정 장을 맨 위에 찾는다.
        hits = search_via_box(browser, site, "편향 보정", start=pages[0])
        assert hits and hits[0] == "book/ch07_bias_correction.html", hits
        hits = search_via_box(browser, site, "옵티마이저", start=pages[0])
        assert "book/ch01_introduction.html" in hits, f"`옵티마이저` 검색 결과에 소개 장이 없다: {hits}"
        # 스크린숏: Adam 장
        target = "book/ch06_adam.html"
        check_page(browser, site, target)
        # 제목과 첫 번째 가운데 수식이 함께 보이도록 창을 세로로 늘린다 (최대 3000 px).
        bottom = browser.execute_script(
            "const m = document.querySelector('mjx-container[display=\"true\"]');"
            "return m ? m.getBoundingClientRect().bottom + window.scrollY : 0")
        size = browser.get_window_size()
        browser.set_window_size(size["width"], int(min(max(size["height"], bottom + 200), 3000)))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "adam.png"))
        browser.set_window_size(size["width"], size["height"])
        assert (SCREENSHOTS / "adam.png").stat().st_size > 10_000
    finally:
        site.close()



#: 페이지에서 옆으로 삐져나간 것(스스로 스크롤하지 않는 상자 안에서 화면 오른쪽 밖으로 나간 요소)과, 셀 출력 표의
#: 글자와 그 뒤 바탕의 대비(WCAG 2 의 명암비). 바탕은 투명하지 않은 첫 조상의 색이다.
_PHONE_PAGE = """
const art = document.querySelector(".bd-article") || document.body;
const vw = document.documentElement.clientWidth;
const overflow = [];
for (const e of art.querySelectorAll("*")) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.right <= vw + 1) continue;
  let clipped = false;
  for (let p = e.parentElement; p && p !== art; p = p.parentElement)
    if (getComputedStyle(p).overflowX !== "visible") { clipped = true; break; }
  if (!clipped) overflow.push(e.tagName + ": " + (e.textContent || "").trim().slice(0, 40));
}
const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const background = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                          if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
const contrast = [];
for (const e of document.querySelectorAll(".cell_output table td, .cell_output table th, .cell_output table code, figcaption")) {
  const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
  contrast.push({text: e.textContent.trim().slice(0, 30), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
}
const p = art.querySelector("p");
return {scrollWidth: document.documentElement.scrollWidth, vw, overflow: overflow.slice(0, 5), contrast,
        theme: document.documentElement.dataset.theme, wordBreak: p ? getComputedStyle(p).wordBreak : null};
"""

#: 본문 글자의 최소 명암비 (WCAG 2.1 AA, 1.4.3: 보통 크기 글자 4.5:1).
MIN_CONTRAST = 4.5


@pytest.mark.slow
def test_site_on_a_phone_in_dark_mode(real_site, browser):
    """390 px 휴대폰, 어두운 모드: 어느 페이지도 옆으로 밀리지 않고, 셀 출력 표와 그림 설명이 읽히며, 한국어는 어절 단위로 줄을 바꾼다."""
    pages = [f"{p}.html" for p in toc_pages() if (real_site / f"{p}.html").is_file()]
    site = Site(real_site)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        problems, tables = [], 0
        for path in pages:
            check_page(browser, site, path)
            info = browser.execute_script(_PHONE_PAGE)
            assert info["theme"] == "dark", f"{path}: 어두운 모드가 켜지지 않았다 ({info['theme']})"
            assert info["wordBreak"] == "keep-all", f"{path}: 문단의 word-break 가 {info['wordBreak']}"
            if info["scrollWidth"] > info["vw"] + 1 or info["overflow"]:
                problems.append(f"{path}: 페이지 폭 {info['scrollWidth']} px > {info['vw']} px, 삐져나간 것 {info['overflow']}")
            low = [c for c in info["contrast"] if c["ratio"] < MIN_CONTRAST]
            tables += len(info["contrast"])
            problems += [f"{path}: 명암비 {c['ratio']:.2f} < {MIN_CONTRAST} ({c['text']!r})" for c in low[:3]]
        assert not problems, "\n".join(problems)
        assert tables > 0, "셀 출력 표나 그림 설명을 하나도 재지 못했다"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        site.close()



#: 빈 캐시로 연 6장(그림 넷, 수식 150 여 개) 페이지가 내려받는 바이트의 상한 (압축 전). 지금의 내역은 대략
#: MathJax tex-chtml.js 1.16 MB, 테마 CSS 0.40 MB, 한글 웹폰트 2 x 0.14 MB, Font Awesome 웹폰트 0.27 MB,
#: 그림 0.3 MB, 검색 색인 0.16 MB, 페이지 0.18 MB 로 약 3.2 MB 다 (이 일을 하기 전에는 5.96 MB). 상한은 그보다
#: 10% 남짓 위로 두어, 무거운 것(전체 한글 글꼴, fontawesome.js, 소스 맵)이 돌아오면 실패하게 한다.
PAGE_WEIGHT_LIMIT = 3_500_000

_PAGE_WEIGHT = """
const done = arguments[arguments.length - 1];
const settle = () => new Promise(r => setTimeout(r, 500));
(async () => {
  await document.fonts.ready; await settle();
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource");
  const icon = document.querySelector("i.fa-solid, i.fas");
  done({total: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0), requests: res.length + 1,
        biggest: res.map(r => [r.name.split("/").pop(), r.decodedBodySize]).sort((a, b) => b[1] - a[1]).slice(0, 5),
        iconFont: icon ? getComputedStyle(icon, "::before").fontFamily : null,
        iconGlyph: icon ? getComputedStyle(icon, "::before").content : null,
        iconFontLoaded: document.fonts.check('900 16px "Font Awesome 6 Free"', "\\uf062")});
})();
"""


@pytest.mark.slow
def test_page_weight_and_icons(real_site, browser):
    site = Site(real_site)
    try:
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        check_page(browser, site, "book/ch06_adam.html")
        info = browser.execute_async_script(_PAGE_WEIGHT)
        limit = PAGE_WEIGHT_LIMIT
        assert info["total"] <= limit, f"6장이 {info['total']:,} B 를 내려받는다 (상한 {limit:,}): {info['biggest']}"
        # fontawesome.js 없이도 아이콘은 테마 CSS 의 Font Awesome 웹폰트로 그려진다.
        assert "Font Awesome" in (info["iconFont"] or ""), info
        assert info["iconGlyph"] not in (None, "none", "normal", '""'), info
        assert info["iconFontLoaded"], info
    finally:
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
        site.close()


# ---------------------------------------------------------------------------------------------------
# 수식 메뉴에서 독자가 고른 설정
# ---------------------------------------------------------------------------------------------------

#: MathJax 3 의 메뉴는 독자의 선택을 이 localStorage 키에 JSON 으로 남기고, 다음 페이지부터 모든 페이지에 적용한다.
MENU_KEY = "MathJax-Menu-Settings"

_WAIT_MENU = """
const done = arguments[arguments.length - 1];
const limit = arguments[0];
const deadline = Date.now() + limit;  // 모든 기다림을 합쳐 limit 안에 (WebDriver 의 스크립트 한도보다 짧게)
(async () => {
  const started = await Promise.race([MathJax.startup.promise.then(() => true),
                                      new Promise(r => setTimeout(() => r(false), limit))]);
  // 메뉴 설정(렌더러 바꾸기, 탐색기)은 필요한 모듈을 내려받은 뒤 다시 조판한다: 모든 수식이 다시 그려질 때까지.
  const pending = () => [...document.querySelectorAll(".math")].filter(e => !e.querySelector("mjx-container"));
  while (pending().length && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
  const jax = [...document.querySelectorAll(".math mjx-container")].map(e => e.getAttribute("jax"));
  done({started, total: document.querySelectorAll(".math").length, untypeset: pending().length,
        jax: [...new Set(jax)], errors: document.querySelectorAll("mjx-merror").length,
        settings: localStorage.getItem(arguments[1])});
})().catch(e => done({error: String(e && e.message || e)}));
"""


@pytest.mark.slow
@pytest.mark.parametrize(("setting", "jax"), [({"renderer": "SVG"}, "SVG"), ({"explorer": True}, "CHTML"),
                                              ({"collapsible": True}, "CHTML")], ids=["svg", "explorer", "collapsible"])
def test_math_survives_reader_menu_settings(real_site, browser, setting, jax):
    """수식 메뉴에서 SVG 렌더러·탐색기·접을 수 있는 수식을 고른 독자에게도 모든 수식이 조판된다.

    예전에는 메뉴가 사이트에 없는 output/svg.js, input/mml.js, a11y/sre.js 를 불러오다 404 가 나서, 그 독자에게는
    모든 페이지의 수식이 TeX 그대로 남았다 (ch06: 153 개 중 0 개 조판).
    """
    page = "book/ch06_adam.html"
    site = Site(real_site)
    try:
        check_page(browser, site, page)
        browser.execute_script("localStorage.setItem(arguments[0], arguments[1])", MENU_KEY, json.dumps(setting))
        _open(browser, browser.refresh, site.base + page)
        info = browser.execute_async_script(_WAIT_MENU, PAGE_LIMIT_S * 1000, MENU_KEY)
        severe, requested = _drain_logs(browser)
        assert "error" not in info, info
        assert info["total"] > 100, info  # 이 장에는 수식이 많다: 빈 페이지를 보고 통과하지 않도록
        assert info["started"], f"{setting}: MathJax.startup.promise 가 {PAGE_LIMIT_S} s 안에 끝나지 않았다 {site.failures}"
        assert info["untypeset"] == 0 and info["errors"] == 0, f"{setting}: {info} {site.failures}"
        assert info["jax"] == [jax], info
        assert json.loads(info["settings"]) == setting  # 설정이 실제로 쓰였다
        assert not site.failures, f"{setting}: 사이트에 없는 파일을 요청했다 {site.failures}"
        assert not severe, "\n".join(severe)
        assert all(u.startswith((site.base, "data:", "blob:", "about:", "chrome")) for u in requested), requested
    finally:
        browser.execute_script("localStorage.removeItem(arguments[0])", MENU_KEY)
        site.close()


# ---------------------------------------------------------------------------------------------------
# 테마가 영어로 남긴 UI 글자
# ---------------------------------------------------------------------------------------------------

#: 한국어로 바꾸지 않는 UI 낱말: 고유 이름과 단축키.
UI_LATIN_OK = {"colab", "pdf", "ipynb", "md", "ctrl", "k", "github", "adam"}


def _ui_labels(html_text: str) -> list[str]:
    """본문(article) 밖의 UI 요소가 독자나 스크린 리더에게 보이는 이름: title, aria-label, placeholder, 버튼·링크의 글자."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    for part in soup.select("article, .bd-article, .bd-links, .bd-toc, .page-toc, .section-nav, .bd-sidebar-secondary, .math"):
        part.decompose()  # 본문, 목차 항목(장·절 제목), 수식은 책의 글이다
    labels = []
    for tag in soup.find_all(True):
        for attr in ("title", "aria-label", "placeholder", "data-bs-title"):
            if tag.get(attr):
                labels.append(tag[attr])
        if tag.name in {"button", "a", "label", "span"} and not tag.find(True):
            labels.append(tag.get_text(" ", strip=True))
    return [label for label in labels if label and not re.match(r"\d+(\.\d+)*\. ", label)]  # '5. RMSProp': 장 제목


def test_theme_ui_is_korean(real_site):
    """테마의 영어 UI 글자('Skip to main content', 'Toggle primary sidebar', 'Launch on Colab' ...)가 한국어다."""
    ext = _load_ext()
    pages = [p for p in real_site.rglob("*.html") if "_static" not in p.relative_to(real_site).parts]
    english = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        known = [msgid for msgid in ext.UI_KO if f">{msgid}<" in text or f'"{msgid}"' in text]
        known += [s for s in ("Toggle primary sidebar", "Toggle secondary sidebar", 'aria-label="Main"', 'aria-label="Page"') if s in text]
        generic = [label for label in _ui_labels(text)
                   if re.search(r"[A-Za-z]{2,}", label) and not HANGUL.search(label)
                   and not {w.lower() for w in re.findall(r"[A-Za-z]+", label)} <= UI_LATIN_OK]
        if known or generic:
            english[page.relative_to(real_site).as_posix()] = sorted(set(known + generic))
    assert not english, f"영어로 남은 UI 글자: {dict(list(english.items())[:4])}"


_VISIBLE_SEARCH = """
const visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && r.bottom > 0 && r.top < innerHeight; };
return [...document.querySelectorAll(".search-button-field, .search-button, form.bd-search")].filter(visible).length;
"""


@pytest.mark.slow
@pytest.mark.parametrize(("width", "mobile"), [(1400, False), (390, True)], ids=["desktop", "phone"])
def test_one_search_box(real_site, browser, width, mobile):
    """데스크톱에서 검색창이 둘(머리줄과 목차 위) 보였다. 어느 폭에서나 검색 입구는 하나다."""
    site = Site(real_site)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
    try:
        check_page(browser, site, "book/ch06_adam.html")
        counts = []
        # 테마의 스크립트가 사이드바와 머리줄을 배치한 뒤에 센다 (몇백 ms 걸릴 수 있다).
        _wait(lambda: counts.append(browser.execute_script(_VISIBLE_SEARCH)) or counts[-1] == 1, 10,
              lambda: f"보이는 검색 입구의 수: {counts[-5:]}")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        site.close()


def _snippets(driver) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll('#search-results ul.search li p.context')]"
                                 ".map(e => e.textContent)")


@pytest.mark.slow
def test_search_finds_what_students_type(real_site, browser):
    """학생이 치는 대로: 한글 이름(아담, 케라스, 파이토치), 띄어 쓰지 않은 용어(편향보정), 다른 표기(웜업).
    한 페이지는 한 번만 나오고, 요약은 TeX·역할·차례 조각 없는 본문 글이다."""
    site = Site(real_site)
    try:
        expect_first = {"케라스": "book/ch11_keras.html", "파이토치": "book/ch09_pytorch.html",
                        "편향보정": "book/ch07_bias_correction.html", "편향 보정": "book/ch07_bias_correction.html",
                        "지수이동평균": "book/ch03_ema.html"}
        results = {}
        for query in [*expect_first, "아담", "Adam", "웜업", "워밍업", "지수 이동 평균"]:
            hits = search_via_box(browser, site, query)
            assert hits, f"`{query}` 가 아무것도 찾지 못했다"
            assert len(hits) == len(set(hits)), f"`{query}`: 같은 페이지가 두 번 나온다 {hits}"
            for text in _snippets(browser):
                bad = [t for t in ("\\(", "\\)", "\\frac", ":math:", "{doc}", "{cite", ".ipynb", "$$") if t in text]
                assert not bad, f"`{query}` 의 요약에 {bad}: {text[:200]!r}"
            results[query] = hits
        for query, page in expect_first.items():
            assert results[query][0] == page, f"`{query}` 의 첫 결과: {results[query][:3]}"
        assert results["아담"] == results["Adam"], (results["아담"][:4], results["Adam"][:4])
        assert results["웜업"] == results["워밍업"]
    finally:
        site.close()
