"""adamlearn.clip_grad_norm_ 과 torch.nn.utils.clip_grad_norm_ (2.13): 같은 노름, 같은 배율, 같은 결과."""

import math

import numpy as np
import pytest

import adamlearn
from adamlearn.clip import NonFiniteNormError

SHAPES = [(5,), (3, 4), (), (7,)]


def _torch_clip(grads, max_norm, norm_type, error_if_nonfinite=False):
    import torch

    tensors = []
    for g in grads:
        t = torch.zeros(g.shape if g is not None else (1,), dtype=torch.float64 if g is None else
                        getattr(torch, g.dtype.name), requires_grad=True)
        t.grad = None if g is None else torch.from_numpy(g.copy())
        tensors.append(t)
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type=norm_type,
                                           error_if_nonfinite=error_if_nonfinite)
    return float(total), [None if t.grad is None else t.grad.numpy() for t in tensors]


CASES = [(dtype, p, max_norm, seed) for dtype in (np.float64, np.float32) for p in (2.0, 1.0, 3.5, math.inf)
         for max_norm, seed in ((0.5, 0), (1e3, 1), (1.0, 2))]


@pytest.mark.parametrize(("dtype", "norm_type", "max_norm", "seed"), CASES,
                         ids=[f"{d.__name__}-p{p}-max{m}" for d, p, m, _ in CASES])
def test_matches_torch(dtype, norm_type, max_norm, seed):
    pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    grads = [np.array(rng.standard_normal(s) * 2, dtype=dtype) for s in SHAPES]
    grads[2 if seed else 1] = None  # 그래디언트가 없는 파라미터 (torch 의 p.grad is None)
    ours = [None if g is None else g.copy() for g in grads]
    total = adamlearn.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    t_total, theirs = _torch_clip(grads, max_norm, norm_type)
    assert total.dtype == dtype  # torch 처럼 노름도 그래디언트의 dtype
    # 노름: 원소 <= 12 개 배열의 합을 torch (_foreach_norm) 와 numpy 가 다른 순서로 더한다: 많아야 원소 수 만큼의
    # 반올림 (12 eps), 노름들의 노름에서 몇 eps 더. float64 에서 1e-14 (45 eps), float32 에서 1e-5 (84 eps).
    tol = 1e-14 if dtype == np.float64 else 1e-5
    assert abs(float(total) - t_total) <= tol * t_total
    for a, b in zip(ours, theirs):
        if b is None:
            assert a is None
        else:  # 배율의 차이 (노름과 같은 크기) 에 곱셈의 반올림 하나
            np.testing.assert_allclose(a, b, rtol=tol, atol=0)
    if max_norm >= t_total:  # 배율이 1 로 잘려 값이 그대로다
        assert all(a is None or np.array_equal(a, g) for a, g in zip(ours, grads))


def test_exact_formula_with_the_1e_minus_6_and_the_clamp():
    """배율은 min(max_norm / (norm + 1e-6), 1): 1e-6 을 빼거나 clamp 를 빼면 결과가 다르다."""
    g = [np.array([3.0, 4.0])]
    total = adamlearn.clip_grad_norm_(g, 1.0)
    assert float(total) == 5.0
    coef = (1.0 / (5.0 + 1e-6)) * 1.0  # torch: (total + 1e-6).reciprocal() * max_norm
    assert g[0].tolist() == [3.0 * coef, 4.0 * coef]
    assert g[0].tolist() != [3.0 / 5.0, 4.0 / 5.0]
    h = [np.array([0.3, 0.4])]
    adamlearn.clip_grad_norm_(h, 1.0)
    assert h[0].tolist() == [0.3, 0.4]  # 노름 0.5 < 1: 늘리지 않는다


def test_scale_is_computed_in_torchs_order_bit_for_bit():
    """torch 는 max_norm / (norm + 1e-6) 을 (norm + 1e-6).reciprocal() * max_norm 으로 계산한다 (Tensor.__rtruediv__).
    노름이 정확한 값 (3-4-5) 이면 남는 연산은 반올림이 정해진 IEEE 연산뿐이라 결과가 torch 와 비트 단위로 같아야 한다.
    한 번의 나눗셈으로 계산했다면 여기 max_norm 중 일부에서 끝자리가 달라진다."""
    torch = pytest.importorskip("torch")
    one_division_differs = 0
    for max_norm in (0.1, 0.3, 0.7, 1.3, 2.9, 3.7, 4.1):
        ours = [np.array([3.0, 4.0])]
        adamlearn.clip_grad_norm_(ours, max_norm)
        t = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        t.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
        torch.nn.utils.clip_grad_norm_([t], max_norm)
        assert ours[0].tobytes() == t.grad.numpy().tobytes()
        one_division_differs += (np.array([3.0, 4.0]) * (max_norm / (5.0 + 1e-6))).tobytes() != ours[0].tobytes()
    assert one_division_differs > 0


def test_nonfinite_norm_follows_torch_or_raises_without_change():
    pytest.importorskip("torch")
    grads = [np.array([1.0, np.inf]), np.array([2.0])]
    ours = [g.copy() for g in grads]
    total = adamlearn.clip_grad_norm_(ours, 1.0)
    t_total, theirs = _torch_clip(grads, 1.0, 2.0)
    assert math.isinf(total) and math.isinf(t_total)
    for a, b in zip(ours, theirs):  # 배율 0: 유한한 값은 0, inf * 0 은 NaN (torch 와 같은 자리)
        np.testing.assert_array_equal(a, b)
    kept = [g.copy() for g in grads]
    with pytest.raises(NonFiniteNormError, match=r"non-finite \(np.float64\(inf\)\)|non-finite \(inf\)"):
        adamlearn.clip_grad_norm_(kept, 1.0, error_if_nonfinite=True)
    assert all(np.array_equal(a, b) for a, b in zip(kept, grads))
    with pytest.raises(RuntimeError):  # torch 처럼 RuntimeError 로도 잡힌다
        adamlearn.clip_grad_norm_(kept, 1.0, error_if_nonfinite=True)


BIG = np.full(2, 10.0)  # 노름 14.1 > max_norm 1: 검사 없이 계산했다면 줄어들었을 값


@pytest.mark.parametrize(("args", "error", "pattern"), [
    (([BIG], -1.0), ValueError, r"invalid max_norm=-1\.0"),
    (([BIG], float("nan")), ValueError, r"invalid max_norm=nan"),
    (([BIG], 1.0, 0.0), ValueError, r"invalid norm_type=0\.0"),
    (([BIG], 1.0, -math.inf), ValueError, r"invalid norm_type=-inf"),
    (([BIG, [1.0, 2.0]], 1.0), TypeError, r"invalid grads\[1\]: list"),
    (([BIG, np.ones(2, dtype=np.float16)], 1.0), TypeError, r"invalid grads\[1\]: dtype float16"),
    (([BIG], 1.0, 2.0, "yes"), TypeError, r"invalid error_if_nonfinite='yes'"),
])
def test_bad_input_is_rejected_and_nothing_changes(args, error, pattern):
    grads = [g.copy() if isinstance(g, np.ndarray) else g for g in args[0]]
    with pytest.raises(error, match=pattern):
        adamlearn.clip_grad_norm_(grads, *args[1:])
    assert np.array_equal(grads[0], BIG)


def test_read_only_gradient_is_rejected_before_any_array_is_scaled():
    a, b = np.full(2, 10.0), np.full(2, 10.0)
    b.flags.writeable = False
    with pytest.raises(ValueError, match=r"grads\[1\]: the array is read-only"):
        adamlearn.clip_grad_norm_([a, b], 1.0)
    assert a.tolist() == [10.0, 10.0]


def test_no_gradients_gives_zero_like_torch():
    assert float(adamlearn.clip_grad_norm_([None, None], 1.0)) == 0.0
    assert float(adamlearn.clip_grad_norm_([], 1.0)) == 0.0
