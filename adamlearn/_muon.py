r"""Muon (Jordan et al., 2024; Liu et al., 2025): 가중치 행렬의 모멘텀을 직교화(orthogonalization)해서 쓰는 옵티마이저.

한 스텝은 네 줄이다 (:math:`\mu` 는 모멘텀, :math:`\mathrm{NS}` 는 뉴턴–슐츠 반복)::

    m = ema(m, g, mu)                      # (1) 모멘텀 (torch 형식; Keras 는 m = mu*m + g)
    u = ema(m, g, mu) if nesterov else m   # (2) 네스테로프 입력 (Keras 는 g + mu*m)
    o = newton_schulz(u)                   # (3) 직교화: u = U S V^T 이면 o ≈ U S' V^T, S' ≈ 1
    theta = theta*(1 - lr*wd) - lr_adj*o   # (4) 분리된 가중치 감쇠와 모양에 맞춘 학습률

Adam 과 달리 2차 모멘트가 없다. 원소마다 나누는 대신 행렬 전체를 직교 행렬 쪽으로 보낸다.
그래서 행렬(2차원) 파라미터에만 뜻이 있고, 나머지(편향, 스칼라)는 AdamW 로 움직인다:
Keras 의 ``keras.optimizers.Muon`` 은 옵티마이저 안에서 그렇게 나누고(상태에 ``v`` 가 있으면 AdamW),
``torch.optim.Muon`` 은 2차원이 아닌 파라미터를 받지 않는다 (사용자가 AdamW 를 따로 만든다).

두 프레임워크가 다른 곳은 :func:`muon` 의 옵션이다 (출처는 각 옵션의 설명에):

- 모멘텀의 꼴: torch 는 EMA(``lerp``), Keras 는 합 (``momentum_form``).
- 학습률 조정: torch 는 ``"original"`` :math:`\sqrt{\max(1, A/B)}` 가 기본, Keras 는 ``rms_rate``
  :math:`\cdot\sqrt{\max(A, B)}` (``adjust_lr_fn``).
- 정규화의 엡실론: torch 는 ``norm.clamp(min=eps)``, Keras 는 ``norm + 1e-7`` (``ns_eps_mode``).
- 정밀도: torch 는 뉴턴–슐츠 반복을 늘 bfloat16 으로 계산한다 (float64 파라미터여도).
  ``adamlearn`` 은 파라미터의 dtype 으로 계산하고, ``ns_dtype="bfloat16"`` 이면 torch 가 bfloat16 텐서를
  저장하는 자리마다 bfloat16 으로 반올림한다 (``ml_dtypes``; 그때만 가져온다).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ._base import boolean, nonnegative, optional_nonnegative, unit_interval
from .functional import AdamState, _record, adam, apply_weight_decay, ema
from .keras import _KerasOptimizer
from .optim import _TorchOptimizer

__all__ = [
    "DEFAULT_NS_COEFFICIENTS",
    "KerasMuon",
    "Muon",
    "MuonState",
    "adjust_lr",
    "muon",
    "muon_init",
    "newton_schulz",
    "round_bfloat16",
]

#: 5차 뉴턴–슐츠 반복의 계수 (a, b, c): torch/optim/_muon.py 의 DEFAULT_A/B/C, keras/src/optimizers/muon.py 의
#: muon_a/b/c 기본값. Keller Jordan 이 0 에서의 기울기 a 를 크게 잡아 5 번 만에 특잇값을 1 근처로 보내도록 고른 값이다.
DEFAULT_NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)

#: torch 의 ``_zeropower_via_newtonschulz`` 가 받는 반복 수의 상한 (ns_steps >= 100 이면 ValueError).
TORCH_MAX_NS_STEPS = 100

ADJUST_LR_FNS = ("original", "match_rms_adamw", "none")


class MuonState(NamedTuple):
    t: int
    m: np.ndarray  # 모멘텀 버퍼 (torch 의 momentum_buffer, Keras 의 momentum)
    v: np.ndarray | None  # AdamW 로 움직이는 파라미터의 2차 모멘트 (Keras 의 velocity); Muon 파라미터면 None


def muon_init(param, adamw=None):
    """Muon 상태: t = 0, m = 0. ``adamw`` (기본: 파라미터가 2차원이 아니면 True) 면 AdamW 의 v = 0 도 둔다."""
    if adamw is None:
        adamw = np.ndim(param) != 2
    z = np.zeros_like(param)
    return MuonState(0, z, z.copy() if adamw else None)


# --------------------------------------------------------------------------- Newton–Schulz
def round_bfloat16(x):
    """float64 값을 bfloat16 으로 반올림한 값 (float64 배열로 돌려준다). ``ml_dtypes`` 는 여기서 처음 가져온다."""
    import ml_dtypes

    return np.asarray(x, dtype=np.float64).astype(ml_dtypes.bfloat16).astype(np.float64)


def newton_schulz(G, *, coefficients=DEFAULT_NS_COEFFICIENTS, steps=5, eps=1e-7, eps_mode="clamp",
                  ns_dtype=None, tape=None):
    r"""5차 뉴턴–슐츠(Newton–Schulz) 반복: :math:`G = USV^\top` 의 :math:`UV^\top` 를 SVD 없이 근사한다.

    .. math::
        X_0 = G / \lVert G\rVert_F,\qquad
        A_k = X_k X_k^\top,\qquad
        X_{k+1} = a X_k + (b A_k + c A_k^2) X_k

    특잇값마다 :math:`\sigma \mapsto a\sigma + b\sigma^3 + c\sigma^5` 를 ``steps`` 번 적용하는 것과 같다
    (:math:`X_0` 의 특잇값은 :math:`\lVert G\rVert_F` 로 나누었으므로 1 이하다). 기본 계수는 0 근처의 작은
    특잇값을 빨리 키우도록 고른 것이라, 결과의 특잇값은 1 이 아니라 대략 0.7–1.2 사이에서 흔들린다
    (정확한 :math:`UV^\top` 가 아니다; 책과 ``tests/test_muon.py`` 가 그 거리를 잰다).

    행이 열보다 많으면 전치해서 계산하고 되돌린다 (:math:`X X^\top` 를 작은 쪽 크기로): torch 와 Keras 가 같다.

    Args:
        G: 2차원 배열.
        coefficients: (a, b, c).
        steps: 반복 수 (0 이면 정규화만).
        eps: 0 으로 나누지 않기 위한 값. ``eps_mode="clamp"`` 는 torch 의 ``norm.clamp(min=eps)``,
            ``"add"`` 는 Keras 의 ``norm + eps``.
        ns_dtype: None 이면 ``G`` 의 dtype 으로 계산한다. ``"bfloat16"`` 이면 torch 처럼 입력, 노름, 나눗셈의
            결과, 그리고 행렬 곱(addmm)마다 결과를 bfloat16 으로 반올림한다 (곱 자체는 float64 로 한 뒤 한 번).
        tape: dict 를 주면 ``ns_x0`` (정규화한 입력) 을 적는다.

    Returns:
        ``G`` 와 같은 모양, 같은 dtype 의 배열.
    """
    G = np.asarray(G)
    if G.ndim != 2:
        raise ValueError(f"newton_schulz needs a 2-D matrix, got shape {G.shape}")
    a, b, c = coefficients
    rnd = round_bfloat16 if ns_dtype == "bfloat16" else (lambda x: x)
    X = rnd(G)
    tall = X.shape[0] > X.shape[1]
    if tall:
        X = X.T
    norm = rnd(np.sqrt(np.sum(X * X)))
    norm = rnd(max(norm, eps)) if eps_mode == "clamp" else norm + eps
    X = rnd(X / norm)
    _record(tape, ns_x0=X.T if tall else X)
    for _ in range(steps):
        A = rnd(X @ X.T)
        B = rnd(b * A + c * (A @ A))
        X = rnd(a * X + B @ X)
    if tall:
        X = X.T
    return X.astype(G.dtype, copy=False)


def adjust_lr(lr, shape, adjust_lr_fn="original", rms_rate=0.2):
    r"""모양에 맞춘 학습률: 직교화한 업데이트의 RMS 가 행렬의 모양과 상관없이 비슷하도록.

    - ``"original"`` (Keller Jordan; torch 의 기본): :math:`\eta\sqrt{\max(1, A/B)}`.
    - ``"match_rms_adamw"`` (Liu et al., 2025; torch 는 0.2 로 고정, Keras 는 ``rms_rate``):
      :math:`\eta\cdot \text{rms\_rate}\cdot\sqrt{\max(A, B)}`. 직교 행렬의 RMS 는 :math:`1/\sqrt{\max(A,B)}`
      이므로 업데이트의 RMS 가 AdamW 의 전형적인 값 0.2 근처가 된다.
    - ``"none"``: :math:`\eta` (Keras 의 ``rms_rate=None``).

    ``A, B = shape[:2]`` (torch/optim/_muon.py 의 ``_adjust_lr``).
    """
    A, B = shape[:2]
    if adjust_lr_fn == "original":
        return lr * math.sqrt(max(1, A / B))
    if adjust_lr_fn == "match_rms_adamw":
        return lr * (rms_rate * math.sqrt(max(A, B)))
    if adjust_lr_fn == "none":
        return lr
    raise ValueError(f"invalid adjust_lr_fn={adjust_lr_fn!r}: must be one of {ADJUST_LR_FNS}")


# --------------------------------------------------------------------------- the step
def muon(param, grad, state, *, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
         ns_coefficients=DEFAULT_NS_COEFFICIENTS, eps=1e-7, ns_steps=5, adjust_lr_fn="original", rms_rate=0.2,
         momentum_form="ema", ns_eps_mode="clamp", ns_dtype=None,
         adam_beta1=0.9, adam_beta2=0.999, adam_eps=1e-7, adam_weight_decay=0.0, adam_lr_ratio=1.0, tape=None):
    r"""Muon 한 스텝. 상태에 ``v`` 가 있으면 (2차원이 아닌 파라미터) Keras 처럼 AdamW 로 움직인다.

    .. math::
        \begin{aligned}
        m_t &= \mu m_{t-1} + (1-\mu)\, g_t                               && (1)\\
        u_t &= \mu m_t + (1-\mu)\, g_t \quad(\text{nesterov; 아니면 } u_t = m_t)  && (2)\\
        O_t &= \mathrm{NS}^{(a,b,c)}_k(u_t)                             && (3)\\
        \theta_t &= (1-\eta\lambda)\,\theta_{t-1} - \eta_{\text{adj}}\, O_t && (4)
        \end{aligned}

    ``momentum_form="ema"`` 는 torch (``buf.lerp_(grad, 1 - momentum)``, ``grad.lerp(buf, momentum)``),
    ``"sum"`` 은 Keras (``m = mu*m + g``, ``u = g + mu*m``). 영(0)에서 시작하면 torch 의 버퍼는 Keras 의 것의
    :math:`(1-\mu)` 배이고, :math:`\mathrm{NS}` 는 노름으로 나누고 시작하므로 두 꼴은 ``eps`` 의 영향을 빼면
    같은 :math:`O_t` 를 만든다. 가중치 감쇠는 조정하지 않은 :math:`\eta` 를 쓴다 (두 프레임워크 모두).

    AdamW 가지 (``state.v`` 가 배열; keras/src/optimizers/muon.py 의 ``_adamw_update_step``): 가중치 감쇠
    :math:`\theta \leftarrow \theta(1-\eta\lambda_\text{adam})` 뒤에 Keras Adam (:math:`\hat\epsilon`) 을
    학습률 :math:`\eta\cdot\text{adam\_lr\_ratio}` 로 한 스텝 (:func:`adamlearn.functional.adam` 을 그대로 쓴다).

    Args:
        lr, weight_decay, momentum, nesterov, ns_coefficients, eps, ns_steps: torch.optim.Muon 과 같은 뜻.
        adjust_lr_fn, rms_rate: :func:`adjust_lr`.
        momentum_form: ``"ema"`` (torch) 또는 ``"sum"`` (Keras).
        ns_eps_mode, ns_dtype: :func:`newton_schulz`.
        adam_beta1, adam_beta2, adam_eps, adam_weight_decay, adam_lr_ratio: AdamW 가지 (Keras 의 이름).
        tape: dict 를 주면 g, m, u, o, lr_adj, update (AdamW 가지는 adam 의 중간값) 를 적는다.
    """
    t = state.t + 1
    if state.v is not None:  # Keras: "The presence of the velocity tells us that this variable is for Adam"
        param, _ = apply_weight_decay(param, grad, lr=lr, weight_decay=adam_weight_decay, decoupled=True,
                                      maximize=False)
        new_param, s = adam(param, grad, AdamState(state.t, state.m, state.v, None), lr=lr * adam_lr_ratio,
                            beta1=adam_beta1, beta2=adam_beta2, eps=adam_eps, epsilon_hat=True, tape=tape)
        return new_param, MuonState(t, s.m, s.s)
    if np.ndim(param) != 2:
        raise ValueError(f"Muon needs a 2-D matrix parameter, got shape {np.shape(param)}; "
                         "use AdamW for parameters that are not matrices")
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay, decoupled=True,
                                     maximize=False)
    if momentum_form == "ema":
        m = ema(state.m, grad, momentum)  # (1)
        u = ema(m, grad, momentum) if nesterov else m  # (2)
    elif momentum_form == "sum":
        m = momentum * state.m + grad  # (1) Keras
        u = grad + momentum * m if nesterov else m  # (2) Keras
    else:
        raise ValueError(f"invalid momentum_form={momentum_form!r}: must be 'ema' (torch) or 'sum' (Keras)")
    o = newton_schulz(u, coefficients=ns_coefficients, steps=ns_steps, eps=eps, eps_mode=ns_eps_mode,
                      ns_dtype=ns_dtype, tape=tape)  # (3)
    lr_adj = adjust_lr(lr, np.shape(param), adjust_lr_fn, rms_rate)
    update = lr_adj * o
    _record(tape, g=grad, m=m, u=u, o=o, lr_adj=lr_adj, update=update, lr_eff=np.full_like(param, lr_adj))
    return param - update, MuonState(t, m, None)  # (4)


# --------------------------------------------------------------------------- validators
def _real(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real) and math.isfinite(value)


def ns_coefficients_check(name, value):
    """(a, b, c): 유한한 실수 세 개."""
    if (not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 3
            or not all(_real(v) for v in value)):
        raise ValueError(f"invalid {name}={value!r}: must be a tuple of exactly 3 finite numbers (a, b, c)")


def ns_steps_check(name, value, limit=TORCH_MAX_NS_STEPS):
    """뉴턴–슐츠 반복 수: 0 이상 ``limit`` 미만의 int (torch 는 100 이상을 거절한다)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or not 0 <= value < limit:
        raise ValueError(f"invalid {name}={value!r}: must be an int with 0 <= {name} < {limit}")


def coefficient_check(name, value):
    """유한한 실수 하나 (Keras 의 muon_a, muon_b, muon_c)."""
    if not _real(value):
        raise ValueError(f"invalid {name}={value!r}: must be a finite number")


def ns_dtype_check(name, value):
    """None (파라미터의 dtype) 또는 "bfloat16" (torch 처럼 반올림)."""
    if value not in (None, "bfloat16"):
        raise ValueError(f"invalid {name}={value!r}: must be None (compute in the parameter's dtype) or 'bfloat16'")


def torch_adjust_lr_fn_check(name, value):
    """torch 가 받는 값: None, "original", "match_rms_adamw"."""
    if value not in (None, "original", "match_rms_adamw"):
        raise ValueError(f"invalid {name}={value!r}: must be None, 'original' or 'match_rms_adamw'")


def exclude_layers_check(name, value):
    """None 또는 정규식 문자열의 목록 (Keras 는 ``re.search(keyword, variable.path)``)."""
    if value is None:
        return
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"invalid {name}={value!r}: must be a list of regular expressions (strings) or None")
    for i, kw in enumerate(value):
        if not isinstance(kw, str):
            raise ValueError(f"invalid {name}={value!r}: {name}[{i}]={kw!r} is not a string")
        try:
            re.compile(kw)
        except re.error as err:
            raise ValueError(f"invalid {name}={value!r}: {name}[{i}]={kw!r} is not a regular expression ({err})") \
                from None


def _index_of(params, param):
    """``param`` 이 ``params`` 의 몇 번째 배열인가 (같은 객체); 없으면 None (상태의 틀을 만들 때의 0차원 배열)."""
    for i, p in enumerate(params):
        if p is param:
            return i
    return None


# --------------------------------------------------------------------------- wrappers
class Muon(_TorchOptimizer):
    r"""Muon (``torch.optim.Muon``, torch 2.13): 2차원 파라미터만 받는다.

    .. math::
        \begin{aligned}
        & B_t = \mu B_{t-1} + (1-\mu) g_t \quad(\texttt{buf.lerp\_(grad, 1-momentum)}) \\
        & \tilde B_t = \mu B_t + (1-\mu) g_t \;\text{(nesterov)},\quad \tilde B_t = B_t \;\text{(아니면)} \\
        & O_t = \mathrm{NS}^{(a,b,c)}_k(\tilde B_t;\ \varepsilon) \\
        & \theta_t = (1-\gamma\lambda)\theta_{t-1} - \mathrm{AdjustLR}(\gamma; A, B)\, O_t
        \end{aligned}

    torch 의 docstring 은 :math:`B_t = \mu B_{t-1} + g_t` 라고 쓰지만 코드(``_single_tensor_muon``)는 lerp,
    즉 EMA 다. 이 클래스는 코드를 따른다.

    torch 는 :math:`\mathrm{NS}` 를 늘 bfloat16 으로 계산한다 (``grad.bfloat16()``; float64 파라미터여도).
    이 클래스의 기본은 파라미터의 dtype (float64) 이고, ``ns_dtype="bfloat16"`` 이면 torch 와 같은 자리에서
    bfloat16 으로 반올림한다. 2차원이 아닌 파라미터는 torch 처럼 생성할 때 거절한다: :class:`adamlearn.AdamW` 를 쓴다.

    Args:
        params (list[np.ndarray]): 2차원 float32/float64 배열
        lr (float, optional): 학습률 :math:`\gamma` (default: 1e-3)
        weight_decay (float, optional): 분리된 가중치 감쇠 :math:`\lambda` (default: 0.1)
        momentum (float, optional): :math:`\mu` (default: 0.95)
        nesterov (bool, optional): (default: True)
        ns_coefficients (tuple[float, float, float], optional): (a, b, c) (default: (3.4445, -4.775, 2.0315))
        eps (float, optional): 노름의 하한 (default: 1e-7)
        ns_steps (int, optional): 뉴턴–슐츠 반복 수, 100 미만 (default: 5)
        adjust_lr_fn (str | None, optional): ``"original"`` 또는 ``"match_rms_adamw"``; None 은 "original" (default: None)
        ns_dtype (str | None, optional): adamlearn 만의 옵션. None 또는 ``"bfloat16"`` (default: None)
    """

    reference = "Muon"
    defaults = dict(lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True, ns_coefficients=DEFAULT_NS_COEFFICIENTS,
                    eps=1e-7, ns_steps=5, adjust_lr_fn=None, ns_dtype=None)
    checks = {"lr": nonnegative, "weight_decay": nonnegative, "momentum": nonnegative, "nesterov": boolean,
              "ns_coefficients": ns_coefficients_check, "eps": nonnegative, "ns_steps": ns_steps_check,
              "adjust_lr_fn": torch_adjust_lr_fn_check, "ns_dtype": ns_dtype_check}
    _update = staticmethod(muon)

    def _init(self, param, h):
        i = _index_of(getattr(self, "params", ()), param)
        if i is not None and param.ndim != 2:
            raise ValueError(f"invalid params[{i}]: Muon only supports 2-D parameters, got shape {param.shape}; "
                             "optimize it with adamlearn.AdamW (torch.optim.Muon rejects it the same way)")
        return muon_init(param, adamw=False)

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], weight_decay=h["weight_decay"], momentum=h["momentum"], nesterov=h["nesterov"],
                    ns_coefficients=h["ns_coefficients"], eps=h["eps"], ns_steps=h["ns_steps"],
                    adjust_lr_fn=h["adjust_lr_fn"] or "original", rms_rate=0.2, momentum_form="ema",
                    ns_eps_mode="clamp", ns_dtype=h["ns_dtype"])


class KerasMuon(_KerasOptimizer):
    r"""Muon (``keras.optimizers.Muon``, Keras 3): 2차원이 아닌 파라미터는 안에서 AdamW 로 움직인다.

    .. math::
        \begin{aligned}
        & m_t = \mu m_{t-1} + g_t,\quad u_t = g_t + \mu m_t \;\text{(nesterov)} \\
        & O_t = \mathrm{NS}^{(a,b,c)}_k(u_t),\quad \lVert\cdot\rVert_F + 10^{-7} \text{ 로 정규화} \\
        & \theta_t = \theta_{t-1} - \eta\lambda\theta_{t-1} - \eta\, O_t \cdot \sqrt{\max(A,B)}\cdot\text{rms\_rate}
        \end{aligned}

    어느 파라미터가 AdamW 로 가는지는 Keras 의 ``_should_use_adamw`` 와 같다: 2차원이 아니거나,
    ``exclude_embeddings`` 이고 경로에 "embedding" 이 있거나, ``exclude_layers`` 의 정규식이 경로에 맞으면.
    numpy 배열에는 경로가 없으므로 ``paths`` (Keras 의 ``variable.path`` 와 같은 문자열, 파라미터마다 하나) 로
    준다. 이 나눔은 Keras 의 ``build`` 처럼 생성할 때 정해지고 상태에 ``v`` 가 있는지로 남는다.

    AdamW 가지는 가중치 감쇠로 ``adam_weight_decay`` 를, 학습률로 ``learning_rate * adam_lr_ratio`` 를
    쓰고 (감쇠에는 ``learning_rate`` 를 그대로), 엡실론은 Keras Adam 처럼 :math:`\hat\epsilon` 이다.

    Args:
        learning_rate (float, optional): (default: 0.001)
        adam_beta_1, adam_beta_2 (float, optional): (default: 0.9, 0.999)
        adam_weight_decay (float | None, optional): AdamW 가지의 감쇠 (default: 0.004)
        epsilon (float, optional): AdamW 가지의 :math:`\hat\epsilon` (default: 1e-7)
        weight_decay (float | None, optional): Muon 가지의 감쇠 (default: 0.004)
        exclude_layers (list[str] | None, optional): 경로에 맞으면 AdamW 로 보낼 정규식 (default: None)
        exclude_embeddings (bool, optional): (default: True)
        muon_a, muon_b, muon_c (float, optional): (default: 3.4445, -4.775, 2.0315)
        adam_lr_ratio (float, optional): (default: 1)
        momentum (float, optional): (default: 0.95)
        ns_steps (int, optional): (default: 5)
        nesterov (bool, optional): (default: True)
        rms_rate (float | None, optional): None 이면 학습률을 조정하지 않는다 (default: 0.2)
    """

    reference = "Muon"
    defaults = dict(learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999, adam_weight_decay=0.004, epsilon=1e-7,
                    weight_decay=0.004, exclude_layers=None, exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750,
                    muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2)
    checks = {"learning_rate": nonnegative, "adam_beta_1": unit_interval, "adam_beta_2": unit_interval,
              "adam_weight_decay": optional_nonnegative, "epsilon": nonnegative,
              "weight_decay": optional_nonnegative, "exclude_layers": exclude_layers_check,
              "exclude_embeddings": boolean, "muon_a": coefficient_check, "muon_b": coefficient_check,
              "muon_c": coefficient_check, "adam_lr_ratio": nonnegative, "momentum": nonnegative,
              "ns_steps": ns_steps_check, "nesterov": boolean, "rms_rate": optional_nonnegative}
    _update = staticmethod(muon)

    def __init__(self, params, paths=None, **hyper):
        if isinstance(params, np.ndarray):
            params = [params]  # 아래 super() 가 알맞은 TypeError 를 낸다
        params = list(params)
        if paths is not None:
            if isinstance(paths, str) or not isinstance(paths, Sequence) or len(paths) != len(params) \
                    or not all(isinstance(p, str) for p in paths):
                raise ValueError(f"invalid paths={paths!r}: must be a list of {len(params)} strings "
                                 "(one Keras variable path per parameter) or None")
        self.paths = None if paths is None else tuple(paths)
        super().__init__(params, **hyper)

    def use_adamw(self, i) -> bool:
        """``params[i]`` 가 AdamW 로 움직이는가 (상태에 v 가 있는가)."""
        return self.state[i].v is not None

    def _should_use_adamw(self, param, path, h) -> bool:
        """keras/src/optimizers/muon.py 의 ``_should_use_adamw``."""
        if np.ndim(param) != 2:
            return True
        if path is None:
            return False
        if h["exclude_embeddings"] and "embedding" in path.lower():
            return True
        return any(re.search(kw, path) for kw in (h["exclude_layers"] or ()))

    def _init(self, param, h):
        i = _index_of(getattr(self, "params", ()), param)
        path = self.paths[i] if (i is not None and self.paths is not None) else None
        return muon_init(param, adamw=self._should_use_adamw(param, path, h))

    def _lazy_fields(self, h):
        # v 는 AdamW 로 가는 파라미터에만 있다: 상태의 틀(0차원)만 보고 v 를 요구하지 않도록.
        return frozenset({"v"})

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], weight_decay=h["weight_decay"] or 0.0, momentum=h["momentum"],
                    nesterov=h["nesterov"], ns_coefficients=(h["muon_a"], h["muon_b"], h["muon_c"]), eps=1e-7,
                    ns_steps=h["ns_steps"], adjust_lr_fn="none" if h["rms_rate"] is None else "match_rms_adamw",
                    rms_rate=h["rms_rate"], momentum_form="sum", ns_eps_mode="add", ns_dtype=None,
                    adam_beta1=h["adam_beta_1"], adam_beta2=h["adam_beta_2"], adam_eps=h["epsilon"],
                    adam_weight_decay=h["adam_weight_decay"] or 0.0, adam_lr_ratio=h["adam_lr_ratio"])


# state_dict 의 "optimizer" 와 오류 메시지의 이름은 공개 이름 adamlearn.keras.Muon 을 따른다 (keras.Adam 이 "Adam" 이듯).
KerasMuon.__name__ = KerasMuon.__qualname__ = "Muon"
KerasMuon.__module__ = "adamlearn.keras"  # repr 과 pickle 이 공개된 이름을 쓰게: adamlearn.keras.Muon
Muon.__module__ = "adamlearn"  # adamlearn.Muon
