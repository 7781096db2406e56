"""책의 노트북에서 수업용 노트북을 만든다: ``make classroom`` (= ``python scripts/make_classroom.py``).

왜 nbgrader 인가
----------------
풀이 셀은 이미 nbgrader 의 표시(``### BEGIN SOLUTION`` / ``### END SOLUTION``)로 감싸여 있다. nbgrader 의
``ClearSolutions`` 전처리기는 gradebook 없이 nbconvert 만으로 돌고, JupyterHub 에서 nbgrader 를 쓰는
강사는 만들어진 ``source/`` 를 그대로 과제 원본으로 쓴다. otter-grader 의 assign 형식은 셀을 그 형식의
질문·테스트 블록으로 다시 짜야 해서, 책과 수업이 같은 원본을 쓰기 어렵다.

만드는 것 (``classroom/``, 매번 새로, 같은 입력이면 바이트까지 같은 파일)
---------------------------------------------------------------------
- ``source/<장>/<장>.ipynb``: nbgrader 과제 원본. 출력을 지우고, 풀이 코드 셀과 풀이 설명 셀에 nbgrader
  메타데이터(solution), 확인 셀에 읽기 전용(locked) 메타데이터를 단다. 강사는
  ``nbgrader generate_assignment <장>`` 으로 학생용을 만들 수 있다.
- ``student/<장>.ipynb``: 바로 나눠 줄 학생용. 출력을 지우고(ClearOutput), 풀이 코드를
  ``# YOUR CODE HERE`` 로, 풀이 설명(``{solution-start}`` 과 ``{solution-end}`` 사이의 마크다운)을
  ``YOUR ANSWER HERE`` 로 바꾼다(ClearSolutions: nbgrader 의 generate_assignment 와 같은 결과).
  MyST 의 ``{exercise}`` 블록은 Jupyter 에서 읽기 좋게 제목과 본문으로 푼다.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml
from nbgrader.preprocessors import ClearOutput, ClearSolutions

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG, CHECK_TAG = "solution", "check"
EXERCISE = re.compile(r"^```\{exercise\}\s*(?P<title>.*?)\n(?P<options>(?::[^\n]*\n)*)(?P<body>.*?)\n?```\s*$", re.S)


def chapters(root: Path = ROOT) -> list[Path]:
    """_toc.yml 순서의 장 노트북."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def _is_directive(cell, name: str) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith(f"```{{{name}}}")


def instructor_source(nb, chapter: str):
    """nbgrader 과제 원본: 출력 없음, 풀이 셀은 solution, 확인 셀은 locked."""
    nb = nbformat.from_dict(nb)
    counter, in_solution = 0, False
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
        if _is_directive(cell, "solution-start") or _is_directive(cell, "solution-end"):
            in_solution = _is_directive(cell, "solution-start")
            continue
        if cell.cell_type == "markdown":
            if in_solution:  # 풀이의 설명 글: nbgrader 의 서술형 답 칸 ("YOUR ANSWER HERE", 강사가 손으로 채점, 1점)
                counter += 1
                cell.metadata["nbgrader"] = {"grade": True, "grade_id": f"{chapter}-answer-{counter}", "locked": False,
                                             "points": 1, "schema_version": 3, "solution": True, "task": False}
            continue
        tags = cell.metadata.get("tags", [])
        if SOLUTION_TAG in tags:
            counter += 1
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": f"{chapter}-solution-{counter}", "locked": False,
                                         "schema_version": 3, "solution": True, "task": False}
        elif CHECK_TAG in tags:
            counter += 1
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": f"{chapter}-check-{counter}", "locked": True,
                                         "schema_version": 3, "solution": False, "task": False}
    nb, _ = ClearOutput().preprocess(nb, {})
    return nb


def student_version(source_nb):
    """학생용: nbgrader 의 ClearSolutions 가 풀이 코드와 설명을 빈칸으로 바꾼 것에서 MyST 전용 셀을 정리한다."""
    nb = nbformat.from_dict(source_nb)
    nb, _ = ClearSolutions().preprocess(nb, {})
    cells = []
    for cell in nb.cells:
        if _is_directive(cell, "solution-start") or _is_directive(cell, "solution-end"):
            continue  # 사이트에서 풀이를 접어 두는 표시일 뿐이다
        if _is_directive(cell, "exercise"):
            match = EXERCISE.match(cell.source.strip())
            if match:
                cell.source = f"### 연습문제: {match['title'].strip()}\n\n{match['body'].strip()}"
        if cell.cell_type == "code":
            cell.metadata.pop("nbgrader", None)
        cells.append(cell)
    nb.cells = cells
    return nb


def build(out: Path, root: Path = ROOT) -> list[Path]:
    """``out`` 을 지우고 다시 만든다. 쓴 파일 목록을 돌려준다."""
    if out.exists():
        shutil.rmtree(out)
    written = []
    for path in chapters(root):
        chapter = path.stem
        nb = nbformat.read(path, as_version=4)
        source = instructor_source(nb, chapter)
        student = student_version(source)
        for target, book in ((out / "source" / chapter / f"{chapter}.ipynb", source),
                             (out / "student" / f"{chapter}.ipynb", student)):
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.validate(book)
            nbformat.write(book, target)
            written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "classroom", help="출력 폴더 (기본: classroom/)")
    args = parser.parse_args(argv)
    written = build(args.out)
    print(f"{len(written)} 개의 노트북을 {args.out} 에 썼다 (source/: nbgrader 원본, student/: 학생용).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
