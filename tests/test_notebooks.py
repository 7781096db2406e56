"""책의 노트북이 실행된 채로, 출력과 함께 커밋되었는지 확인한다.

nbval 은 저장된 출력과 새 실행의 출력을 비교한다. 출력이 비어 있는 노트북은 비교할 것이 없어 그냥
통과하므로, 여기서 따로 막는다: 모든 코드 셀이 위에서 아래로 한 번에 실행되었고(실행 번호 1, 2, 3, ...),
노트북마다 출력이 있어야 한다.
"""

import json
from pathlib import Path

import pytest
from booktoc import toc_entries

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def test_every_toc_entry_exists_and_every_notebook_is_in_the_toc():
    toc = toc_entries()
    for entry in toc:
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".md", ".ipynb")), f"{entry} 가 없다"
    for nb in NOTEBOOKS:
        assert str(nb.relative_to(ROOT).with_suffix("")) in toc, f"{nb.name} 가 _toc.yml 에 없다"


def test_there_are_notebooks():
    assert NOTEBOOKS, "book/ 에 노트북이 없다"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_with_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code, f"{path.name}: 코드 셀이 없다"
    counts = [c.get("execution_count") for c in code]
    assert None not in counts, f"{path.name}: 실행되지 않은 코드 셀이 있다 (execution_count=None)"
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: 위에서 아래로 한 번에 실행되지 않았다 (실행 번호 {counts})"
    )
    n_outputs = sum(len(c.get("outputs", [])) for c in code)
    assert n_outputs >= len(code) // 2, f"{path.name}: 코드 셀 {len(code)}개에 출력이 {n_outputs}개뿐이다"
    for i, cell in enumerate(code):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"{path.name} 셀 {i}: stderr 출력 (경고?): {''.join(out['text'])[:200]}"
            )
            if out["output_type"] == "error":
                assert "raises-exception" in tags, f"{path.name} 셀 {i}: 예상하지 않은 예외 {out['ename']}"


def test_landing_page_maps_every_chapter_and_leaves_developer_commands_to_the_readme():
    """첫 페이지는 독자를 위한 것이다: 장 지도가 목차의 모든 장을 한 줄씩 잇고, make 명령은 README 에 둔다."""
    import re

    intro_entry, *pages = toc_entries()
    text = (ROOT / f"{intro_entry}.md").read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| {doc}")]
    mapped = [re.match(r"\| \{doc\}`([^`]+)`", line).group(1) for line in table]
    chapters = [p.split("/")[-1] for p in pages if (ROOT / f"{p}.ipynb").exists()]
    assert mapped == chapters, f"장 지도와 목차가 다르다: 지도 {mapped}, 목차 {chapters}"
    assert all(line.count("|") == 3 and line.split("|")[2].strip() for line in table), "장마다 한 줄 설명이 있어야 한다"
    for heading in ("이 책에서 배우는 것", "먼저 알면 좋은 것", "읽는 길 세 가지", "장 지도"):
        assert f"## {heading}" in text, heading
    assert "make " not in text, "개발자 명령은 README 에 둔다"
