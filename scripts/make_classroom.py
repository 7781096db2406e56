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
  한국어 빈칸(:data:`CODE_STUB`)으로, 풀이 설명(``{solution-start}`` 과 ``{solution-end}`` 사이의 마크다운)을
  :data:`TEXT_STUB` 으로 바꾼다(ClearSolutions: nbgrader 의 generate_assignment 와 같은 결과). 빈 풀이 셀은
  어느 연습문제를 채워야 하는지 말하는 ``NotImplementedError`` 로 멈춘다.
- ``nbgrader_config.py``: 강사가 ``nbgrader generate_assignment`` 로 만들어도 같은 한국어 빈칸이 들어가게 한다.
  MyST 의 ``{exercise}`` 블록은 Jupyter 에서 읽기 좋게 제목과 본문으로 푼다.

출력 폴더를 지키는 규칙
----------------------
출력 폴더에는 강사의 파일(nbgrader 의 ``gradebook.db``, 성적표 ``grades.csv`` ...)이 함께 있을 수 있다. 그래서
폴더를 통째로 지우지 않는다. 이 스크립트는 자기가 쓴 파일과 그 해시를 ``.make_classroom.json`` 표시 파일에 적고,
다시 만들 때는 거기 적힌 파일만 지우고 새로 쓴다. 표시 파일이 없는데 비어 있지 않은 폴더에는 쓰지 않고, 쓴 뒤에
누가 고친 파일이 있으면 ``--force`` 없이는 덮어쓰지 않는다. 둘 다 무엇이 문제인지 말하고 아무것도 바꾸지 않는다.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
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


#: 풀이 자리의 한국어 빈칸. nbgrader 의 기본값("YOUR CODE HERE", "YOUR ANSWER HERE")을 바꾼다. 강사가
#: ``nbgrader generate_assignment`` 로 만들 때도 같도록 출력 폴더의 ``nbgrader_config.py`` 에 같은 값을 적는다.
CODE_STUB = "# 여기에 풀이 코드를 쓴다.\nraise NotImplementedError()"
TEXT_STUB = "여기에 답을 쓴다."
NBGRADER_CONFIG = f"""# scripts/make_classroom.py 가 만든 파일: nbgrader 가 풀이 자리에 넣는 빈칸을 한국어로 한다.
c = get_config()  # noqa: F821
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = {TEXT_STUB!r}
"""


def _stop_message(title: str) -> str:
    """Run All 이 빈 풀이 셀에서 멈출 때의 한국어 안내: 어느 연습문제를 채워야 하는지 말한다."""
    return f"raise NotImplementedError({f'연습문제 「{title}」의 풀이를 이 셀에 쓰고, 이 줄을 지운 뒤 다시 실행한다.'!r})"


def student_version(source_nb):
    """학생용: nbgrader 의 ClearSolutions 가 풀이 코드와 설명을 빈칸으로 바꾼 것에서 MyST 전용 셀을 정리한다.

    빈 풀이 셀은 ``NotImplementedError`` 로 멈추되, 메시지가 어느 연습문제의 풀이를 채워야 하는지 한국어로 말한다.
    """
    nb = nbformat.from_dict(source_nb)
    nb, _ = ClearSolutions(code_stub={"python": CODE_STUB}, text_stub=TEXT_STUB).preprocess(nb, {})
    cells, title = [], None
    for cell in nb.cells:
        if _is_directive(cell, "solution-start") or _is_directive(cell, "solution-end"):
            continue  # 사이트에서 풀이를 접어 두는 표시일 뿐이다
        if _is_directive(cell, "exercise"):
            match = EXERCISE.match(cell.source.strip())
            if match:
                title = match["title"].strip()
                cell.source = f"### 연습문제: {title}\n\n{match['body'].strip()}"
        if cell.cell_type == "code":
            cell.metadata.pop("nbgrader", None)
            if title and cell.source.rstrip().endswith(CODE_STUB):
                cell.source = cell.source.rstrip()[: -len("raise NotImplementedError()")] + _stop_message(title)
        cells.append(cell)
    nb.cells = cells
    return nb


#: 출력 폴더 안의 표시 파일: 이 스크립트가 쓴 파일(상대 경로)과 그 sha256.
MARKER = ".make_classroom.json"


class ClassroomError(Exception):
    """출력 폴더를 건드리지 않고 멈춘 까닭."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _previous_files(out: Path, force: bool) -> list[Path]:
    """지난번에 쓴 파일들. 표시 파일이 없는 비어 있지 않은 폴더, 또는 그 뒤에 고친 파일이 있으면 ClassroomError."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise ClassroomError(f"--out {out} 은 폴더가 아니다")
    marker = out / MARKER
    if not marker.is_file():
        if any(out.iterdir()):
            raise ClassroomError(
                f"{out} 은 비어 있지 않은데 이 스크립트가 만든 폴더가 아니다 (표시 파일 {MARKER} 이 없다). "
                "그 안의 파일을 지우지 않도록 멈춘다: 빈 폴더나 새 폴더를 --out 으로 준다.")
        return []
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as err:
        raise ClassroomError(f"{marker} 을 읽을 수 없다 ({err}): 고치거나 지운 뒤 빈 폴더로 다시 만든다") from err
    changed = [rel for rel, digest in sorted(recorded.items())
               if (out / rel).is_file() and _sha256(out / rel) != digest]
    if changed and not force:
        raise ClassroomError(
            f"{out} 에서 만든 뒤에 고친 파일이 있다: {', '.join(changed)}. "
            "덮어쓰지 않도록 멈춘다: 옮겨 두거나, 버려도 되면 --force 로 다시 만든다.")
    return [out / rel for rel in recorded]


def build(out: Path, root: Path = ROOT, force: bool = False) -> list[Path]:
    """``out`` 에 수업용 노트북을 새로 쓴다. 쓴 파일 목록을 돌려준다.

    지난번에 이 스크립트가 쓴 파일만 지운다(표시 파일 :data:`MARKER`). 강사가 더한 파일은 그대로 둔다.
    """
    out = Path(out)
    old = _previous_files(out, force)
    books = []
    for path in chapters(root):
        chapter = path.stem
        nb = nbformat.read(path, as_version=4)
        source = instructor_source(nb, chapter)
        student = student_version(source)
        for book in (source, student):
            nbformat.validate(book)
        books += [(out / "source" / chapter / f"{chapter}.ipynb", source), (out / "student" / f"{chapter}.ipynb", student)]
    # 모든 노트북을 만든 뒤에만 폴더를 바꾼다.
    for path in old:
        path.unlink(missing_ok=True)
    for directory in sorted({p.parent for p in old}, key=lambda d: -len(d.parts)):
        while directory != out and directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent
    written = []
    for target, book in books:
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(book, target)
        written.append(target)
    config = out / "nbgrader_config.py"
    config.write_text(NBGRADER_CONFIG, encoding="utf-8")
    written.append(config)
    files = {p.relative_to(out).as_posix(): _sha256(p) for p in written}
    (out / MARKER).write_text(json.dumps({"generator": "scripts/make_classroom.py", "files": files}, indent=1,
                                         sort_keys=True) + "\n", encoding="utf-8")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "classroom", help="출력 폴더 (기본: classroom/)")
    parser.add_argument("--force", action="store_true", help="만든 뒤에 고친 수업용 노트북도 덮어쓴다")
    args = parser.parse_args(argv)
    try:
        written = build(args.out, force=args.force)
    except ClassroomError as err:
        print(f"make_classroom: {err}", file=sys.stderr)
        return 2
    notebooks = sum(p.suffix == ".ipynb" for p in written)
    print(f"{notebooks} 개의 노트북을 {args.out} 에 썼다 (source/: nbgrader 원본, student/: 학생용, nbgrader_config.py).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
