"""함수 핵심(functional), 목적 함수, 실행기, Trace 의 단위 테스트."""

import math

import numpy as np
import pytest
import sympy as sp

import adamlearn
from adamlearn import functional as F
from adamlearn.crosscheck import gradient_sequence, import_keras, keras_floatx


def test_ema_and_bias_correction_helpers():
    assert F.ema(np.array(2.0), np.array(4.0), 0.75) == 0.75 * 2.0 + 0.25 * 4.0
    # 상수 입력 c 에 대한 EMA 는 (1 - beta^t) c 이고, 편향 보정이 정확히 c 로 되돌린다.
    m = np.array(0.0)
    for t in range(1, 6):
        m = F.ema(m, np.array(3.0), 0.9)
        assert F.bias_correction(m, 0.9, t) == pytest.approx(3.0, rel=1e-15)


def test_first_two_adam_steps_by_hand():
    """손으로 계산한 두 스텝: g1 = 0.5, g2 = -1.0, lr = 0.1, betas = (0.9, 0.999), eps = 1e-8."""
    x = np.array([1.0])
    opt = adamlearn.Adam([x], lr=0.1, eps=1e-8)
    opt.step([np.array([0.5])])
    # t=1: m = 0.05, s = 0.00025, m_hat = 0.5, s_hat = 0.25 -> step = 0.1 * 0.5 / (0.5 + 1e-8)
    assert x[0] == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-15)
    x1 = x[0]
    opt.step([np.array([-1.0])])
    m = 0.9 * 0.05 + 0.1 * -1.0  # -0.055
    s = 0.999 * 0.00025 + 0.001 * 1.0  # 0.00124975
    m_hat, s_hat = m / (1 - 0.9**2), s / (1 - 0.999**2)
    assert x[0] == pytest.approx(x1 - 0.1 * m_hat / (math.sqrt(s_hat) + 1e-8), rel=1e-15)


def test_functional_core_is_pure():
    p, g = np.ones(3), np.full(3, 0.5)
    state = F.adam_init(p)
    p_copy, m_copy = p.copy(), state.m.copy()
    new_p, new_state = F.adam(p, g, state, lr=0.1)
    np.testing.assert_array_equal(p, p_copy)
    np.testing.assert_array_equal(state.m, m_copy)
    assert new_state.t == 1 and not np.shares_memory(new_p, p)


def test_keras_adam_equals_torch_form_with_time_varying_epsilon():
    """Keras Adam = 식 (5) 에서 eps 를 eps_t = eps_hat / sqrt(1 - beta2^t) 로 바꾼 것. 실제 keras 와 비교한다."""
    torch = pytest.importorskip("torch")
    keras = import_keras()
    eps_hat, lr, b1, b2 = 1e-3, 1e-2, 0.9, 0.999  # eps_hat 을 크게 잡아 차이가 분명하게 한다
    params0, grads = gradient_sequence(((4,),), steps=300, seed=7)
    with keras_floatx("float64"):
        var = keras.Variable(torch.from_numpy(params0[0].copy()), dtype="float64")
        opt = keras.optimizers.Adam(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps_hat)
        p, state = params0[0].copy(), F.adam_init(params0[0])
        p_const, state_const = p.copy(), F.adam_init(p)
        for t, (g,) in enumerate(grads, start=1):
            opt.apply([torch.from_numpy(g.copy())], [var])
            p, state = F.adam(p, g, state, lr=lr, beta1=b1, beta2=b2, eps=eps_hat / math.sqrt(1 - b2**t))
            p_const, state_const = F.adam(p_const, g, state_const, lr=lr, beta1=b1, beta2=b2, eps=eps_hat)
        keras_p = var.value.detach().numpy()
    scale = np.max(np.abs(keras_p))
    # 시간에 따라 바뀌는 eps_t 로는 반올림 안에서 같다 (float64 에서 1e-12 는 TestAgreement 와 같은 근거).
    assert np.max(np.abs(p - keras_p)) / scale < 1e-12
    # 상수 eps 로는 분명히 다르다: 이 테스트가 무언가를 구분한다는 증거.
    assert np.max(np.abs(p_const - keras_p)) / scale > 1e-6


def test_keras_sgd_lr_in_buffer_differs_from_torch_once_lr_changes():
    """학습률이 일정하면 torch SGD 와 keras SGD 의 모멘텀은 같은 궤적, 바뀌면 다른 궤적."""
    g = [np.array([1.0, -2.0])] * 10
    a, b = np.zeros(2), np.zeros(2)
    ta = adamlearn.SGD([a], lr=0.1, momentum=0.9)
    kb = adamlearn.keras.SGD([b], learning_rate=0.1, momentum=0.9)
    for i, gi in enumerate(g):
        if i == 5:
            np.testing.assert_allclose(a, b, rtol=1e-14)
            ta.hyper["lr"], kb.hyper["learning_rate"] = 0.01, 0.01
        ta.step([gi])
        kb.step([gi])
    assert np.max(np.abs(a - b)) > 0.1


@pytest.mark.parametrize("objective", [adamlearn.Rosenbrock(), adamlearn.Beale(),
                                       adamlearn.Quadratic.ill_conditioned(100.0, 3)])
def test_objective_gradients_match_sympy(objective):
    n = len(objective.minimum)
    xs = sp.symbols(f"x0:{n}")
    if isinstance(objective, adamlearn.Quadratic):
        x = sp.Matrix(xs)
        f = (x.T * sp.Matrix(objective.A) * x)[0] / 2
    else:
        f = sp.sympify(objective.value(xs))
    rng = np.random.default_rng(0)
    for _ in range(5):
        point = rng.uniform(-1.5, 1.5, n)
        exact = [float(sp.diff(f, x).subs(dict(zip(xs, point)))) for x in xs]
        np.testing.assert_allclose(objective.grad(point), exact, rtol=1e-12, atol=1e-12)
    assert objective.value(objective.minimum) == pytest.approx(0.0, abs=1e-24)


def test_quadratic_condition_number():
    assert adamlearn.Quadratic.ill_conditioned(100.0).condition == pytest.approx(100.0)


@pytest.mark.parametrize(("cls", "hyper", "steps", "tol"), [
    (adamlearn.Adam, dict(lr=0.02), 5000, 1e-3),
    (adamlearn.keras.Adam, dict(learning_rate=0.02), 5000, 1e-3),
    (adamlearn.SGD, dict(lr=1e-3, momentum=0.9), 5000, 1e-3),
    (adamlearn.RMSprop, dict(lr=1e-3), 10000, 1e-2),
])
def test_converges_on_rosenbrock(cls, hyper, steps, tol):
    run = adamlearn.run(cls, adamlearn.Rosenbrock(), [-1.0, 1.5], steps, **hyper)
    # 최솟값 (1, 1) 에서 tol 이내. 모멘텀이 없는 RMSProp 은 골짜기를 따라 느리게 가서 스텝이 두 배 필요하고,
    # 스텝 크기가 lr 근처에서 줄지 않아 바닥 근처에서 ~10 lr 폭으로 흔들린다 (그래서 1e-2).
    assert np.max(np.abs(run.final - [1.0, 1.0])) < tol, run.final


def test_converges_on_quadratic():
    q = adamlearn.Quadratic.ill_conditioned(100.0)
    run = adamlearn.run(adamlearn.Adam, q, [1.0, 1.0], 2000, lr=0.01)
    assert q.value(run.final) < 1e-8


def test_reddi_problem_adam_goes_the_wrong_way_amsgrad_does_not():
    """Reddi et al. (2018) 정리 1 의 설정: beta1 = 0, beta2 = 1/(1+C^2). 최적해는 -1 인데 Adam 은 +1 로 간다.

    같은 설정에서 AMSGrad 는 -1 근처로 간다.
    """
    C = 3.0
    problem = adamlearn.ReddiProblem(C=C)
    hyper = dict(lr=0.01, betas=(0.0, 1 / (1 + C**2)), eps=0.0)
    adam = adamlearn.run(adamlearn.Adam, problem, [0.0], 3000, box=problem.box, **hyper)
    ams = adamlearn.run(adamlearn.Adam, problem, [0.0], 3000, box=problem.box, amsgrad=True, **hyper)
    assert adam.final[0] > 0.9
    assert ams.final[0] < -0.9
    # 상자 사영이 실제로 일어났다: 궤적이 [-1, 1] 밖으로 나가지 않는다.
    assert np.all(np.abs(adam.xs) <= 1.0)


def test_trace_records_intermediates_consistent_with_the_update():
    run = adamlearn.run(adamlearn.Adam, adamlearn.Rosenbrock(), [0.0, 0.0], 20, trace=True, lr=0.01)
    tr = run.trace
    assert len(tr) == 20 and {"m", "s", "m_hat", "s_hat", "update", "lr_eff"} <= set(tr.keys())
    np.testing.assert_allclose(-np.diff(run.xs, axis=0), tr["update"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(tr["update"], tr["lr_eff"] * tr["m_hat"], rtol=1e-12)
    t = np.arange(1, 21)[:, None]
    np.testing.assert_allclose(tr["m_hat"], tr["m"] / (1 - 0.9**t), rtol=1e-12)
    with pytest.raises(KeyError, match="not recorded"):
        tr["nope"]


def test_importing_adamlearn_does_not_import_torch_or_keras():
    import subprocess
    import sys

    code = "import sys, adamlearn; print('torch' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_quadratic_value_vectorises_over_a_grid():
    q = adamlearn.Quadratic.ill_conditioned(100.0)
    xx, yy = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3))
    grid = q.value(np.stack([xx, yy]))
    assert grid.shape == (3, 4)
    assert grid[1, 2] == pytest.approx(q.value(np.array([xx[1, 2], yy[1, 2]])))


def test_trace_can_record_a_subset_of_keys():
    tr = adamlearn.Trace(keys=["update"])
    x = np.zeros(2)
    opt = adamlearn.Adam([x])
    opt.step([np.ones(2)], trace=tr)
    assert tr.keys() == ["update"]


def test_radam_threshold_moves_the_switch_from_step_6_to_step_5():
    """beta2 = 0.999 에서 rho_5 = 4.99... 이므로 문턱 4 (논문) 는 t = 5 에 정류를 켜고, 문턱 5 (torch) 는 t = 6 에 켠다.

    rho_t 는 t 에 대해 늘어나므로, 두 문턱이 다른 첫 스텝은 rho_t 가 (4, 5] 에 드는 스텝 하나뿐이다.
    그 스텝의 업데이트만 다르고 (모멘텀 SGD 대 정류된 Adam), 앞선 스텝들은 비트 단위로 같다.
    """
    def rho(t, b2=0.999):
        return 2 / (1 - b2) - 1 - 2 * t * b2**t / (1 - b2**t)

    between = [t for t in range(1, 20) if 4 < rho(t) <= 5]
    assert between == [5]
    rng = np.random.default_rng(0)
    p = {4.0: np.zeros(3), 5.0: np.zeros(3)}
    state = {k: F.radam_init(v) for k, v in p.items()}
    for t in range(1, 7):
        g = rng.normal(size=3)
        tapes = {}
        for k in p:
            tapes[k] = {}
            p[k], state[k] = F.radam(p[k], g, state[k], rho_threshold=k, tape=tapes[k])
        same = np.array_equal(tapes[4.0]["update"], tapes[5.0]["update"])
        assert same == (t != 5), t
        if t == 5:  # 문턱 5 는 아직 모멘텀 SGD: update = lr * m_hat
            np.testing.assert_array_equal(tapes[5.0]["update"], 1e-3 * tapes[5.0]["m_hat"])


def test_radam_threshold_below_four_is_refused():
    p = np.zeros(2)
    with pytest.raises(ValueError, match=r"rho_threshold=3\.5"):
        F.radam(p, np.ones(2), F.radam_init(p), rho_threshold=3.5)


def test_reddi_figure_one_setting_and_validation():
    """그림 1 의 설정: 101 스텝 주기에 1010x 한 번, -10x 100 번. 한 주기의 그래디언트 합은 1010 - 1000 = 10 > 0."""
    problem = adamlearn.ReddiProblem(C=1010.0, period=101, small=10.0)
    grads = np.array([problem.grad(np.zeros(1), t)[0] for t in range(1, 203)])
    assert grads[0] == grads[101] == 1010.0 and np.all(np.delete(grads, [0, 101]) == -10.0)
    assert grads[:101].sum() == 10.0
    with pytest.raises(ValueError, match="C=1000"):
        adamlearn.ReddiProblem(C=1000.0, period=101, small=10.0)  # 합이 0: 최적해가 정해지지 않는다
    with pytest.raises(ValueError, match="period=1"):
        adamlearn.ReddiProblem(period=1)


def test_stochastic_reddi_is_reproducible_and_has_the_stated_frequency():
    problem = adamlearn.StochasticReddiProblem(seed=3)
    big = np.array([problem.grad(np.zeros(1), t)[0] == 1010.0 for t in range(1, 20001)])
    again = np.array([problem.grad(np.zeros(1), t)[0] == 1010.0 for t in range(1, 20001)])
    np.testing.assert_array_equal(big, again)
    # 이항분포 B(20000, 0.01): 평균 200, 표준편차 14.1. 5 표준편차 (70) 밖이면 동전이 잘못된 것이다.
    assert abs(big.sum() - 200) < 70
    with pytest.raises(ValueError, match=r"p=1\.5"):
        adamlearn.StochasticReddiProblem(p=1.5)
    with pytest.raises(ValueError, match="small=20"):
        adamlearn.StochasticReddiProblem(small=20.0)
