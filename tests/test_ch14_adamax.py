"""14장 (AdaMax): 무한 노름의 점화식, 스텝 크기의 상한, 연습문제 확인 함수."""

import math

import numpy as np
import pytest

import adamlearn
from adamlearn import functional as F
from adamlearn.exercises import check_adamax_bound, check_adamax_eps_first_step, check_adamax_steps
from adamlearn.exercises._ch14_adamax import _step_bound


def test_u_is_the_decayed_running_max():
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((100, 3)) * np.exp(np.linspace(0, -2, 100))[:, None]
    p, st = np.zeros(3), F.adamax_init(np.zeros(3))
    for t in range(1, 101):
        tape = {}
        p, st = F.adamax(p, grads[t - 1], st, eps=0.0, tape=tape)
        closed = np.max(0.999 ** np.arange(t - 1, -1, -1)[:, None] * np.abs(grads[:t]), axis=0)
        # t 번의 곱셈(각 0.5 ULP)과 거듭제곱 한 번의 차이: 100 스텝이면 1e-14 보다 작다.
        np.testing.assert_allclose(tape["u"], closed, rtol=1e-13)


@pytest.mark.parametrize(("b1", "b2"), [(0.9, 0.999), (0.9, 0.95), (0.5, 0.99), (0.9, 0.9)])
def test_equality_sequence_reaches_the_bound(b1, b2):
    x = np.zeros(1)
    opt = adamlearn.Adamax([x], lr=1.0, betas=(b1, b2), eps=0.0)
    tr = adamlearn.Trace()
    for i in range(1, 301):
        opt.step([np.array([b2**i])], trace=tr)
    got = np.abs(tr["update"][:, 0])
    want = np.array([_step_bound(t, b1, b2) for t in range(1, 301)])
    np.testing.assert_allclose(got, want, rtol=1e-11)  # rounding_bound("float64", 300) = 1e-13 의 100 배 여유
    if b1 < b2:
        assert got[-1] > 1.0  # 논문의 |Δ_t| <= α 를 넘는다
        assert np.all(got <= _step_bound(math.inf, b1, b2) * (1 + 1e-12))  # 다가갈 뿐 넘지 않는다 (반올림 여유)


def test_random_sequences_stay_below_the_bound():
    rng = np.random.default_rng(1)
    b1, b2 = 0.9, 0.95
    for _ in range(2000):
        n = int(rng.integers(1, 40))
        g = rng.normal(rng.normal(), 1.0, size=n) * np.exp(rng.normal(-0.05, 0.1, size=n).cumsum())
        age = np.arange(n)[::-1]
        ratio = abs((1 - b1) * np.sum(b1**age * g) / (1 - b1**n)) / np.max(b2**age * np.abs(g))
        assert ratio <= _step_bound(n, b1, b2) * (1 + 1e-12)


def test_eps_placement_first_step():
    p0 = np.zeros(1)
    g = np.array([1e-7])
    pt, _ = F.adamax(p0, g, F.adamax_init(p0), lr=1.0, eps=1e-8, eps_inside_max=True)
    pk, _ = F.adamax(p0, g, F.adamax_init(p0), lr=1.0, eps=1e-7, eps_inside_max=False)
    assert -pt[0] == pytest.approx(1e-7 / 1.1e-7, rel=1e-12)
    assert -pk[0] == pytest.approx(0.5, rel=1e-12)


# --------------------------------------------------------------------------- 확인 함수
GRADS = [1.0, -3.0, 0.5]


def _hand(mistake=None):
    b1, b2, lr = 0.9, 0.999, 0.1
    m = u = theta = 0.0
    rows = []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        if mistake == "no_decay":
            u = max(u, abs(g))
        elif mistake == "signed":
            u = max(b2 * u, g)
        else:
            u = max(b2 * u, abs(g))
        denom = u / (1 - b2**t) if mistake == "corrected_u" else u
        theta -= lr / (1 - b1**t) * m / denom
        rows.append({"u": u, "theta": theta})
    return rows


def test_steps_right_answer_passes():
    fb = check_adamax_steps(_hand(), grads=GRADS, lr=0.1)
    assert fb.passed, str(fb)


def test_steps_wrong_value_names_step_and_value():
    rows = _hand()
    rows[1] = {**rows[1], "theta": rows[1]["theta"] + 0.01}
    fb = check_adamax_steps(rows, grads=GRADS, lr=0.1)
    assert not fb.passed
    assert any("스텝 2" in line and "θ" in line and "틀렸다" in line for line in fb.lines)


@pytest.mark.parametrize(("mistake", "word"), [("no_decay", "감쇠"), ("signed", "절댓값"), ("corrected_u", "편향 보정")])
def test_steps_hint_on_common_mistake(mistake, word):
    fb = check_adamax_steps(_hand(mistake), grads=GRADS, lr=0.1)
    assert not fb.passed
    assert any(line.startswith("힌트") and word in line for line in fb.lines), str(fb)


BAD = [None, ..., "0.5", [1, 2], {"x": 1}, float("nan"), [{"u": ...}], {"A_t": [1, 2, 3]}, 3]


@pytest.mark.parametrize("answer", BAD)
def test_checkers_never_raise_on_malformed_answers(answer):
    for fb in (check_adamax_steps(answer, grads=GRADS, lr=0.1),
               check_adamax_bound(answer, beta1=0.9, beta2=0.95, t=10),
               check_adamax_eps_first_step(answer, grad=1e-7)):
        assert not fb.passed and fb.lines


def test_bound_right_and_wrong():
    a10, ainf = _step_bound(10, 0.9, 0.95), _step_bound(math.inf, 0.9, 0.95)
    assert check_adamax_bound({"A_t": a10, "A_inf": ainf}, beta1=0.9, beta2=0.95, t=10).passed
    assert ainf == pytest.approx(1.9)
    fb = check_adamax_bound({"A_t": a10 * 1.01, "A_inf": ainf}, beta1=0.9, beta2=0.95, t=10)
    assert not fb.passed and any("A_t" in line and "틀렸다" in line for line in fb.lines)
    # 흔한 실수: 논문의 1, 편향 보정을 뺌
    fb = check_adamax_bound({"A_t": 1.0, "A_inf": 1.0}, beta1=0.9, beta2=0.95, t=10)
    assert any("논문" in line for line in fb.lines)
    rho = 0.9 / 0.95
    fb = check_adamax_bound({"A_t": 0.1 * (1 - rho**10) / (1 - rho), "A_inf": ainf}, beta1=0.9, beta2=0.95, t=10)
    assert not fb.passed and any("편향 보정" in line for line in fb.lines)


def test_bound_without_a_limit_when_beta1_ge_beta2():
    fb = check_adamax_bound({"A_t": _step_bound(50, 0.9, 0.9)}, beta1=0.9, beta2=0.9, t=50)
    assert fb.passed, str(fb)
    assert _step_bound(50, 0.9, 0.9) == pytest.approx(0.1 * 50 / (1 - 0.9**50))


def test_eps_first_step_checker():
    right = {"torch": 1e-7 / 1.1e-7, "keras": 0.5}
    assert check_adamax_eps_first_step(right, grad=1e-7).passed
    fb = check_adamax_eps_first_step({"torch": 0.5, "keras": 1e-7 / 1.1e-7}, grad=1e-7)
    assert not fb.passed and any("바뀌었다" in line for line in fb.lines)
    fb = check_adamax_eps_first_step({"torch": 1.0, "keras": 0.5}, grad=1e-7)
    assert not fb.passed and any("ε을 무시한" in line for line in fb.lines)
