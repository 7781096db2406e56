"""책 전체를 PDF 한 권으로: ``make pdf`` (= ``python scripts/make_pdf.py``).

왜 Chromium 인쇄인가
-------------------
LaTeX(xelatex) 경로는 한글 글꼴과 kotex 를 데비안 패키지로 더 깔아야 하고, MyST 의 연습문제·알고리즘 상자와
노트북 출력(HTML 표)을 LaTeX 로 다시 그리는 확장마다 따로 손봐야 한다. 이 책은 사이트가 이미 한글 웹폰트와
MathJax 를 스스로 싣고 있으므로, 한 페이지짜리 빌드(``jupyter-book build --builder singlehtml``)를 사이트와 같은
Chromium 으로 열어 수식 조판과 글꼴이 끝난 뒤 인쇄하면, 독자가 화면에서 보는 것과 같은 책이 나온다. 글꼴은
Chromium 이 PDF 에 심는다(부분 집합). 필요한 것은 ``make test`` 가 이미 쓰는 데비안 ``chromium``,
``chromium-driver`` 와 requirements.txt 의 selenium 뿐이다.

하는 일
-------
1. 한 페이지짜리 책을 ``_build/singlehtml`` 에 빌드한다 (``-W -n``). 노트북은 다시 실행하지 않고 저장된 출력을
   쓴다: 저장된 출력이 새 실행과 같다는 것은 ``make test`` 의 nbval 이 셀마다 확인한다 (tests/test_book_build.py 와 같다).
   그 폴더를 127.0.0.1 의 빈 포트에서 띄운다.
2. 헤드리스 Chromium 으로 그 페이지(``book/intro.html`` 을 루트에 둔 것)를 열고, 밝은 화면으로 고정한 뒤, MathJax 조판과 웹폰트를 기다린다.
3. ``Page.printToPDF`` (A4, 쪽 번호) 로 ``_build/pdf/adam-optimizer.pdf`` 를 쓴다.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: 수식 조판과 글꼴을 기다리는 한도 (초). 책 전체의 수식 1000 여 개를 2 코어에서 조판하는 데 약 20 s 걸린다.
TYPESET_LIMIT_S = 180

_WAIT = """
const done = arguments[arguments.length - 1];
(async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await document.fonts.ready;
  const pending = [...document.querySelectorAll(".math")].filter(e => !e.querySelector("mjx-container")).length;
  done({pending, errors: document.querySelectorAll("mjx-merror").length, math: document.querySelectorAll(".math").length,
        images: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length});
})().catch(e => done({error: String(e)}));
"""

#: 인쇄할 때만: 사이트의 탐색 요소를 빼고 본문을 종이 폭에 맞춘다.
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
.bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area, .bd-footer,
.bd-footer-article, .headerlink, #pst-back-to-top, .skip-link, .search-button__wrapper, .copybtn { display: none !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
h1.adambook-new-chapter { break-before: page; }
figure, img, table, div.math, .admonition { break-inside: avoid; }
pre, .highlight pre { white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important; }
div.cell_output div.output, .bd-article div.math { overflow: visible !important; background-image: none !important; }
details.dropdown, .toggle-details { display: block !important; }
"""


def build_singlehtml(out: Path) -> None:
    """저장된 출력으로 한 페이지짜리 책을 ``out`` 에 빌드한다. 경고가 하나라도 있으면 멈춘다."""
    import subprocess

    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"].get("local_extensions", {}).items()}
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "_config.yml"
        cfg.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        jb = Path(sys.executable).with_name("jupyter-book")
        proc = subprocess.run([str(jb), "build", str(ROOT), "--config", str(cfg), "--builder", "custom",
                               "--custom-builder", "singlehtml", "--path-output", str(out), "--all", "-W", "-n",
                               "--keep-going"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    log = proc.stdout + proc.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    if proc.returncode or warnings:
        raise SystemExit("make_pdf: 한 페이지짜리 빌드가 실패했다\n" + ("\n".join(warnings) or log[-3000:]))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(site: Path, out: Path) -> dict:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        raise SystemExit("make_pdf: Chromium 이 없다: `apt-get install -y chromium chromium-driver` (make test 가 설치한다)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    profile = tempfile.mkdtemp(prefix="adambook-pdf-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", f"--user-data-dir={profile}",
                 "--window-size=1000,1400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(TYPESET_LIMIT_S)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
        # singlehtml 은 루트 문서(book/intro)의 자리에 페이지를 쓰지만, 자원 주소(_static/, _images/)는 빌드 폴더의
        # 루트를 기준으로 적는다. 그래서 같은 페이지를 루트에 두고 연다.
        (site / "adam-optimizer.html").write_bytes((site / "book" / "intro.html").read_bytes())
        driver.get(base + "adam-optimizer.html")
        driver.execute_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');"
                              "document.documentElement.dataset.mode = 'light'; document.documentElement.dataset.theme = 'light';")
        start = time.monotonic()
        info = driver.execute_async_script(_WAIT)
        info["typeset_s"] = round(time.monotonic() - start, 1)
        if "error" in info or info["pending"] or info["errors"] or info["images"]:
            raise SystemExit(f"make_pdf: 페이지가 다 그려지지 않았다: {info}")
        driver.execute_script("const s = document.createElement('style'); s.textContent = arguments[0];"
                              "document.head.appendChild(s);"
                              # 장(h1)마다 새 쪽에서: 첫 장 앞에 빈 쪽이 생기지 않게 첫 h1 은 빼고
                              "[...document.querySelectorAll('article h1')].slice(1)"
                              ".forEach(h => h.classList.add('adambook-new-chapter'));", PRINT_CSS)
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {
            "printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": True,
            "headerTemplate": "<span></span>",
            "footerTemplate": '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                              '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        })
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(pdf["data"]))
        return info
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build" / "pdf-build", help="한 페이지짜리 빌드의 폴더")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "adam-optimizer.pdf")
    args = parser.parse_args(argv)
    start = time.monotonic()
    build_singlehtml(args.build)
    site = args.build / "_build" / "singlehtml"
    if not (site / "book" / "intro.html").is_file():
        print(f"make_pdf: {site}/book/intro.html 이 없다", file=sys.stderr)
        return 2
    info = print_pdf(site, args.out)
    print(f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB, 수식 {info['math']} 개, "
          f"{time.monotonic() - start:.0f} s) 를 썼다.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
