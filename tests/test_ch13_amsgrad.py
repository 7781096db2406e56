"""13장 (AMSGrad): F.adam 의 s_max 기록, ReddiProblem 의 정상 상태 표류, 연습문제 확인 함수."""

import math

import numpy as np
import pytest

import adamlearn
from adamlearn import functional as F
from adamlearn.exercises import check_amsgrad_steps, check_reddi_beta2

# --------------------------------------------------------------------------- F.adam 의 tape 에 s_max


def _trace(amsgrad, grads, **hyper):
    x = np.zeros(2)
    opt = adamlearn.Adam([x], amsgrad=amsgrad, **hyper)
    tr = adamlearn.Trace()
    for g in grads:
        opt.step([np.asarray(g, dtype=float)], trace=tr)
    return tr


def test_amsgrad_trace_records_the_uncorrected_running_max():
    rng = np.random.default_rng(3)
    grads = rng.standard_normal((50, 2)) * np.linspace(3, 0.1, 50)[:, None]  # 작아지는 그래디언트: 최댓값이 과거에 있다
    tr = _trace(True, grads, betas=(0.9, 0.99))
    s, s_max = tr["s"], tr["s_max"]
    # 같은 float64 값들의 최댓값이므로 반올림 없이 정확히 같다.
    assert np.array_equal(s_max, np.maximum.accumulate(s, axis=0))
    assert np.any(s_max > s)  # 이 열에서는 최댓값이 실제로 과거의 값이다 (시험이 헛돌지 않는다)
    t = np.arange(1, 51)[:, None]
    # 0.99**t 를 numpy 배열로 계산하면 파이썬 float 의 거듭제곱과 마지막 자리가 다를 수 있다: 몇 ULP.
    np.testing.assert_allclose(tr["s_hat"], s_max / (1 - 0.99**t), rtol=1e-14)


def test_plain_adam_trace_has_no_s_max():
    tr = _trace(False, np.ones((3, 2)))
    assert "s_max" not in tr.keys()


# --------------------------------------------------------------------------- ReddiProblem: 한 주기의 표류


def test_period_gradients():
    p = adamlearn.ReddiProblem(C=1010, period=101, small=10)
    g = p.period_gradients()
    assert g.shape == (101,) and g[0] == 1010 and np.all(g[1:] == -10)
    assert all(p.grad(np.zeros(1), t)[0] == g[(t - 1) % 101] for t in range(1, 300))


def test_theorem1_drift_matches_the_closed_form():
    # beta1 = 0, beta2 = 1/(1+C^2): 한 주기의 이동은 -C/sqrt(s1) + 1/sqrt(s2) + 1/sqrt(s3) (정상 상태의 s)
    C = 3.0
    b2 = 1 / (1 + C**2)
    s1 = (1 - b2) * (C**2 + b2 + b2**2) / (1 - b2**3)
    s2 = (1 - b2) * (1 + b2 * C**2 + b2**2) / (1 - b2**3)
    s3 = (1 - b2) * (1 + b2 + b2**2 * C**2) / (1 - b2**3)
    closed = -C / math.sqrt(s1) + 1 / math.sqrt(s2) + 1 / math.sqrt(s3)
    drift = adamlearn.ReddiProblem(C=C).adam_period_drift(0.0, b2)
    assert drift == pytest.approx(closed, rel=1e-12)  # 같은 식을 두 번 반올림한 차이뿐
    assert drift > 0.6  # +1 쪽으로 간다 (0.681)


@pytest.mark.parametrize(("problem", "beta1", "beta2", "periods"), [
    (adamlearn.ReddiProblem(C=3), 0.0, 0.1, 40),
    (adamlearn.ReddiProblem(C=1010, period=101, small=10), 0.9, 0.99, 60),
])
def test_drift_matches_a_long_unconstrained_run(problem, beta1, beta2, periods):
    lr = 0.01
    r = adamlearn.run(adamlearn.Adam, problem, [0.0], problem.period * periods, lr=lr, betas=(beta1, beta2), eps=0.0)
    late = float(r.xs[-1, 0] - r.xs[-1 - problem.period, 0]) / lr
    # beta2^(스텝 수) 가 1e-10 아래이므로 정상 상태와의 차이는 그 정도다.
    assert late == pytest.approx(problem.adam_period_drift(beta1, beta2), rel=1e-8)


def test_drift_changes_sign_as_beta2_grows():
    p = adamlearn.ReddiProblem(C=1010, period=101, small=10)
    assert p.adam_period_drift(0.9, 0.99) > 0 > p.adam_period_drift(0.9, 0.9999)


# --------------------------------------------------------------------------- check_amsgrad_steps

KW = dict(grads=[3.0, -1.0, -1.0], lr=0.1, betas=(0.0, 0.1), eps=0.0)


def _right(keys=("s", "s_max", "theta")):
    x, st, rows = np.zeros(1), F.adam_init(np.zeros(1), amsgrad=True), []
    for g in KW["grads"]:
        tape = {}
        x, st = F.adam(x, np.array([g]), st, lr=0.1, beta1=0.0, beta2=0.1, eps=0.0, amsgrad=True, tape=tape)
        tape["theta"] = x
        rows.append({k: float(np.asarray(tape[k]).ravel()[0]) for k in keys})
    return rows


def test_amsgrad_steps_right_answer_passes():
    fb = check_amsgrad_steps(_right(), **KW)
    assert fb.passed, fb
    # 손으로 계산한 값 (β1 = 0, β2 = 0.1): s = 8.1, 1.71, 1.071, s_max 는 8.1 에 머문다
    hand = [{"s": 8.1, "s_max": 8.1, "theta": -0.1},
            {"s": 1.71, "s_max": 8.1, "theta": -0.1 + 0.1 / math.sqrt(8.1 / 0.99)},
            {"s": 1.071, "s_max": 8.1, "theta": -0.1 + 0.1 / math.sqrt(8.1 / 0.99) + 0.1 / math.sqrt(8.1 / 0.999)}]
    assert check_amsgrad_steps(hand, **KW).passed


def test_amsgrad_steps_wrong_value_names_it():
    ans = _right()
    ans[2]["theta"] += 0.01
    fb = check_amsgrad_steps(ans, **KW)
    assert not fb.passed
    assert any("스텝 3" in line and "θ_t" in line and "틀렸다" in line for line in fb.lines), fb


@pytest.mark.parametrize(("mistake", "word"), [
    ("plain_adam", "보통 Adam"),
    ("corrected_max", "optax"),
    ("no_bias_correction", "Algorithm 2"),
])
def test_amsgrad_steps_hint_fires_on_common_mistakes(mistake, word):
    from adamlearn.exercises._ch13_amsgrad import _amsgrad_mistake

    rows = _amsgrad_mistake(KW["grads"], 0.0, 0.1, 0.0, 0.1, 0.0, mistake)
    ans = [{"s": float(r["s"]), "s_max": float(r["s_max"]), "theta": float(r["theta"])} for r in rows]
    fb = check_amsgrad_steps(ans, **KW)
    assert not fb.passed
    assert any(line.startswith("힌트") and word in line for line in fb.lines), fb


def test_amsgrad_steps_no_hint_for_a_random_wrong_value():
    ans = _right()
    ans[1]["s_max"] = 123.0
    fb = check_amsgrad_steps(ans, **KW)
    assert not fb.passed and not any(line.startswith("힌트") for line in fb.lines)


@pytest.mark.parametrize("answer", [
    ..., None, "8.1", 8.1, [1, 2, 3], {"s": 8.1}, [..., ..., ...], [{"s": float("nan"), "s_max": 8.1, "theta": 0}] * 3,
    [{"s": "a", "s_max": None, "theta": [1, 2]}] * 3, [[{"s": 1}]], np.zeros((3, 3)), [{}, {}, {}], [{"s": ...}] * 3,
    [{1: 2}] * 3, list(range(5)),
])
def test_amsgrad_steps_malformed_answers_fail_without_raising(answer):
    fb = check_amsgrad_steps(answer, **KW)
    assert not fb.passed and fb.lines


# --------------------------------------------------------------------------- check_reddi_beta2

GRID = (0.99, 0.995, 0.998, 0.999, 0.9995)
RKW = dict(grid=GRID, C=505, period=51, small=10, beta1=0.9)


def _expected():
    p = adamlearn.ReddiProblem(C=505, period=51, small=10)
    return min(b for b in GRID if p.adam_period_drift(0.9, b) < 0)


def test_reddi_beta2_right_answer_passes():
    assert _expected() == 0.999  # 이 격자에서 답이 끝 값이 아니다: 아래 시험들이 양쪽을 다 본다
    assert check_reddi_beta2(0.999, **RKW).passed
    assert check_reddi_beta2(np.float32(0.999), **RKW).passed
    assert check_reddi_beta2(np.array([0.999]), **RKW).passed


def test_reddi_beta2_one_below_gets_the_transient_hint():
    fb = check_reddi_beta2(0.998, **RKW)
    assert not fb.passed
    assert any("+1 쪽" in line for line in fb.lines)
    assert any(line.startswith("힌트") and "정상 상태" in line for line in fb.lines), fb


def test_reddi_beta2_too_small_without_hint():
    fb = check_reddi_beta2(0.99, **RKW)
    assert not fb.passed and not any(line.startswith("힌트") for line in fb.lines)


def test_reddi_beta2_larger_valid_value_asks_for_the_smallest():
    fb = check_reddi_beta2(0.9995, **RKW)
    assert not fb.passed and any("가장 작은" in line for line in fb.lines)


def test_reddi_beta2_one_minus_beta_hint():
    fb = check_reddi_beta2(0.001, **RKW)
    assert not fb.passed and any("1-β2" in line for line in fb.lines)


@pytest.mark.parametrize("answer", [..., None, "0.999", "abc", [0.999, 0.9995], {0.999: True}, float("nan"),
                                    float("inf"), True, 0.5, np.zeros(2), [...]])
def test_reddi_beta2_malformed_answers_fail_without_raising(answer):
    fb = check_reddi_beta2(answer, **RKW)
    assert not fb.passed and fb.lines


def test_reddi_beta2_string_number_hint():
    fb = check_reddi_beta2("0.999", **RKW)
    assert any("따옴표" in line for line in fb.lines)


def test_reddi_beta2_grid_without_answer_is_a_book_bug():
    with pytest.raises(ValueError):
        check_reddi_beta2(0.99, grid=(0.9, 0.99), C=505, period=51, small=10)
