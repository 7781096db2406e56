"""Adafactor (adamlearn._adafactor): 논문의 성질, torch.optim.Adafactor 와 keras.optimizers.Adafactor 와의 교차 확인, 입력 검사.

교차 확인은 float64, 시드를 고정한 무작위 설정 여러 개, 설정마다 300 스텝이다. 행렬(2차원), 3차원 텐서, 벡터, 스칼라를
한 옵티마이저에 같이 넣고, 가중치 감쇠가 있는 설정과 없는 설정을 섞는다.

Keras 의 float64 는 float64 가 아니다: Keras 3 의 ``ops.mean`` 은 float64 입력을 float32 로 바꿔 평균을 내고,
``ops.minimum``/``ops.maximum`` 은 float64 끼리도 float32 결과를 낸다 (torch 백엔드). adamlearn 의 Keras 형식은
``float32_reductions=True`` 로 그 반올림을 재현한다. float32 합의 덧셈 순서는 numpy 와 torch 가 4 개 이하의 항에서만
같으므로, 모든 평균이 4 항 이하인 텐서에서는 1e-12 안에서 같고, 더 큰 텐서에서는 float32 반올림에서 유도한 한계 안에 있다.
"""

import math
import os

import numpy as np
import pytest

from adamlearn import _adafactor as A
from adamlearn._adafactor import Adafactor, KerasAdafactor, adafactor, adafactor_init
from adamlearn.crosscheck import _differences, _run_adamlearn, _run_keras, _run_torch

os.environ.setdefault("KERAS_BACKEND", "torch")

STEPS = 300
KERAS_STEPS = 200  # keras 의 apply 는 스텝마다 느리다 (40 초 예산): 200 스텝
#: float64, 300 스텝: 반올림만 남은 두 구현의 차이 상한 (crosscheck.rounding_bound 와 같은 근거: 2·steps·eps = 1.3e-13).
ROUNDING = 1e-12
#: 행렬, 3차원 텐서, 벡터, 스칼라
SHAPES = ((3, 4), (2, 3, 4), (5,), ())
#: 모든 float32 평균(행, 열, RMS, mean(R))이 4 항 이하: numpy 와 torch 의 float32 덧셈 순서가 같다.
SMALL_SHAPES = ((2, 2), (1, 2, 2), (2, 1), (4,), ())


def _sequence(shapes, steps, seed, grad_scale):
    rng = np.random.default_rng(seed)
    params0 = [np.asarray(rng.standard_normal(s)) for s in shapes]
    grads = [[np.asarray(grad_scale * rng.standard_normal(s)) for s in shapes] for _ in range(steps)]
    return params0, grads


def _torch_config(rng):
    """torch.optim.Adafactor 의 무작위 설정 (가중치 감쇠는 절반만)."""
    return dict(
        lr=float(10 ** rng.uniform(-3, -1)),
        beta2_decay=float(rng.uniform(-1.0, -0.3)),
        eps=(None if rng.random() < 0.5 else float(10 ** rng.uniform(-30, -2)), float(10 ** rng.uniform(-4, -1))),
        d=float(rng.uniform(1.0, 3.0)),
        weight_decay=0.0 if rng.random() < 0.5 else float(rng.uniform(0.0, 0.5)),
        maximize=bool(rng.random() < 0.3),
    )


def _keras_config(rng):
    return dict(
        learning_rate=float(10 ** rng.uniform(-3, -1)),
        beta_2_decay=float(rng.uniform(-1.0, -0.3)),
        epsilon_1=float(10 ** rng.uniform(-30, -2)),  # 1e-2 쪽이면 g² 와 겨룬다: eps1 의 자리(add/clamp)가 드러난다
        epsilon_2=float(10 ** rng.uniform(-4, -1)),
        clip_threshold=float(rng.uniform(0.3, 3.0)),
        relative_step=bool(rng.random() < 0.5),
        weight_decay=None if rng.random() < 0.5 else float(rng.uniform(0.0, 0.5)),
    )


# --------------------------------------------------------------------------- torch
def test_torch_adafactor_matches_on_random_configurations():
    """torch.optim.Adafactor 와 반올림 수준(1e-12)에서 같다: 6 개 설정 × 300 스텝, 그래디언트 크기도 무작위."""
    rng = np.random.default_rng(11)
    worst = 0.0
    for k in range(6):
        hyper = _torch_config(rng)
        params0, grads = _sequence(SHAPES, STEPS, seed=100 + k, grad_scale=float(10 ** rng.uniform(-3, 2)))
        ours = _run_adamlearn(Adafactor, hyper, params0, grads)
        ref = _run_torch("Adafactor", hyper, params0, grads)
        rel = _differences(ours, ref)[1]
        assert rel < ROUNDING, (hyper, rel)
        worst = max(worst, rel)
    print(f"torch Adafactor: max rel diff {worst:.3e} over 6 configs x {STEPS} steps")


def test_torch_state_is_the_factored_row_and_column_means():
    """torch 의 row_var (n,1), col_var (1,m), variance 가 adamlearn 의 row (n,), col (m,), v 와 같다."""
    import torch

    from adamlearn.crosscheck import torch_default_dtype

    params0, grads = _sequence(((3, 4), (5,)), 20, seed=3, grad_scale=1.0)
    ours = [p.copy() for p in params0]
    opt = Adafactor(ours, weight_decay=0.1)
    with torch_default_dtype(np.float64):
        tensors = [torch.tensor(p, requires_grad=True) for p in params0]
        ref = torch.optim.Adafactor(tensors, weight_decay=0.1)
        for gs in grads:
            opt.step(gs)
            for t, g in zip(tensors, gs):
                t.grad = torch.from_numpy(g.copy())
            ref.step()
    st = ref.state[tensors[0]]
    # 같은 식, 다른 반올림(lerp 대 ema): 20 스텝이면 상대 1e-14 안
    np.testing.assert_allclose(opt.state[0].row, st["row_var"].numpy()[:, 0], rtol=1e-14)
    np.testing.assert_allclose(opt.state[0].col, st["col_var"].numpy()[0, :], rtol=1e-14)
    np.testing.assert_allclose(opt.state[1].v, ref.state[tensors[1]]["variance"].numpy(), rtol=1e-14)
    assert opt.state[0].row.shape == (3,) and opt.state[0].col.shape == (4,) and opt.state[0].v is None


def test_torch_parameter_groups_and_missing_gradients_match():
    """그룹마다 다른 lr, weight_decay 와 None 그래디언트(그 파라미터를 건너뛴다: 상태와 스텝 수도 그대로)가 torch 와 같다."""
    import torch

    from adamlearn.crosscheck import torch_default_dtype

    params0, grads = _sequence(SHAPES, 100, seed=7, grad_scale=1.0)
    skip = np.random.default_rng(8).random((100, len(SHAPES))) < 0.2
    ours = [p.copy() for p in params0]
    opt = Adafactor([{"params": ours[:2], "lr": 0.03, "weight_decay": 0.2}, {"params": ours[2:]}], lr=0.01)
    with torch_default_dtype(np.float64):
        tensors = [torch.tensor(p, requires_grad=True) for p in params0]
        ref = torch.optim.Adafactor([{"params": tensors[:2], "lr": 0.03, "weight_decay": 0.2}, {"params": tensors[2:]}],
                                    lr=0.01)
        for k, gs in enumerate(grads):
            opt.step([None if skip[k, i] else g for i, g in enumerate(gs)])
            for i, (t, g) in enumerate(zip(tensors, gs)):
                t.grad = None if skip[k, i] else torch.from_numpy(g.copy())
            ref.step()
    assert _differences([ours], [[t.detach().numpy() for t in tensors]])[1] < ROUNDING
    assert [s.t for s in opt.state] == [int(ref.state[t]["step"]) for t in tensors] == list(100 - skip.sum(axis=0))


# --------------------------------------------------------------------------- keras
def test_keras_adafactor_matches_where_float32_sums_have_one_order():
    """모든 평균이 4 항 이하인 텐서: Keras 와 반올림 수준(1e-12)에서 같다. 4 개 설정 × 200 스텝."""
    rng = np.random.default_rng(12)
    worst = 0.0
    for k in range(4):
        hyper, scale = _keras_config(rng), float(10 ** rng.uniform(-3, 2))
        if k == 0:  # eps1 이 g² 와 같은 크기: eps1 을 더하는지(Keras) 바닥으로 쓰는지(torch)가 궤적을 바꾼다
            hyper["epsilon_1"], scale = 1e-3, 3e-2
        params0, grads = _sequence(SMALL_SHAPES, KERAS_STEPS, seed=200 + k, grad_scale=scale)
        ours = _run_adamlearn(KerasAdafactor, hyper, params0, grads)
        ref = _run_keras("Adafactor", hyper, params0, grads)
        rel = _differences(ours, ref)[1]
        assert rel < ROUNDING, (hyper, rel)
        worst = max(worst, rel)
    print(f"keras Adafactor (<= 4-term means): max rel diff {worst:.3e} over 4 configs x {KERAS_STEPS} steps")


class _ExactKeras(KerasAdafactor):
    """Keras 형식이지만 평균·min·max 를 float64 그대로 계산한다 (``float32_reductions=False``)."""

    def _core_kwargs(self, h):
        return {**super()._core_kwargs(h), "float32_reductions": False}


def test_keras_float64_adafactor_carries_float32_rounding():
    """Keras 의 float64 Adafactor 는 float32 반올림을 싣는다: 그 반올림이 없으면 1e-12 는커녕 1e-10 에도 못 미친다.

    같은 설정에서 float32 반올림을 재현하면 1e-12 안이므로(위 테스트), 차이는 알고리즘이 아니라 반올림 하나에서 온다.
    """
    hyper = dict(learning_rate=0.01, weight_decay=0.1)
    params0, grads = _sequence(SMALL_SHAPES, KERAS_STEPS, seed=5, grad_scale=1.0)
    ref = _run_keras("Adafactor", hyper, params0, grads)
    exact = _differences(_run_adamlearn(_ExactKeras, hyper, params0, grads), ref)[1]
    emulated = _differences(_run_adamlearn(KerasAdafactor, hyper, params0, grads), ref)[1]
    assert emulated < ROUNDING
    # float32 의 상대 반올림 2**-24 = 6e-8 이 스텝마다 alpha_t 에 들어가고 파라미터는 스텝마다 rho_t = 1e-2 배쯤 움직인다:
    # 200 스텝 뒤 1e-9 쯤의 차이. 1e-10 보다 크고 1e-6 보다 작다는 것이 그 크기다.
    assert 1e-10 < exact < 1e-6, exact


def _float32_bound(params0, ref, n_max):
    """스텝마다 float32 반올림 차이의 한계: kappa * 2**-24 * (지금까지 움직인 거리의 합) / 파라미터의 크기.

    두 구현은 같은 float32 반올림 지점을 갖고 float32 합의 덧셈 순서만 다르다. n 항 float32 합(모두 0 이상)의 상대
    오차는 (n-1) 2**-24 이하이고, alpha_t 에는 RMS(theta) 의 평균 하나(제곱근이라 절반)와 float32 반올림 세 번(max, 곱,
    rho), U_t 에는 R_t, C_t, mean(R_t) 의 평균(제곱근이라 절반씩)이, 클리핑에는 RMS(U_t) 의 평균이 들어간다. 한 구현의
    상대 오차는 3(n-1) + 3 배의 2**-24 이하, 두 구현의 차이는 그 두 배이므로 kappa = 8 n 은 넉넉한 상한이다. 그래디언트
    열이 정해져 있어 한 스텝의 차이는 불어나지 않고 쌓인다 (가중치 감쇠는 1 보다 작은 배율이다).
    """
    kappa = 8 * n_max
    moved, prev, bounds = 0.0, params0, []
    for params in ref:
        moved += max(float(np.max(np.abs(a - b), initial=0.0)) for a, b in zip(params, prev))
        prev = params
        scale = max(float(np.max(np.abs(a), initial=0.0)) for a in params)
        bounds.append(kappa * 2.0**-24 * moved / scale)
    return bounds


def test_keras_adafactor_on_larger_tensors_is_within_the_float32_bound():
    """4 항보다 긴 평균(3×4, 2×3×4)에서는 float32 합의 덧셈 순서가 numpy 와 torch 에서 달라, 차이가 float32 반올림 한계 안에 있다."""
    rng = np.random.default_rng(13)
    for k in range(2):
        hyper = _keras_config(rng)
        params0, grads = _sequence(SHAPES, KERAS_STEPS, seed=300 + k, grad_scale=float(10 ** rng.uniform(-2, 1)))
        ours = _run_adamlearn(KerasAdafactor, hyper, params0, grads)
        ref = _run_keras("Adafactor", hyper, params0, grads)
        bounds = _float32_bound(params0, ref, n_max=24)
        for step, (a, b, bound) in enumerate(zip(ours, ref, bounds), start=1):
            rel = _differences([a], [b])[1]
            assert rel <= bound, (hyper, step, rel, bound)


def test_keras_relative_step_changes_nothing():
    """Keras 의 relative_step=False 와 True 는 비트 단위로 같은 궤적이다 (adafactor.py 151-158: rho_t 가 늘 min(lr, 1/sqrt t))."""
    params0, grads = _sequence(((3, 4), (5,)), 50, seed=6, grad_scale=1.0)
    on = _run_keras("Adafactor", dict(learning_rate=0.5, relative_step=True), params0, grads)
    off = _run_keras("Adafactor", dict(learning_rate=0.5, relative_step=False), params0, grads)
    for a, b in zip(on, off):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)


# --------------------------------------------------------------------------- the algorithm
def test_first_step_factors_a_rank_one_second_moment_exactly():
    """t=1 에서 beta2_hat = 0 이므로 V_1 = R_1 C_1 / mean(R_1). G² 가 랭크 1 (a_i b_j) 이면 V_1 = G² 이고 U_1 = sign(G)."""
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.5, 2, 3), rng.uniform(0.5, 2, 4)
    signs = rng.choice([-1.0, 1.0], size=(3, 4))
    g = signs * np.sqrt(np.outer(a, b))
    tape = {}
    adafactor(np.ones((3, 4)), g, adafactor_init(np.ones((3, 4))), eps1=0.0, tape=tape)
    np.testing.assert_allclose(tape["v_hat"], g * g, rtol=4e-16 * 8)  # 곱·나눗셈·평균의 반올림 몇 번
    np.testing.assert_allclose(tape["u"], signs, rtol=4e-16 * 8)
    np.testing.assert_allclose(tape["row"], np.mean(g * g, axis=1), rtol=0)


def test_clipped_update_has_rms_at_most_d():
    """업데이트 클리핑: RMS(U_hat_t) <= d (Algorithm 4 줄 8), 그리고 RMS(U_t) 가 d 보다 작으면 U_hat_t = U_t."""
    rng = np.random.default_rng(1)
    p = rng.standard_normal((4, 5))
    state = adafactor_init(p)
    clipped = unclipped = 0
    for _ in range(100):
        tape = {}
        g = rng.standard_normal((4, 5)) * rng.choice([1e-3, 1.0, 1e3])
        p, state = adafactor(p, g, state, d=1.2, tape=tape)
        r_u, r_hat = A.rms(tape["u"]), A.rms(tape["u_hat"])
        assert r_hat <= 1.2 * (1 + 1e-15)
        if r_u > 1.2:
            clipped += 1
        else:
            unclipped += 1
            np.testing.assert_array_equal(tape["u_hat"], tape["u"])
    assert clipped and unclipped  # 두 경우 모두 지났다


def test_eps1_placement_is_the_only_difference_between_the_two_forms():
    """eps1 = 0 이면 torch 형식(clamp)과 논문·Keras 형식(add)이 비트 단위로 같다: 두 형식은 eps1 의 자리만 다르다."""
    rng = np.random.default_rng(2)
    for shape in ((3, 4), (2, 3, 4), (5,), ()):
        p0 = rng.standard_normal(shape)
        pa, sa, pb, sb = p0, adafactor_init(p0), p0, adafactor_init(p0)
        for _ in range(30):
            g = rng.standard_normal(shape)
            pa, sa = adafactor(pa, g, sa, eps1=0.0, eps1_mode="clamp", weight_decay=0.1)
            pb, sb = adafactor(pb, g, sb, eps1=0.0, eps1_mode="add", weight_decay=0.1)
        np.testing.assert_array_equal(pa, pb)


def test_state_memory_is_n_plus_m_for_matrices():
    """n×m 행렬의 상태는 n + m 개 (Adam 은 2nm), 벡터는 n 개, 앞의 축은 배치처럼 따로."""
    for shape, size in (((300, 200), 500), ((7, 300, 200), 7 * 500), ((50,), 50), ((), 1)):
        state = adafactor_init(np.zeros(shape))
        assert sum(x.size for x in state[1:] if x is not None) == size


def test_float32_parameters_stay_float32():
    p = [np.ones((3, 4), np.float32), np.ones(5, np.float32)]
    for cls in (Adafactor, KerasAdafactor):
        q = [x.copy() for x in p]
        opt = cls(q)
        opt.step([np.full_like(x, 0.5) for x in q])
        assert all(x.dtype == np.float32 for x in q)
        assert all(a.dtype == np.float32 for s in opt.state for a in s[1:] if a is not None)


# --------------------------------------------------------------------------- validation
def _params():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((2, 3)), rng.standard_normal(4), np.array(0.5)]


BAD_HYPER = [
    (Adafactor, "lr", -1e-2, ValueError),
    (Adafactor, "beta2_decay", 0.5, ValueError),
    (Adafactor, "beta2_decay", float("nan"), ValueError),
    (Adafactor, "eps", (-1.0, 1e-3), ValueError),
    (Adafactor, "eps", (None, -1e-3), ValueError),
    (Adafactor, "eps", (None,), ValueError),
    (Adafactor, "eps", "small", ValueError),
    (Adafactor, "d", 0.5, ValueError),
    (Adafactor, "weight_decay", -0.1, ValueError),
    (Adafactor, "maximize", "yes", TypeError),
    (KerasAdafactor, "learning_rate", -1.0, ValueError),
    (KerasAdafactor, "beta_2_decay", 0.1, ValueError),
    (KerasAdafactor, "epsilon_1", -1e-30, ValueError),
    (KerasAdafactor, "epsilon_2", float("inf"), ValueError),
    (KerasAdafactor, "clip_threshold", 0.0, ValueError),
    (KerasAdafactor, "relative_step", 1, TypeError),
    (KerasAdafactor, "weight_decay", -1.0, ValueError),
]


@pytest.mark.parametrize(("cls", "name", "value", "error"), BAD_HYPER,
                         ids=[f"{c.__name__}-{n}={v!r}" for c, n, v, _ in BAD_HYPER])
def test_invalid_hyperparameter_is_rejected_with_its_name_and_value(cls, name, value, error):
    with pytest.raises(error, match=name) as info:
        cls(_params(), **{name: value})
    assert repr(value) in str(info.value)


def _snapshot(opt):
    return [p.copy() for p in opt.params], opt.state_dict()


def _assert_unchanged(opt, snap):
    params, sd = snap
    for p, q in zip(opt.params, params):
        np.testing.assert_array_equal(p, q)
    now = opt.state_dict()
    assert now["hyper"] == sd["hyper"]
    for a, b in zip(now["state"], sd["state"]):
        for k in b:
            if b[k] is None:
                assert a[k] is None
            else:
                np.testing.assert_array_equal(a[k], b[k])


@pytest.mark.parametrize("cls", [Adafactor, KerasAdafactor])
@pytest.mark.parametrize("case", ["nan", "inf", "shape", "overflow", "hyper", "eps1=0"])
def test_bad_step_is_rejected_and_nothing_changes(cls, case):
    params = _params()
    opt = cls(params)
    opt.step([np.full_like(p, 0.1) for p in params])  # 상태가 0 이 아니게
    grads = [np.full_like(p, 0.1) for p in params]
    if case == "nan":
        grads[0][1, 2] = np.nan
        pattern = r"grads\[0\].*nan"
    elif case == "inf":
        grads[2] = np.array(np.inf)
        pattern = r"grads\[2\].*inf"
    elif case == "shape":
        grads[0] = np.zeros((3, 2))
        pattern = r"grads\[0\].*\(3, 2\).*\(2, 3\)"
    elif case == "overflow":
        grads[1][0] = 1e200  # g*g 가 float64 를 넘는다
        pattern = r"grads\[1\].*g\*g overflows float64.*Nothing was changed"
    elif case == "hyper":
        opt.hyper[next(iter(opt.defaults))] = -1.0  # lr / learning_rate
        pattern = r"=-1\.0"
    else:  # eps1 = 0 이고 처음부터 0 인 그래디언트 원소: V_t = 0 이라 U_t = 0/0
        params = _params()
        opt = cls(params, **({"eps": (0.0, 1e-3)} if cls is Adafactor else {"epsilon_1": 0.0}))
        grads = [np.full_like(p, 0.1) for p in params]
        grads[1][2] = 0.0
        pattern = r"grads\[1\].*eps1=0.*params\[1\].*Nothing was changed"
    snap = _snapshot(opt)
    with pytest.raises((ValueError, TypeError), match=pattern):
        opt.step(grads)
    _assert_unchanged(opt, snap)


def test_reshaped_parameter_is_caught_before_anything_is_written():
    params = _params()
    opt = Adafactor(params)
    opt.step([np.full_like(p, 0.1) for p in params])
    snap = _snapshot(opt)
    opt.params[0].shape = (3, 2)  # 같은 배열 객체의 모양을 제자리에서 바꾼다
    with pytest.raises(ValueError, match=r"params\[0\] now has shape \(3, 2\).*state\[0\]\['row'\]"):
        opt.step([np.full_like(p, 0.1) for p in opt.params])
    np.testing.assert_array_equal(opt.params[0].reshape(2, 3), snap[0][0])  # 아무것도 쓰지 않았다
    np.testing.assert_array_equal(opt.state[0].row, snap[1]["state"][0]["row"])


@pytest.mark.parametrize("cls", [Adafactor, KerasAdafactor])
def test_state_dict_round_trip_and_checkpoint_file(cls, tmp_path):
    """state_dict 와 .npz 파일로 되살린 학습은 멈추지 않은 학습과 비트 단위로 같다 (모양이 다른 R, C 필드도)."""
    import adamlearn

    rng = np.random.default_rng(4)
    grads = [[rng.standard_normal(p.shape) for p in _params()] for _ in range(10)]
    full = _params()
    opt = cls(full, weight_decay=0.05)
    for g in grads:
        opt.step(g)
    half = _params()
    a = cls(half, weight_decay=0.05)
    for g in grads[:5]:
        a.step(g)
    adamlearn.save_state(a, tmp_path / "af.npz")
    b = cls(half, weight_decay=0.05)
    adamlearn.load_state(b, tmp_path / "af.npz")
    c = cls([p.copy() for p in half], weight_decay=0.05)
    c.load_state_dict(a.state_dict())
    for g in grads[5:]:
        b.step(g)
    for p, q in zip(full, half):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize(("edit", "error", "pattern"), [
    (lambda sd: sd["state"][0].__setitem__("row", np.zeros(4)), ValueError, r"state\[0\]\['row'\] has shape \(4,\)"),
    (lambda sd: sd["state"][0].__setitem__("v", np.zeros((2, 3))), TypeError, r"state\[0\]\['v'\].*expected None"),
    (lambda sd: sd["state"][1].__setitem__("v", None), TypeError, r"state\[1\]\['v'\] is NoneType"),
    (lambda sd: sd["state"][0].__setitem__("col", -np.ones(3)), ValueError, r"state\[0\]\['col'\] has a negative"),
    (lambda sd: sd["state"][0].__setitem__("col", np.full(3, np.nan)), ValueError, r"state\[0\]\['col'\].*NaN"),
    (lambda sd: sd["state"][2].pop("t"), ValueError, r"state\[2\] has missing key\(s\) \['t'\]"),
])
def test_malformed_state_dict_is_rejected_and_nothing_changes(edit, error, pattern):
    params = _params()
    opt = Adafactor(params)
    opt.step([np.full_like(p, 0.1) for p in params])
    sd = opt.state_dict()
    edit(sd)
    snap = _snapshot(opt)
    with pytest.raises(error, match=pattern):
        opt.load_state_dict(sd)
    _assert_unchanged(opt, snap)


def test_functional_rejects_an_unknown_eps1_mode():
    with pytest.raises(ValueError, match="eps1_mode='paper'"):
        adafactor(np.zeros(2), np.ones(2), adafactor_init(np.zeros(2)), eps1_mode="paper")


def test_relative_step_size_is_min_of_lr_and_inverse_sqrt_t():
    """rho_t = min(lr, 1/sqrt t): lr = 0.5 이면 t = 4 부터 1/sqrt t 가 작다."""
    p, s = np.ones(3), adafactor_init(np.ones(3))
    rhos = []
    for _ in range(6):
        tape = {}
        p, s = adafactor(p, np.ones(3), s, lr=0.5, tape=tape)
        rhos.append(tape["rho"])
    assert rhos == [0.5, 0.5, 0.5, 0.5, 1 / math.sqrt(5), 1 / math.sqrt(6)]
