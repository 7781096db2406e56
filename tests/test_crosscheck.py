"""교차 확인 표(adamlearn.crosscheck)가 어느 CPU 에서나 같은 글이 되는지.

책의 노트북은 ``cross_check`` 의 결과를 그대로 보여 주고, nbval 은 그 출력을 다른 CPU 흉내로 다시 비교한다.
표가 반올림 수준의 마지막 자리를 싣는다면 독자의 CPU 에서 다른 글이 된다. 여기서는 표가 (1) 반올림 수준의 줄을
한계로만 적고, (2) 식이 달라서 생긴 차이는 반올림만큼 흔들어도 바뀌지 않는 자릿수만 적는지 확인한다.
"""

import subprocess
import sys

import numpy as np
import pytest

from adamlearn.crosscheck import CrossCheck, Row, rounding_bound, stable_digits


def test_rounding_bound_is_the_documented_derivation():
    # 2 * steps * 기계 엡실론을 10 의 거듭제곱으로 올린 값
    assert 2 * 1000 * np.finfo(np.float64).eps == pytest.approx(4.44e-13, rel=1e-2)
    assert rounding_bound("float64", 1000) == 1e-12
    assert rounding_bound("float32", 1000) == 1e-3
    assert rounding_bound(np.float64, 10) == 1e-14
    with pytest.raises(ValueError, match="steps=0"):
        rounding_bound("float64", 0)


def _check(*rels, dtype="float64"):
    rows = tuple(Row(f"ours{i}", f"ref{i}", rel, rel) for i, rel in enumerate(rels))
    return CrossCheck("Adam", 1000, dtype, rows)


def _text(check):
    return str(check), repr(check), check._repr_html_()


#: CPU 마다 실제로 달라지는 폭. 반올림 수준의 줄은 이 장비와 흉내 낸 CPU 들에서 많아야 1.8e-15 였다 (1장의 표, 9장).
#: 표의 글은 이 폭의 몇 배로 흔들어도 같아야 한다. (한계 1e-12 는 이보다 훨씬 넉넉히 잡은 상계다.)
CPU_SPREAD = 1e-14


@pytest.mark.parametrize("real", [1.996883444521671e-08, 1.8836254741661227e-08, 2.936e-02, 7.326e-08, 8.437e-11,
                                  5.002e-11, 3.3e-1])
def test_table_text_does_not_change_across_cpus(real):
    """반올림 수준의 줄은 [0, bound) 어디에 있든, 식이 달라서 생긴 차이는 CPU 마다의 폭만큼 흔들려도 표의 글이 같다."""
    bound = rounding_bound("float64", 1000)
    reference = _text(_check(1.9e-16, 4.8e-17, real))
    for tiny in (0.0, 2.2e-16, 3e-14, 0.99 * bound):
        for shift in (-CPU_SPREAD, -CPU_SPREAD / 3, 0.0, CPU_SPREAD / 2, CPU_SPREAD):
            assert _text(_check(tiny, tiny / 2, real + shift)) == reference, (tiny, shift)


def test_table_shows_claims_not_last_digits():
    text, rep, html = _text(_check(1.9028419021111897e-16, 4.7955162250454024e-17, 1.996883444521671e-08))
    for t in (text, rep, html.replace("&lt;", "<")):
        assert "< 1e-12" in t and "1.997e-08" in t
        assert "1.903e-16" not in t and "4.796e-17" not in t and "e-16" not in t and "e-17" not in t
    assert "반올림 한계 1e-12" in text


def test_near_the_bound_a_row_is_a_bound_too():
    # 1e-12 의 몇 배 안쪽은 반올림인지 식의 차이인지 가를 수 없다: 값 대신 10 의 거듭제곱 한계를 적는다.
    assert Row("a", "b", 5e-12, 5e-12).claim(1e-12) == "< 1e-10"


def test_stable_digits():
    assert stable_digits(1.996883444521671e-08, 2e-12) == "1.997e-08"
    assert stable_digits(0.02936, 2e-12) == "2.936e-02"
    assert stable_digits(8.437e-11, 2e-12) == "1e-11 ~ 1e-10"  # 8.2e-11 ~ 8.6e-11: 한 자리도 남지 않는다
    with pytest.raises(ValueError, match="rounding noise"):
        stable_digits(1e-11, 2e-12)
    # 적은 글은 ±noise 의 양 끝을 모두 그 자릿수로 반올림한 값이다
    rng = np.random.default_rng(0)
    for value in 10.0 ** rng.uniform(-10, 0, size=300):
        text = stable_digits(value, 2e-12)
        if "~" not in text and not text.startswith("≈"):
            digits = len(text.split("e")[0].replace(".", ""))
            assert f"{value - 2e-12:.{digits - 1}e}" == text == f"{value + 2e-12:.{digits - 1}e}"


def test_assert_rounding_level():
    ok = _check(1e-16, 1e-16, 2e-8)
    assert ok.assert_rounding_level("ours0") is ok
    with pytest.raises(AssertionError, match=r"ours2 vs ref2: 2\.000e-08"):
        _check(1e-16, 1e-16, 2e-8).assert_rounding_level("ours")


def test_import_keras_uses_torch_whatever_the_readers_backend_is():
    """독자가 KERAS_BACKEND=jax 를 두었어도 (keras 를 아직 가져오지 않았다면) torch 백엔드로 가져온다."""
    code = "import adamlearn.crosscheck as c; print(c.import_keras().backend.backend())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "KERAS_BACKEND": "jax"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "torch"
