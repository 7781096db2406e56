r"""그래디언트 노름 자르기(gradient norm clipping): ``torch.nn.utils.clip_grad_norm_`` (2.13) 와 같은 식.

>>> import numpy as np, adamlearn
>>> grads = [np.array([3.0, 0.0]), np.array([4.0]), None]
>>> float(adamlearn.clip_grad_norm_(grads, max_norm=1.0))
5.0
>>> np.round(grads[0], 6), np.round(grads[1], 6)
(array([0.6, 0. ]), array([0.8]))

.. math::
    \|g\| = \Bigl\|\bigl(\|g^{(1)}\|_p, \ldots, \|g^{(n)}\|_p\bigr)\Bigr\|_p,\qquad
    g^{(i)} \leftarrow g^{(i)} \cdot \min\Bigl(\frac{\text{max\_norm}}{\|g\| + 10^{-6}},\ 1\Bigr)

torch 처럼 배열마다의 노름을 먼저 구하고 그 노름들의 노름을 전체 노름으로 삼는다
(``torch/nn/utils/clip_grad.py`` 의 ``_get_total_norm``), 배율에는 분모의 ``1e-6`` 이 있고 1 을 넘지 않는다
(``_clip_grads_with_norm_``: 자르기는 줄이기만 한다). 배율이 1 이어도 torch 처럼 곱한다 (값은 그대로다).
``None`` 은 그래디언트가 없는 파라미터다 (torch 의 ``p.grad is None``): 노름에도 곱셈에도 들어가지 않는다.
계산은 그래디언트의 dtype 으로 한다 (float32 그래디언트면 노름도 배율도 float32, torch 와 같다).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._base import FLOAT_DTYPES, _finite

__all__ = ["NonFiniteNormError", "clip_grad_norm_"]


class NonFiniteNormError(RuntimeError, ValueError):
    """``error_if_nonfinite=True`` 인데 전체 노름이 NaN 이나 inf 일 때 (torch 는 RuntimeError 를 낸다)."""


def _norm(x, p):
    """벡터 p-노름 (``torch.linalg.vector_norm``): p = inf 면 최대 절댓값, p = 2 면 제곱합의 제곱근."""
    x = np.abs(x.ravel())
    if x.size == 0:
        return x.dtype.type(0)
    if p == math.inf:
        return x.max()
    if p == 2:
        return np.sqrt(np.dot(x, x))
    if p == 1:
        return x.sum()
    return np.sum(x**p) ** (1 / p)


def clip_grad_norm_(grads, max_norm, norm_type=2.0, error_if_nonfinite=False):
    r"""그래디언트 배열들을 제자리에서 줄여 전체 p-노름이 ``max_norm`` 을 넘지 않게 하고, 줄이기 전의 전체 노름을 돌려준다.

    Args:
        grads (list[np.ndarray | None]): 그래디언트 배열의 목록 (``opt.step`` 에 넘기는 그 목록). ``None`` 은 건너뛴다.
        max_norm (float): 전체 노름의 상한
        norm_type (float): p-노름의 p (> 0), 또는 ``float("inf")`` (default: 2.0)
        error_if_nonfinite (bool): 전체 노름이 NaN 이나 inf 면 예외를 낸다 (default: False). False 면 torch 처럼
            그 노름으로 나눈 배율을 그대로 곱한다 (inf 노름이면 배율 0: 유한한 값은 0, inf 는 NaN 이 된다).

    Returns:
        np.floating: 자르기 전의 전체 노름 (그래디언트의 dtype; 그래디언트가 없으면 0.0)

    잘못된 입력 (배열이 아닌 것, float32/float64 가 아닌 dtype, 읽기 전용 배열, 음수나 유한하지 않은
    ``max_norm``, 0 이하의 ``norm_type``) 이면 아무 배열도 바꾸지 않고 예외를 낸다.
    """
    if isinstance(grads, np.ndarray):
        grads = [grads]  # torch 도 텐서 하나를 받는다
    grads = list(grads)
    if isinstance(max_norm, bool) or not isinstance(max_norm, numbers.Real) or not _finite(max_norm) or max_norm < 0:
        raise ValueError(f"invalid max_norm={max_norm!r}: must be a finite number >= 0")
    if isinstance(norm_type, bool) or not isinstance(norm_type, numbers.Real) or not (
            norm_type == math.inf or (_finite(norm_type) and norm_type > 0)):
        raise ValueError(f"invalid norm_type={norm_type!r}: must be a number > 0 or float('inf')")
    if not isinstance(error_if_nonfinite, (bool, np.bool_)):
        raise TypeError(f"invalid error_if_nonfinite={error_if_nonfinite!r}: must be True or False")
    present = []
    for i, g in enumerate(grads):
        if g is None:
            continue
        if not isinstance(g, np.ndarray):
            raise TypeError(f"invalid grads[{i}]: {type(g).__name__}, expected a numpy float array or None "
                            "(clipping writes into the array in place)")
        if g.dtype not in FLOAT_DTYPES:
            raise TypeError(f"invalid grads[{i}]: dtype {g.dtype}; expected float32 or float64")
        if not g.flags.writeable:
            raise ValueError(f"invalid grads[{i}]: the array is read-only; clipping writes into it in place")
        present.append(g)
    norm_type = float(norm_type)
    if not present:
        return np.float64(0.0)  # torch: torch.tensor(0.0)
    dtype = np.result_type(*present)
    with np.errstate(all="ignore"):
        norms = np.array([_norm(g, norm_type) for g in present], dtype=dtype)
        total = _norm(norms, norm_type)
        if error_if_nonfinite and not np.isfinite(total):
            raise NonFiniteNormError(
                f"The total norm of order {norm_type} for gradients is non-finite ({total!r}), so it cannot be "
                "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
                "error_if_nonfinite=False. Nothing was changed")
        # torch 의 clip_coef = max_norm / (total_norm + 1e-6) 은 파이썬 수를 텐서로 나누는 식이라 torch 는
        # (total_norm + 1e-6).reciprocal() * max_norm 으로 계산한다 (torch/_tensor.py 의 Tensor.__rtruediv__).
        # 반올림이 같도록 여기서도 역수를 먼저 구해 곱한다.
        coef = (dtype.type(1.0) / (total + dtype.type(1e-6))) * dtype.type(max_norm)
        coef = np.minimum(coef, dtype.type(1.0))  # torch.clamp(clip_coef, max=1.0); NaN 은 NaN 으로 남는다
        for g in present:
            g *= coef.astype(g.dtype)
    return total
