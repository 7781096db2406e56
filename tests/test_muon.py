"""Muon: 뉴턴–슐츠 반복, torch.optim.Muon (bfloat16) 과 keras.optimizers.Muon 과의 교차 확인, 입력 검사.

torch 와 keras 는 테스트 안에서 가져온다. 그래디언트 열은 시드를 고정한 난수라서 파라미터에 기대지 않는다:
한 스텝의 차이는 다음 스텝에서 불어나지 않고 더해지기만 한다 (bound 의 계산이 이것에 기댄다).
"""

from __future__ import annotations

import contextlib
import os
import types

import numpy as np
import pytest

from adamlearn._muon import (
    DEFAULT_NS_COEFFICIENTS,
    KerasMuon,
    Muon,
    adjust_lr,
    muon,
    muon_init,
    newton_schulz,
)
from adamlearn.trace import Trace

os.environ.setdefault("KERAS_BACKEND", "torch")

U32 = 2.0**-24  # float32 의 단위 반올림


@contextlib.contextmanager
def _one_torch_thread():
    """torch 를 스레드 하나로: bfloat16 행렬 곱이 2 코어를 나눠 쓰는 기계에서 호출마다 20 ms 씩 기다리는 것을 피한다
    (1 스레드면 0.07 ms). 누적 순서도 스레드 수와 상관없이 하나로 정해진다."""
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _rel(ours, ref):
    """파라미터 목록 사이의 max|a-b| / max|b| (crosscheck.py 와 같은 정의)."""
    diff = max(float(np.max(np.abs(a - b), initial=0.0)) for a, b in zip(ours, ref))
    scale = max(float(np.max(np.abs(b), initial=0.0)) for b in ref)
    return diff / scale


def _ns_scalar_map(sigma, steps=5, coefficients=DEFAULT_NS_COEFFICIENTS):
    """특잇값 하나에 대한 뉴턴–슐츠 반복 f(σ) 와 그 도함수 f'(σ)."""
    a, b, c = coefficients
    f, df = np.asarray(sigma, dtype=np.float64), np.ones_like(sigma, dtype=np.float64)
    for _ in range(steps):
        df = df * (a + 3 * b * f**2 + 5 * c * f**4)
        f = a * f + b * f**3 + c * f**5
    return f, df


def _random_matrix(rng):
    shape = (int(rng.integers(2, 33)), int(rng.integers(2, 33)))
    return rng.standard_normal(shape) * 10 ** rng.uniform(-2, 2)


# --------------------------------------------------------------------------- Newton–Schulz
def test_newton_schulz_is_the_scalar_polynomial_on_singular_values_and_near_uv_t():
    """O = U f(S/‖G‖_F) V^T 이고, UV^T 와의 거리는 정확히 max|f(σ_i/‖G‖_F) - 1| 이다 (f 는 5차 다항식을 5 번)."""
    rng = np.random.default_rng(0)
    worst_identity = 0.0
    distances = []
    for shape in [(8, 8), (12, 5), (5, 12), (30, 20), (1, 6), (6, 1)]:
        for _ in range(5):
            G = rng.standard_normal(shape)
            O = newton_schulz(G)
            U, S, Vt = np.linalg.svd(G, full_matrices=False)
            f, _ = _ns_scalar_map(S / (np.linalg.norm(G) + 0.0))
            expected = (U * f) @ Vt
            worst_identity = max(worst_identity, float(np.max(np.abs(O - expected))))
            dist = float(np.linalg.norm(O - U @ Vt, 2))
            # 스펙트럼 노름의 거리는 특잇값 하나하나의 거리의 최댓값이다 (O 와 UV^T 가 같은 특이벡터를 쓰므로)
            assert dist == pytest.approx(float(np.max(np.abs(f - 1))), abs=1e-12)
            distances.append((dist, float(S.min() / np.linalg.norm(G))))
    # 5 번의 반복이 float64 반올림을 σ' ≤ 3.44^5 ≈ 480 배까지 키우므로 1e-16 의 몇백 배: 1e-12 는 그 위의 여유
    assert worst_identity < 1e-12, worst_identity
    # 특잇값이 ‖G‖_F 의 1% 이상이면 f 는 [0.68, 1.14] 안에 있다 (아래 격자에서 잰 범위; 2e-3 의 여유):
    # 그러니 UV^T 와의 스펙트럼 거리는 0.32 이하. 그보다 작은 특잇값은 f ≈ 3.44^5 σ 로 1 에 못 미친다.
    grid = np.linspace(0.01, 1, 100_001)
    f_grid, _ = _ns_scalar_map(grid)
    assert 0.68 < f_grid.min() and f_grid.max() < 1.14, (f_grid.min(), f_grid.max())
    for dist, smallest in distances:
        if smallest >= 0.01:
            assert dist < 0.32 + 2e-3, (dist, smallest)
    # 정확한 UV^T 가 아니라는 것도 잰다: 모든 행렬에서 거리가 0.05 보다 크다 (계수가 수렴이 아니라 속도를 고른 것)
    assert min(d for d, _ in distances) > 0.05


def test_newton_schulz_tall_matrices_are_transposed_wide_ones():
    rng = np.random.default_rng(1)
    G = rng.standard_normal((9, 4))
    np.testing.assert_array_equal(newton_schulz(G), newton_schulz(G.T).T)


def test_newton_schulz_bfloat16_matches_torch_at_bfloat16_rounding_level():
    """torch 의 ``_zeropower_via_newtonschulz`` (bfloat16) 와 ``ns_dtype="bfloat16"``.

    우리는 곱을 float64 로 하고 torch 가 bfloat16 텐서를 남기는 자리마다 한 번 반올림한다. torch 의 CPU bfloat16
    곱은 float32 로 누적하므로, 두 값이 bfloat16 반올림 경계의 서로 다른 쪽에 떨어질 때만 (드물게) 한 원소가
    1 ULP 다르고, 그 차이는 남은 반복에서 커질 수 있다.
    """
    import torch
    from torch.optim._muon import _zeropower_via_newtonschulz

    rng = np.random.default_rng(5)
    identical, ulps = 0, []
    with _one_torch_thread():
        results = [(G, _zeropower_via_newtonschulz(torch.tensor(G), DEFAULT_NS_COEFFICIENTS, 5, 1e-7).float().numpy())
                   for G in (_random_matrix(rng) for _ in range(300))]
    for G, T in results:
        O = newton_schulz(G, ns_dtype="bfloat16")
        d = float(np.max(np.abs(O - T.astype(np.float64))))
        identical += d == 0
        ulp = 2.0 ** (np.floor(np.log2(np.abs(T).max())) - 7)  # 가장 큰 원소 자리에서 bfloat16 의 1 ULP
        ulps.append(d / ulp)
    # 이 기계에서 300 개 중 272 개(91%)가 비트까지 같고, 최대 차이는 4 ULP 였다.
    # 다른 CPU(FMA 없음, AVX-512 BF16)에서는 float32 누적 순서가 달라 경계에 걸리는 원소가 달라진다:
    # 같은 비율의 절반(150 개)과 잰 최댓값의 두 배(8 ULP)를 요구한다.
    assert identical >= 150, identical
    assert max(ulps) <= 8, max(ulps)
    # float64 로 계산하면 bfloat16 과 몇 ULP 가 아니라 bfloat16 반올림 크기만큼 다르다: 옵션이 필요한 이유
    G = rng.standard_normal((16, 16))
    with _one_torch_thread():
        T = _zeropower_via_newtonschulz(torch.tensor(G), DEFAULT_NS_COEFFICIENTS, 5, 1e-7).float().numpy()
    assert np.max(np.abs(newton_schulz(G) - T)) > 2.0**-9


def test_adjust_lr_matches_torch():
    from torch.optim._muon import _adjust_lr

    for shape in [(3, 7), (7, 3), (8, 8), (100, 10)]:
        for fn in (None, "original", "match_rms_adamw"):
            assert adjust_lr(0.02, shape, fn or "original") == pytest.approx(_adjust_lr(0.02, fn, shape), rel=1e-15)
    assert adjust_lr(0.02, (3, 7), "none") == 0.02
    with pytest.raises(ValueError, match="adjust_lr_fn='bogus'"):
        adjust_lr(0.02, (3, 7), "bogus")


# --------------------------------------------------------------------------- torch cross-checks
def _run_torch(hyper, params0, grads, *, bf16=True, buffers=None):
    import torch

    from adamlearn.crosscheck import torch_default_dtype

    patch = contextlib.nullcontext()
    if not bf16:  # torch 의 코드 그대로, grad.bfloat16() 만 아무 일도 하지 않게 (형식과 정밀도를 떼어 본다)
        patch = pytest.MonkeyPatch.context()
    with torch_default_dtype("float64"), _one_torch_thread(), patch as mp:
        if mp is not None:
            mp.setattr(torch.Tensor, "bfloat16", lambda self: self.clone())  # 원래처럼 새 텐서 (div_ 가 제자리)
        ts = [torch.tensor(p, requires_grad=True) for p in params0]
        opt = torch.optim.Muon(ts, **hyper)
        out = []
        for gs in grads:
            for t, g in zip(ts, gs):
                t.grad = torch.from_numpy(g.copy())
            opt.step()
            out.append([t.detach().numpy().copy() for t in ts])
        if buffers is not None:  # 마지막 스텝 뒤의 momentum_buffer
            buffers.extend(opt.state[t]["momentum_buffer"].numpy().copy() for t in ts)
    return out


def _run_ours(cls, hyper, params0, grads, *, buffers=None, **kw):
    params = [p.copy() for p in params0]
    opt = cls(params, **hyper, **kw)
    if buffers is not None:
        buffers.append(opt)
    trace = Trace(keys=("o", "lr_adj"))
    out = []
    for gs in grads:
        opt.step(gs, trace=trace)
        out.append([p.copy() for p in params])
    return out, trace


def _torch_configs():
    rng = np.random.default_rng(11)
    for k in range(4):
        shapes = [(int(rng.integers(2, 12)), int(rng.integers(2, 12))) for _ in range(3)]
        hyper = dict(lr=float(10 ** rng.uniform(-3, -1)), weight_decay=float(rng.choice([0.0, 0.1, 0.01])),
                     momentum=float(rng.uniform(0.5, 0.99)), nesterov=bool(k % 2 == 0),
                     adjust_lr_fn=[None, "original", "match_rms_adamw", "match_rms_adamw"][k],
                     ns_steps=int(rng.integers(3, 7)))
        params0 = [rng.standard_normal(s) for s in shapes]
        grads = [[rng.standard_normal(s) for s in shapes] for _ in range(200)]
        yield hyper, params0, grads


def test_muon_matches_torch_float64_when_torchs_bfloat16_cast_is_disabled():
    """torch 의 코드에서 ``grad.bfloat16()`` 만 없애면 (float64 로 계산) 우리 float64 와 반올림 수준으로 같다.

    4 개의 무작위 설정 x 200 스텝. 한계: 파라미터는 스텝마다 두 번(감쇠, 업데이트) 반올림되고 그래디언트 열이
    고정이라 차이는 더해지기만 한다: 2 * 200 * 2.2e-16 = 8.9e-14. NS 출력의 반올림 차이는 lr_adj (≤ 0.1 *
    sqrt(11)) 배로 들어와 같은 크기다. 1e-12 는 그 위로 10 배의 여유.
    """
    worst = worst_buf = 0.0
    for hyper, params0, grads in _torch_configs():
        ref_bufs, holder = [], []
        ref = _run_torch(hyper, params0, grads, bf16=False, buffers=ref_bufs)
        ours, _ = _run_ours(Muon, hyper, params0, grads, buffers=holder)
        worst = max(worst, max(_rel(a, b) for a, b in zip(ours, ref)))
        # 모멘텀 버퍼도 (파라미터만 보면 EMA 와 합의 차이가 NS 의 정규화에 가려진다): EMA 라 반올림이 쌓이지 않는다
        worst_buf = max(worst_buf, _rel([s.m for s in holder[0].state], ref_bufs))
    assert worst < 1e-12, worst
    assert worst_buf < 1e-12, worst_buf


def test_muon_bfloat16_option_tracks_torch_within_the_per_step_bfloat16_bound():
    """진짜 torch (bfloat16) 와 ``ns_dtype="bfloat16"``, 그리고 float64 기본값.

    그래디언트 열이 고정이라 모멘텀은 float64 반올림까지 같고, 차이는 NS 출력에서만 생겨 스텝마다 더해진다:
    스텝 k 의 NS 출력 차이가 원소마다 8 bfloat16-ULP (위 테스트의 주장) 이하이면 파라미터 차이는
    sum_k lr_adj_k * 8 * 2^-7 * max|O_k| 이하다. 그 합을 테이프의 O 로 계산해서 한계로 쓴다.
    float64 기본값은 이 한계가 아니라 bfloat16 반올림 자체(스텝마다 2^-8 상대)만큼 다르다.
    """
    rel_bf16, rel_f64 = 0.0, 0.0
    for hyper, params0, grads in _torch_configs():
        ref = _run_torch(hyper, params0, grads, bf16=True)
        ours, trace = _run_ours(Muon, hyper, params0, grads, ns_dtype="bfloat16")
        ours64, _ = _run_ours(Muon, hyper, params0, grads)
        bound_abs = 0.0
        for tapes in trace.steps:
            bound_abs += max(t["lr_adj"] * 8 * 2.0**-7 * float(np.max(np.abs(t["o"]))) for t in tapes)
        diff = max(max(float(np.max(np.abs(a - b))) for a, b in zip(pa, pb)) for pa, pb in zip(ours, ref))
        assert diff <= bound_abs + 1e-12, (diff, bound_abs)
        rel_bf16 = max(rel_bf16, max(_rel(a, b) for a, b in zip(ours, ref)))
        rel_f64 = max(rel_f64, max(_rel(a, b) for a, b in zip(ours64, ref)))
    # bfloat16 옵션이 float64 보다 torch 에 가깝다 (이 기계에서 2e-5 대 3e-3; 10 배는 어느 CPU 에서나 남는 차이)
    assert rel_bf16 * 10 < rel_f64, (rel_bf16, rel_f64)


# --------------------------------------------------------------------------- keras cross-checks
def _keras_configs():
    rng = np.random.default_rng(21)
    cases = [
        dict(),
        dict(learning_rate=0.02, weight_decay=0.01, adam_weight_decay=None, momentum=0.9, rms_rate=None),
        dict(learning_rate=0.005, nesterov=False, adam_lr_ratio=0.1, adam_beta_1=0.8, epsilon=1e-6,
             exclude_layers=["dense_out"], ns_steps=3),
        dict(learning_rate=0.01, weight_decay=None, rms_rate=0.3, muon_a=3.0, muon_b=-3.2, muon_c=1.2,
             exclude_embeddings=False),
    ]
    for hyper in cases:
        shapes = [(int(rng.integers(2, 10)), int(rng.integers(2, 10))), (int(rng.integers(2, 10)), 3),
                  (4,), (), (2, 3, 2), (5, 3)]
        paths = ["dense_kernel", "dense_out_kernel", "dense_bias", "scale", "conv_kernel", "token_embedding"]
        params0 = [rng.standard_normal(s) for s in shapes]
        grads = [[rng.standard_normal(s) for s in shapes] for _ in range(200)]
        yield hyper, paths, params0, grads


def _float64_ops():
    """Keras 의 ops 를 감싼 것: ``norm`` 과 정수의 ``sqrt`` 만 float64 로 (Keras 는 둘을 float32 로 한다)."""
    import torch
    from keras.src import ops

    def norm(x, axis=None, keepdims=False, ord=None):
        return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)

    def sqrt(x):  # 정수(행렬의 크기)만 float64 로; AdamW 가지의 sqrt(v) 는 Keras 그대로
        x = ops.convert_to_tensor(x)
        return ops.sqrt(x if x.is_floating_point() else x.to(torch.float64))

    names = {k: getattr(ops, k) for k in dir(ops) if not k.startswith("__")}
    return types.SimpleNamespace(**{**names, "norm": norm, "sqrt": sqrt})


def _run_keras(hyper, paths, params0, grads, *, float64_fix=False):
    import torch

    from adamlearn.crosscheck import keras_floatx

    with keras_floatx("float64") as keras, pytest.MonkeyPatch.context() as mp:
        if float64_fix:
            import keras.src.optimizers.muon as muon_module

            mp.setattr(muon_module, "ops", _float64_ops())
        variables = [keras.Variable(torch.from_numpy(p.copy()), dtype="float64", name=n)
                     for p, n in zip(params0, paths)]
        opt = keras.optimizers.Muon(**hyper)
        out = []
        for gs in grads:
            opt.apply([torch.from_numpy(g.copy()) for g in gs], variables)
            out.append([v.value.detach().numpy().copy() for v in variables])
        routed = [opt._should_use_adamw(v) for v in variables]
        out.append([m.value.detach().numpy().copy() for m in opt.momentums])  # 마지막: 모멘텀 버퍼
    return out, routed


def test_keras_muon_matches_keras_float64_once_its_two_float32_scalars_are_float64():
    """Keras 의 코드에서 float32 로 계산되는 두 스칼라만 float64 로 바꾸면 1e-12 안에서 같다.

    (1) ``ops.norm(x)``: keras/src/backend/torch/linalg.py 의 norm 이 ``dtypes.result_type(float64, float)``
    = float32 로 x 를 바꾼 뒤 노름을 잰다. (2) ``ops.sqrt(ops.maximum(n, m))``: 정수의 sqrt 는 torch 의 기본
    dtype(float32)이다. 4 설정 x 200 스텝, 행렬/벡터/스칼라/3차원/경로로 제외한 행렬이 섞여 있다.
    한계 1e-12: 200 스텝 x 2 반올림 x 2.2e-16 = 8.9e-14 의 10 배 여유 (그래디언트 열이 고정이라 더해지기만 한다).
    """
    worst = 0.0
    for hyper, paths, params0, grads in _keras_configs():
        ref, routed = _run_keras(hyper, paths, params0, grads, float64_fix=True)
        holder = []
        ours, _ = _run_ours(KerasMuon, hyper, params0, grads, paths=paths, buffers=holder)
        ours.append([s.m for s in holder[0].state])  # 모멘텀 버퍼도 (Keras 의 합 꼴)
        assert [holder[0].use_adamw(i) for i in range(len(paths))] == routed
        worst = max(worst, max(_rel(a, b) for a, b in zip(ours, ref)))
    assert worst < 1e-12, worst


def test_keras_muon_matches_real_keras_within_the_float32_norm_bound():
    """진짜 Keras (float32 노름과 float32 sqrt) 와의 차이는 그 두 반올림이 만드는 한계 안에 있다.

    float32 노름의 상대 오차 δ 는 n 개 원소에서 (n + 2) u32 이하다 (원소를 float32 로 바꾸기 u32, 제곱합 누적
    (n-1) u32, 제곱근과 결과 반올림 2 u32 의 대략적인 합). 입력을 (1+δ) 배 한 NS 출력은 특잇값마다
    f(σ(1+δ)) 이므로 차이는 max_σ |σ f'(σ)| δ = L δ 이하 (L 은 격자에서 잰다, ≈ 5.03). sqrt(max(n, m)) 의
    float32 반올림은 업데이트에 u32 의 상대 오차를 더한다. 파라미터 차이는 이 둘을 스텝마다 더한 것 이하다.
    """
    grid = np.linspace(0, 1, 200_001)
    worst_ratio = 0.0
    for hyper, paths, params0, grads in _keras_configs():
        coeffs = (hyper.get("muon_a", 3.4445), hyper.get("muon_b", -4.7750), hyper.get("muon_c", 2.0315))
        _, df = _ns_scalar_map(grid, hyper.get("ns_steps", 5), coeffs)
        L = float(np.max(np.abs(grid * df)))
        ref, _ = _run_keras(hyper, paths, params0, grads)
        ref.pop()  # 모멘텀 버퍼 (여기서는 파라미터만 본다)
        ours, trace = _run_ours(KerasMuon, hyper, params0, grads, paths=paths)
        bound = np.zeros(len(params0))
        for tapes in trace.steps:
            for i, t in enumerate(tapes):
                if "o" in t:
                    delta = (t["o"].size + 2) * U32
                    bound[i] += t["lr_adj"] * (L * delta + U32 * float(np.max(np.abs(t["o"]))) * 1.01)
        for i in range(len(params0)):
            diff = max(float(np.max(np.abs(pa[i] - pb[i]))) for pa, pb in zip(ours, ref))
            assert diff <= bound[i] + 1e-12, (i, diff, bound[i])
            if bound[i] > 0:
                worst_ratio = max(worst_ratio, diff / bound[i])
    assert worst_ratio > 0  # 진짜 Keras 와는 float32 만큼 다르다 (같다면 위의 패치가 필요 없었다)


# --------------------------------------------------------------------------- behaviour and validation
def test_torch_and_keras_momentum_forms_give_the_same_direction():
    """torch 의 EMA 버퍼는 Keras 의 합 버퍼의 (1-μ) 배이고, NS 는 노름으로 나누고 시작하므로 O 가 같다 (eps 빼고)."""
    rng = np.random.default_rng(3)
    p = rng.standard_normal((6, 4))
    s_torch, s_keras = muon_init(p, adamw=False), muon_init(p, adamw=False)
    for _ in range(20):
        g = rng.standard_normal((6, 4))
        ta, tb = {}, {}
        _, s_torch = muon(p, g, s_torch, momentum_form="ema", eps=0.0, tape=ta)
        _, s_keras = muon(p, g, s_keras, momentum_form="sum", ns_eps_mode="add", eps=0.0, tape=tb)
        np.testing.assert_allclose(s_torch.m, (1 - 0.95) * s_keras.m, rtol=1e-13)
        # NS 는 X_0 = u/‖u‖ 부터 같으므로 반복 5 번의 반올림(≈ 480 배까지 불어남)만 남는다
        np.testing.assert_allclose(ta["o"], tb["o"], atol=1e-12)


def test_torch_muon_rejects_non_matrix_parameters_like_torch():
    import torch

    with pytest.raises(ValueError, match="2D"):
        torch.optim.Muon([torch.zeros(3, requires_grad=True)])
    with pytest.raises(ValueError, match=r"params\[1\].*2-D.*\(3,\).*AdamW"):
        Muon([np.zeros((2, 2)), np.zeros(3)])


def test_keras_muon_routes_non_matrices_and_excluded_paths_to_adamw():
    params = [np.ones((3, 4)), np.ones(4), np.ones(()), np.ones((2, 2, 2)), np.ones((3, 3)), np.ones((5, 2))]
    paths = ["d/kernel", "d/bias", "s", "c/kernel", "Token_Embedding/e", "head/kernel"]
    opt = KerasMuon(params, paths=paths, exclude_layers=["^head"])
    assert [opt.use_adamw(i) for i in range(6)] == [False, True, True, True, True, True]
    opt = KerasMuon([p.copy() for p in params], exclude_embeddings=False)  # 경로 없음: 모양만 본다
    assert [opt.use_adamw(i) for i in range(6)] == [False, True, True, True, False, False]


def _snapshot(opt):
    return [p.copy() for p in opt.params], [s._asdict() for s in opt.state]


def _assert_unchanged(opt, snap):
    for p, q in zip(opt.params, snap[0]):
        np.testing.assert_array_equal(p, q)
    for s, d in zip(opt.state, snap[1]):
        for k, v in s._asdict().items():
            if isinstance(v, np.ndarray):
                np.testing.assert_array_equal(v, d[k])
            else:
                assert v == d[k]


@pytest.mark.parametrize("cls, hyper, pattern", [
    (Muon, dict(ns_coefficients=(1.0, 2.0)), r"ns_coefficients=\(1.0, 2.0\).*exactly 3"),
    (Muon, dict(ns_coefficients=(1.0, float("nan"), 2.0)), r"ns_coefficients=.*finite"),
    (Muon, dict(ns_steps=100), r"ns_steps=100.*< 100"),
    (Muon, dict(ns_steps=-1), r"ns_steps=-1"),
    (Muon, dict(ns_steps=2.5), r"ns_steps=2.5"),
    (Muon, dict(adjust_lr_fn="bogus"), r"adjust_lr_fn='bogus'"),
    (Muon, dict(ns_dtype="float16"), r"ns_dtype='float16'"),
    (Muon, dict(momentum=-0.1), r"momentum=-0.1"),
    (Muon, dict(eps=float("inf")), r"eps=inf"),
    (KerasMuon, dict(muon_a=float("nan")), r"muon_a=nan"),
    (KerasMuon, dict(exclude_layers="dense"), r"exclude_layers='dense'.*list"),
    (KerasMuon, dict(exclude_layers=["("]), r"exclude_layers\[0\]='\('.*regular expression"),
    (KerasMuon, dict(adam_beta_1=1.0), r"adam_beta_1=1.0"),
    (KerasMuon, dict(rms_rate=-1), r"rms_rate=-1"),
])
def test_invalid_hyperparameters_are_rejected_at_construction_and_at_step_without_change(cls, hyper, pattern):
    with pytest.raises(ValueError, match=pattern):
        cls([np.zeros((3, 2))], **hyper)
    opt = cls([np.ones((3, 2))])
    opt.step([np.ones((3, 2))])
    snap = _snapshot(opt)
    opt.hyper.update(hyper)
    with pytest.raises(ValueError, match=pattern):
        opt.step([np.ones((3, 2))])
    _assert_unchanged(opt, snap)


@pytest.mark.parametrize("cls", [Muon, KerasMuon])
def test_non_finite_gradient_is_rejected_and_nothing_changes(cls):
    params = [np.ones((3, 2)), np.ones((2, 2))]
    opt = cls(params)
    opt.step([np.full((3, 2), 0.5), np.full((2, 2), 0.5)])
    snap = _snapshot(opt)
    with pytest.raises(ValueError, match=r"grads\[1\].*non-finite"):
        opt.step([np.ones((3, 2)), np.array([[1.0, np.nan], [0.0, 1.0]])])
    _assert_unchanged(opt, snap)


def test_keras_muon_paths_must_match_params():
    with pytest.raises(ValueError, match=r"invalid paths=\['a'\].*2 strings"):
        KerasMuon([np.zeros((2, 2)), np.zeros(2)], paths=["a"])


def test_keras_muon_state_dict_round_trip_keeps_the_routing():
    rng = np.random.default_rng(4)
    params = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    opt = KerasMuon(params)
    for _ in range(3):
        opt.step([rng.standard_normal((3, 4)), rng.standard_normal(4)])
    sd = opt.state_dict()
    assert sd["state"][0]["v"] is None and sd["state"][1]["v"].shape == (4,)
    other = KerasMuon([p.copy() for p in params])
    other.load_state_dict(sd)
    g = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    opt.step(g)
    other.step(g)
    for a, b in zip(opt.params, other.params):
        np.testing.assert_array_equal(a, b)


def test_functional_muon_rejects_a_non_matrix_without_adamw_state():
    with pytest.raises(ValueError, match=r"2-D matrix.*\(4,\).*AdamW"):
        muon(np.zeros(4), np.ones(4), muon_init(np.zeros(4), adamw=False))
