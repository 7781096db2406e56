"""Lion 과 LAMB (adamlearn._lion, adamlearn._lamb): keras.optimizers.Lion/Lamb 과의 교차 확인, 논문의 성질, 입력 검사.

교차 확인은 float64, 시드를 고정한 무작위 설정, 설정마다 200 스텝이다 (torch 2.13 에는 둘 다 없다). 행렬, 3차원 텐서,
벡터, 스칼라를 한 옵티마이저에 넣고, 가중치 감쇠가 있는 설정과 없는 설정을 섞는다.
"""

import os

import numpy as np
import pytest

from adamlearn import functional as F
from adamlearn._lamb import Lamb, lamb, lamb_init
from adamlearn._lion import Lion, lion, lion_init
from adamlearn.crosscheck import _differences, _run_adamlearn, _run_keras

os.environ.setdefault("KERAS_BACKEND", "torch")

STEPS = 200  # keras 의 apply 가 스텝마다 느리다 (40 초 예산)
#: float64, 200 스텝: 반올림만 남은 두 구현의 차이 상한 (crosscheck.rounding_bound 와 같은 근거: 2·steps·eps = 8.9e-14).
ROUNDING = 1e-12
SHAPES = ((3, 4), (2, 3, 4), (5,), ())


def _sequence(seed, grad_scale, shapes=SHAPES, steps=STEPS):
    rng = np.random.default_rng(seed)
    params0 = [np.asarray(rng.standard_normal(s)) for s in shapes]
    grads = [[np.asarray(grad_scale * rng.standard_normal(s)) for s in shapes] for _ in range(steps)]
    return params0, grads


# --------------------------------------------------------------------------- cross-checks
def test_lion_matches_keras_on_random_configurations():
    """keras.optimizers.Lion 과 반올림 수준(1e-12)에서 같다: 4 개 설정 × 200 스텝.

    Lion 의 업데이트 sign(c_t) 는 c_t = 0 에서 불연속이다. 두 구현의 c_t 가 반올림 한 번만큼 달라 0 의 양쪽에 놓이면
    그 좌표는 2·lr 만큼 갈라지고 상대 차이는 1e-12 를 훨씬 넘는다. 연속 분포에서 뽑은 무작위 그래디언트에서 |c_t| 가
    반올림 크기(1e-16·|g|)보다 작을 확률은 원소·스텝마다 1e-16 쯤이라 여기서는 일어나지 않는다. 정수 그래디언트나
    beta_1 = 1 이 아닌 정확히 상쇄되는 입력에서는 일어날 수 있다.
    """
    rng = np.random.default_rng(21)
    worst = 0.0
    for k in range(4):
        hyper = dict(learning_rate=float(10 ** rng.uniform(-4, -1)), beta_1=float(rng.uniform(0.05, 1.0)),
                     beta_2=float(rng.uniform(0.5, 0.999)),
                     weight_decay=None if k % 2 == 0 else float(rng.uniform(0.0, 1.0)))
        params0, grads = _sequence(400 + k, float(10 ** rng.uniform(-3, 2)))
        rel = _differences(_run_adamlearn(Lion, hyper, params0, grads), _run_keras("Lion", hyper, params0, grads))[1]
        assert rel < ROUNDING, (hyper, rel)
        worst = max(worst, rel)
    print(f"keras Lion: max rel diff {worst:.3e} over 4 configs x {STEPS} steps")


def test_lamb_matches_keras_on_random_configurations():
    """keras.optimizers.Lamb 과 반올림 수준(1e-12)에서 같다: 4 개 설정 × 200 스텝."""
    rng = np.random.default_rng(22)
    worst = 0.0
    for k in range(4):
        hyper = dict(learning_rate=float(10 ** rng.uniform(-4, -1)), beta_1=float(rng.uniform(0.0, 0.99)),
                     beta_2=float(rng.uniform(0.5, 0.9999)), epsilon=float(10 ** rng.uniform(-8, -2)),
                     weight_decay=None if k % 2 == 0 else float(rng.uniform(0.0, 1.0)))
        params0, grads = _sequence(500 + k, float(10 ** rng.uniform(-3, 2)))
        rel = _differences(_run_adamlearn(Lamb, hyper, params0, grads), _run_keras("Lamb", hyper, params0, grads))[1]
        assert rel < ROUNDING, (hyper, rel)
        worst = max(worst, rel)
    print(f"keras Lamb: max rel diff {worst:.3e} over 4 configs x {STEPS} steps")


# --------------------------------------------------------------------------- Lion's properties
def test_lion_moves_every_coordinate_by_exactly_lr():
    """weight_decay = 0 이면 업데이트의 모든 원소가 정확히 ±lr 이다 (그래디언트의 크기와 상관없이)."""
    rng = np.random.default_rng(0)
    p = rng.standard_normal((4, 5))
    state = lion_init(p)
    for scale in (1e-6, 1.0, 1e6):
        tape = {}
        p, state = lion(p, scale * rng.standard_normal((4, 5)), state, lr=3e-4, tape=tape)
        assert set(np.abs(tape["update"]).ravel()) == {3e-4}


def test_lion_keeps_one_buffer_and_its_two_lines_are_emas():
    """상태는 m 하나 (Adam 은 m, s 둘). c_t 와 m_t 는 같은 EMA 에 계수만 beta1, beta2 다."""
    rng = np.random.default_rng(1)
    p, g = rng.standard_normal(6), rng.standard_normal(6)
    state = lion_init(p)._replace(m=rng.standard_normal(6))
    tape = {}
    _, new = lion(p, g, state, beta1=0.7, beta2=0.95, tape=tape)
    assert new._fields == ("t", "m")
    np.testing.assert_array_equal(tape["c"], F.ema(state.m, g, 0.7))
    np.testing.assert_array_equal(new.m, F.ema(state.m, g, 0.95))


def test_lion_weight_decay_is_the_papers_lr_times_lambda_theta():
    """분리된 감쇠 (1 - lr*wd)*theta - lr*sign(c) 는 논문의 theta - lr*(sign(c) + wd*theta) 와 반올림 안에서 같다."""
    rng = np.random.default_rng(2)
    p, g = rng.standard_normal(8), rng.standard_normal(8)
    new, _ = lion(p, g, lion_init(p), lr=1e-2, weight_decay=0.5)
    paper = p - 1e-2 * (np.sign(0.1 * g) + 0.5 * p)
    # 곱셈·뺄셈 몇 번의 반올림: 각각 |p| 의 0.5 ULP 이하이므로 4 ULP(max|p|) 면 넉넉하다
    np.testing.assert_allclose(new, paper, rtol=0, atol=4 * np.finfo(float).eps * np.max(np.abs(p)))


# --------------------------------------------------------------------------- LAMB's properties
def test_lamb_direction_is_adams_update_over_lr():
    """LAMB 의 방향 r_t 는 Adam (torch 형식 eps) 의 업데이트를 lr 로 나눈 것: 식 (1)-(5) 가 그대로다."""
    rng = np.random.default_rng(3)
    p = rng.standard_normal((3, 4))
    ls, as_ = lamb_init(p), F.adam_init(p)
    for _ in range(20):
        g = rng.standard_normal((3, 4))
        lt, at = {}, {}
        _, ls = lamb(p, g, ls, lr=1e-2, eps=1e-6, tape=lt)
        _, as_ = F.adam(p, g, as_, lr=1.0, eps=1e-6, tape=at)
        np.testing.assert_allclose(lt["r"], at["update"], rtol=1e-15)  # 같은 식, 곱셈 순서만 다르다


def test_lamb_step_length_is_lr_times_parameter_norm():
    """weight_decay = 0 이면 ||theta_t - theta_{t-1}|| = lr * ||theta_{t-1}||: 층마다 자기 크기의 lr 배만큼 움직인다."""
    rng = np.random.default_rng(4)
    for scale in (1e-3, 1.0, 1e3):
        p = scale * rng.standard_normal((5, 6))
        state = lamb_init(p)
        for _ in range(5):
            new, state = lamb(p, rng.standard_normal((5, 6)), state, lr=0.02)
            np.testing.assert_allclose(np.linalg.norm(new - p), 0.02 * np.linalg.norm(p), rtol=1e-12)  # 뺄셈의 상쇄
            p = new


def test_lamb_trust_ratio_is_one_for_a_zero_parameter():
    tape = {}
    lamb(np.zeros(3), np.ones(3), lamb_init(np.zeros(3)), tape=tape)
    assert tape["trust_ratio"] == 1.0


def test_lamb_papers_weight_decay_equals_keras_form_only_without_decay():
    """논문 Algorithm 2 (감쇠를 신뢰 비율 안에) 와 Keras (분리된 감쇠) 는 weight_decay = 0 에서 비트 단위로 같고, 아니면 다르다."""
    rng = np.random.default_rng(5)
    p0 = rng.standard_normal(7)
    for wd, same in ((0.0, True), (0.1, False)):
        pa, sa, pb, sb = p0, lamb_init(p0), p0, lamb_init(p0)
        for _ in range(10):
            g = rng.standard_normal(7)
            pa, sa = lamb(pa, g, sa, lr=1e-2, weight_decay=wd)
            pb, sb = lamb(pb, g, sb, lr=1e-2, weight_decay=wd, decay_in_trust_ratio=True)
        assert np.array_equal(pa, pb) == same


# --------------------------------------------------------------------------- validation
def _params():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((2, 3)), rng.standard_normal(4), np.array(0.5)]


BAD_HYPER = [
    (Lion, "learning_rate", -1e-3, ValueError),
    (Lion, "beta_1", 0.0, ValueError),  # Keras 도 거절한다: SignSGD 가 된다
    (Lion, "beta_1", 1.5, ValueError),
    (Lion, "beta_2", -0.1, ValueError),
    (Lion, "beta_2", 1.01, ValueError),
    (Lion, "weight_decay", -0.1, ValueError),
    (Lamb, "learning_rate", float("nan"), ValueError),
    (Lamb, "beta_1", 1.0, ValueError),
    (Lamb, "beta_2", -0.5, ValueError),
    (Lamb, "epsilon", -1e-7, ValueError),
    (Lamb, "weight_decay", float("inf"), ValueError),
]


@pytest.mark.parametrize(("cls", "name", "value", "error"), BAD_HYPER,
                         ids=[f"{c.__name__}-{n}={v!r}" for c, n, v, _ in BAD_HYPER])
def test_invalid_hyperparameter_is_rejected_with_its_name_and_value(cls, name, value, error):
    with pytest.raises(error, match=name) as info:
        cls(_params(), **{name: value})
    assert repr(value) in str(info.value)


def test_keras_also_rejects_lion_beta_1_zero():
    from adamlearn.crosscheck import import_keras

    keras = import_keras()
    with pytest.raises(ValueError, match="beta_1"):
        keras.optimizers.Lion(beta_1=0.0)


@pytest.mark.parametrize("cls", [Lion, Lamb])
@pytest.mark.parametrize("case", ["nan", "inf", "shape", "overflow"])
def test_bad_step_is_rejected_and_nothing_changes(cls, case):
    params = _params()
    opt = cls(params, weight_decay=0.01)
    opt.step([np.full_like(p, 0.1) for p in params])
    grads = [np.full_like(p, 0.1) for p in params]
    if case == "nan":
        grads[1][3] = np.nan
        pattern = r"grads\[1\].*nan"
    elif case == "inf":
        grads[0][0, 0] = -np.inf
        pattern = r"grads\[0\].*inf"
    elif case == "shape":
        grads[2] = np.zeros(1)
        pattern = r"grads\[2\].*\(1,\)"
    else:
        grads[0][0, 0] = 1e300  # Lamb: g*g 가 넘친다; Lion: 1e300 은 유한하고 sign 은 ±1 이라 스텝이 된다
        pattern = r"g\*g overflows" if cls is Lamb else None
    before = [p.copy() for p in params], opt.state_dict()
    if pattern is None:
        opt.step(grads)  # Lion 은 g*g 를 계산하지 않는다: 거절할 이유가 없다
        assert all(np.isfinite(p).all() for p in params)
        return
    with pytest.raises(ValueError, match=pattern):
        opt.step(grads)
    for p, q in zip(params, before[0]):
        np.testing.assert_array_equal(p, q)
    after = opt.state_dict()
    for a, b in zip(after["state"], before[1]["state"]):
        for k in b:
            np.testing.assert_array_equal(a[k], b[k])


@pytest.mark.parametrize("cls", [Lion, Lamb])
def test_state_dict_and_file_round_trip_bit_for_bit(cls, tmp_path):
    import adamlearn

    rng = np.random.default_rng(6)
    grads = [[rng.standard_normal(p.shape) for p in _params()] for _ in range(10)]
    full = _params()
    opt = cls(full, weight_decay=0.05)
    for g in grads:
        opt.step(g)
    half = _params()
    a = cls(half, weight_decay=0.05)
    for g in grads[:5]:
        a.step(g)
    adamlearn.save_state(a, tmp_path / "s.npz")
    b = cls(half, weight_decay=0.05)
    adamlearn.load_state(b, tmp_path / "s.npz")
    for g in grads[5:]:
        b.step(g)
    for p, q in zip(full, half):
        np.testing.assert_array_equal(p, q)
