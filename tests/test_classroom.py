"""수업용 노트북 (scripts/make_classroom.py): 결정적이고, 풀이가 새지 않고, nbgrader 가 원본으로 받아들인다."""

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_classroom  # noqa: E402


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom")
    make_classroom.build(out)
    return out


def _sources(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return nb, ["".join(c["source"]) for c in nb["cells"]]


def test_regenerates_identically(classroom, tmp_path):
    again = tmp_path / "again"
    make_classroom.build(again)
    cmp = filecmp.dircmp(classroom, again)

    def same(c):
        assert not c.left_only and not c.right_only and not c.diff_files and not c.funny_files, c.report()
        for sub in c.subdirs.values():
            same(sub)

    same(cmp)
    files = sorted(p.relative_to(classroom) for p in classroom.rglob("*.ipynb"))
    assert len(files) == 2 * len(make_classroom.chapters())
    for rel in files:
        assert (classroom / rel).read_bytes() == (again / rel).read_bytes()


def _norm(line):
    """줄 끝의 주석과 공백을 떼고 공백을 하나로: 같은 코드에 주석만 다른 줄은 같은 줄이다."""
    code = line.split("  #")[0] if not line.lstrip().startswith("#") else line
    return " ".join(code.split())


def _solution_lines(book_nb):
    """책 노트북의 풀이 줄 가운데, 풀이가 아닌 셀에는 나오지 않는 줄."""
    solution, elsewhere, in_solution = set(), set(), False
    for cell in book_nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and src.lstrip().startswith("```{solution-start}"):
            in_solution = True
            continue
        if cell["cell_type"] == "markdown" and src.lstrip().startswith("```{solution-end}"):
            in_solution = False
            continue
        lines = {_norm(line) for line in src.splitlines() if len(_norm(line)) >= 12}
        is_solution = in_solution and (cell["cell_type"] == "markdown" or "solution" in cell["metadata"].get("tags", []))
        (solution if is_solution else elsewhere).update(lines)
    return solution - elsewhere - {"### BEGIN SOLUTION", "### END SOLUTION"}


def test_no_solution_text_in_the_student_set(classroom):
    checked = 0
    for book in make_classroom.chapters():
        book_nb, _ = _sources(book)
        secret = _solution_lines(book_nb)
        _, cells = _sources(classroom / "student" / book.name)
        text = "\n".join(cells)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text and "{solution-start}" not in text
        student_lines = {_norm(line) for line in text.splitlines()}
        # 풀이의 한 줄(주석을 뗀 코드, 또는 설명 글의 한 줄)이 학생용 어느 줄과 같으면 샌 것이다.
        leaked = [line for line in secret if line in student_lines]
        assert not leaked, f"{book.name}: 풀이가 학생용에 남았다: {leaked[:3]}"
        checked += len(secret)
    assert checked > 500, "풀이 줄을 거의 찾지 못했다: 검사가 아무것도 보지 않는다"


def test_student_set_has_stubs_checks_and_no_outputs(classroom):
    nb, cells = _sources(classroom / "student" / "ch06_adam.ipynb")
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb["cells"] if c["cell_type"] == "code")
    stops = [s for s in cells if "raise NotImplementedError(" in s]
    assert len(stops) == 4  # 6장 연습문제 4 개
    assert all(s.startswith("# 여기에 풀이 코드를 쓴다.") and "연습문제 「" in s for s in stops), stops
    assert sum(s == "여기에 답을 쓴다." for s in cells) >= 1
    assert any("check_adam_steps(answer" in s for s in cells)
    assert any(s.startswith("### 연습문제: 두 스텝을 손으로") for s in cells)
    everything = "\n".join("".join(c["source"]) for p in (classroom / "student").glob("*.ipynb")
                           for c in json.loads(p.read_text(encoding="utf-8"))["cells"])
    assert "YOUR CODE HERE" not in everything and "YOUR ANSWER HERE" not in everything


def test_run_all_on_a_blank_student_notebook_names_the_exercise(classroom, tmp_path):
    """학생이 아무것도 채우지 않고 Run All 을 누르면 첫 연습문제의 빈 풀이 셀에서, 그 연습문제를 한국어로 짚으며 멈춘다."""
    import nbclient
    import nbformat

    path = classroom / "student" / "ch07_bias_correction.ipynb"
    nb = nbformat.read(path, as_version=4)
    first = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("### 연습문제: "))
    title = first.splitlines()[0].removeprefix("### 연습문제: ")
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(nbclient.exceptions.CellExecutionError) as err:
        client.execute()
    assert err.value.ename == "NotImplementedError"
    assert f"연습문제 「{title}」의 풀이를 이 셀에 쓰고" in err.value.evalue, err.value.evalue


@pytest.mark.parametrize("chapter", ["ch06_adam", "ch09_pytorch"])
def test_nbgrader_accepts_the_instructor_source(classroom, tmp_path, chapter):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(classroom / "source" / chapter), str(course / "source")], check=True)
    subprocess.run(["cp", str(classroom / "nbgrader_config.py"), str(course)], check=True)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}  # nbgrader 는 alembic 을 PATH 에서 찾는다
    proc = subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", chapter, f"--CourseDirectory.root={course}"],
                          capture_output=True, text=True, cwd=course, env=env, timeout=120)
    assert proc.returncode == 0 and "ERROR" not in proc.stderr, proc.stderr[-2000:]
    _, cells = _sources(course / "release" / chapter / f"{chapter}.ipynb")
    student, _ = _sources(classroom / "student" / f"{chapter}.ipynb")
    # 강사가 만든 학생용에도 같은 한국어 빈칸이 같은 수만큼 들어간다 (nbgrader_config.py).
    code = [s for s in cells if "raise NotImplementedError(" in s]
    assert code and all(s.startswith("# 여기에 풀이 코드를 쓴다.") for s in code), code[:2]
    assert len(code) == sum("raise NotImplementedError(" in "".join(c["source"]) for c in student["cells"])
    assert "YOUR ANSWER HERE" not in "\n".join(cells)


# ---------------------------------------------------------------------------------------------------
# 출력 폴더의 강사 파일을 지우지 않는다
# ---------------------------------------------------------------------------------------------------

def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_refuses_a_folder_it_did_not_create(tmp_path, capsys):
    out = tmp_path / "course"
    out.mkdir()
    (out / "grades.csv").write_text("student,score\nkim,10\n", encoding="utf-8")
    (out / "notes").mkdir()
    (out / "notes" / "week1.md").write_text("1주차", encoding="utf-8")
    before = _tree(out)
    assert make_classroom.main(["--out", str(out)]) == 2
    assert "표시 파일" in capsys.readouterr().err
    assert _tree(out) == before  # 아무것도 지우거나 쓰지 않았다


def test_rebuild_keeps_the_instructors_files(classroom, tmp_path):
    out = tmp_path / "course"
    first = make_classroom.build(out)
    marker = json.loads((out / make_classroom.MARKER).read_text(encoding="utf-8"))
    assert sorted(marker["files"]) == sorted(p.relative_to(out).as_posix() for p in first)
    # 강사가 성적표와 nbgrader 설정을 둔다. 지난번 파일 하나를 지웠고, 목록에 없는 노트북도 하나 더했다.
    (out / "grades.csv").write_text("student,score\n", encoding="utf-8")
    (out / "source" / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    (out / "student" / "extra.ipynb").write_text("{}", encoding="utf-8")
    first[0].unlink()
    again = make_classroom.build(out)
    assert (out / "grades.csv").read_text(encoding="utf-8") == "student,score\n"
    assert (out / "source" / "nbgrader_config.py").is_file() and (out / "student" / "extra.ipynb").is_file()
    assert all(p.is_file() for p in again)
    for rel in marker["files"]:  # 다시 만든 파일은 처음 만든 것과 바이트까지 같다
        assert (out / rel).read_bytes() == (classroom / rel).read_bytes()


def test_does_not_overwrite_an_edited_notebook_without_force(tmp_path, capsys):
    out = tmp_path / "course"
    written = make_classroom.build(out)
    edited = next(p for p in written if "여기에 풀이 코드를 쓴다" in p.read_text(encoding="utf-8"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("여기에 풀이 코드를 쓴다", "강사가 고친 줄"), encoding="utf-8")
    before = _tree(out)
    assert make_classroom.main(["--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert edited.relative_to(out).as_posix() in err and "--force" in err
    assert _tree(out) == before
    assert make_classroom.main(["--out", str(out), "--force"]) == 0
    assert "강사가 고친 줄" not in edited.read_text(encoding="utf-8")
