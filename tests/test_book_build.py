"""책이 경고 없이 빌드되는지 확인한다: ``jupyter-book build -W -n --keep-going``.

노트북은 여기서 다시 실행하지 않고 저장된 출력으로 빌드한다. 저장된 출력이 새 실행의 출력과 같다는 것은
같은 테스트 실행의 nbval 이 셀마다 확인한다 (book/*.ipynb). 그래서 이 빌드가 보는 페이지는 새로 실행해
빌드한 페이지와 같다. (`make book` 은 노트북을 새로 실행해 빌드한다.)
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from booktoc import toc_entries

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_book_builds_without_warnings(tmp_path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    # Jupyter Book 은 local_extensions 의 경로를 설정 파일이 있는 곳을 기준으로 푼다: 임시 설정에서는 절대 경로로.
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"].get("local_extensions", {}).items()
    }
    cfg = tmp_path / "_config.yml"
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--config", str(cfg), "--all", "-W", "-n", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    log = proc.stdout + proc.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert proc.returncode == 0 and not warnings, "\n".join(warnings) or log[-3000:]
    html = ROOT / "_build" / "html"
    for page in toc_entries():
        assert (html / f"{page}.html").exists(), f"{page}.html 이 빌드되지 않았다"
    # 연습문제 풀이의 nbgrader 표시 (### BEGIN SOLUTION) 는 사이트에 보이지 않는다 (book/_ext/adambook_site.py).
    shown = [p.name for p in html.rglob("*.html") if "BEGIN SOLUTION" in p.read_text(encoding="utf-8")]
    assert not shown, f"풀이 표시가 보이는 페이지: {shown}"
    # 한국어 꼬리말: 지은이와 저작권 줄 (테마의 'By' 번역 "으로 ..." 를 book/_ext/templates/author.html 이 바꾼다).
    page = (html / "book" / "ch06_adam.html").read_text(encoding="utf-8")
    assert "지은이: 「Adam 옵티마이저」 집필진" in page and "2026, 「Adam 옵티마이저」 집필진" in page
    assert '<html lang="ko"' in page
