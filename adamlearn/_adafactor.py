"""Adafactor (Shazeer & Stern, 2018): 행렬의 2차 모멘트를 행 평균과 열 평균 두 벡터로 인수분해한다.

n×m 행렬이면 Adam 의 :math:`s_t` (nm 개) 대신 :math:`R_t` (n 개) 와 :math:`C_t` (m 개) 만 들고 다닌다.
순수 함수 :func:`adafactor` 하나가 논문, ``torch.optim.Adafactor`` (2.13), ``keras.optimizers.Adafactor`` (Keras 3)
를 모두 계산하고, 셋이 실제로 다른 곳은 키워드 옵션이다:

- ``eps1_mode="clamp"`` (torch): :math:`\\epsilon_1` 을 바닥값으로 쓴다. :math:`\\hat V_t` 의 분모
  :math:`\\max(\\text{mean}(R_t), \\epsilon_1)` 와 :math:`\\max(\\hat V_t, \\epsilon_1^2)`.
  ``eps1_mode="add"`` (논문 Algorithm 4·5, Keras): :math:`G_t^2 + \\epsilon_1` 의 평균을 쌓는다.
- ``rms_after_decay`` : 상대 스텝 :math:`\\alpha_t = \\max(\\epsilon_2, \\text{RMS}(\\theta))\\rho_t` 의
  :math:`\\theta` 가 가중치 감쇠 전(torch, 논문의 :math:`X_{t-1}`)인지 후(Keras: 감쇠를 ``update_step`` 앞에서 한다)인지.
- ``float32_reductions`` (Keras 3, torch 백엔드): float64 파라미터에서도 평균, :math:`\\rho_t`, :math:`\\alpha_t`,
  클리핑 분모를 float32 로 계산한다 (Keras 의 dtype 승격 규칙; :func:`adafactor` 의 설명을 보라).

두 프레임워크 모두 2차원 이상이면 마지막 두 축을 인수분해하고(앞의 축은 배치처럼 따로), 1차원과 스칼라는
Adam 처럼 원소마다 :math:`V_t` 를 둔다. 둘 다 논문의 1차 모멘트(:math:`\\beta_1`)는 없다.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from ._base import (
    PARAMS_KEY,
    Optimizer,
    _check_grads,
    _expect_keys,
    _nonfinite,
    _step_count,
    _writable,
    boolean,
    nonnegative,
    optional_nonnegative,
)
from .functional import _record, ema
from .keras import _KerasOptimizer
from .optim import _TorchOptimizer

__all__ = ["Adafactor", "AdafactorState", "KerasAdafactor", "adafactor", "adafactor_init"]

EPS1_MODES = ("clamp", "add")


class AdafactorState(NamedTuple):
    t: int
    row: np.ndarray | None  # R_t: G² 의 마지막 축 평균의 EMA, 모양 param.shape[:-1] (ndim >= 2 일 때만)
    col: np.ndarray | None  # C_t: G² 의 끝에서 두 번째 축 평균의 EMA, 모양 param.shape[:-2] + param.shape[-1:]
    v: np.ndarray | None  # V_t: ndim < 2 (벡터, 스칼라) 일 때 G² 의 EMA, param 과 같은 모양


def factored(param) -> bool:
    """2차 모멘트를 인수분해하는가: torch 의 ``grad.dim() > 1``, Keras 의 ``len(var.shape) >= 2``."""
    return np.ndim(param) >= 2


def adafactor_init(param):
    """Adafactor 상태: 행렬(2차원 이상)은 R_0 = C_0 = 0 (행 n 개, 열 m 개), 그 밖은 V_0 = 0 (param 모양)."""
    param = np.asarray(param)
    if factored(param):
        shape = param.shape
        return AdafactorState(0, np.zeros(shape[:-1], param.dtype), np.zeros(shape[:-2] + shape[-1:], param.dtype),
                              None)
    return AdafactorState(0, None, None, np.zeros_like(param))


def _mean(x, axis=None, keepdims=False, float32=False):
    """평균 = 합 / 개수 (np.mean 과 비트 단위로 같다). 길이 0 인 축의 평균은 0 (np.mean 은 NaN 과 경고).

    ``float32=True`` 는 Keras 3 의 ``ops.mean`` 을 흉내 낸다: float64 입력도 float32 로 바꿔 평균을 내고 되돌린다.
    """
    dtype = x.dtype
    if float32:
        x = x.astype(np.float32)
    n = x.size if axis is None else x.shape[axis]
    return (np.sum(x, axis=axis, keepdims=keepdims) / max(n, 1)).astype(dtype, copy=False)


def rms(x, float32=False) -> float:
    """제곱평균제곱근 :math:`\\text{RMS}(x) = \\sqrt{\\text{mean}(x^2)}` (빈 배열은 0)."""
    x = np.asarray(x)
    return math.sqrt(float(_mean(x * x, float32=float32))) if x.size else 0.0


def _f32(value: float, on: bool) -> float:
    """``on`` 이면 float32 로 반올림한 값 (Keras 의 ``ops.minimum``/``ops.maximum`` 결과), 아니면 그대로."""
    return float(np.float32(value)) if on else value


def adafactor(param, grad, state, *, lr=1e-2, beta2_decay=-0.8, eps1=None, eps2=1e-3, d=1.0, weight_decay=0.0,
              maximize=False, eps1_mode="clamp", rms_after_decay=False, float32_reductions=False, tape=None):
    r"""Adafactor 한 스텝 (Shazeer & Stern, 2018, Algorithm 4 (행렬)·5 (벡터); 모멘텀 없이, 상대 스텝 크기로).

    .. math::
        \begin{aligned}
        \hat\beta_{2t} &= 1 - t^{c},\quad \rho_t = \min(\eta, 1/\sqrt t)                      && \text{(7.1절; 상대 스텝)}\\
        \alpha_t &= \max(\epsilon_2, \text{RMS}(\theta_{t-1}))\,\rho_t                            && \text{(Alg. 4 줄 2)}\\
        R_t &= \hat\beta_{2t} R_{t-1} + (1-\hat\beta_{2t})\,\text{mean}_{\text{열}}(G_t^2)     && \text{(Alg. 4 줄 4)}\\
        C_t &= \hat\beta_{2t} C_{t-1} + (1-\hat\beta_{2t})\,\text{mean}_{\text{행}}(G_t^2)     && \text{(Alg. 4 줄 5)}\\
        \hat V_t &= R_t C_t / \text{mean}(R_t)                                                 && \text{(Alg. 4 줄 6)}\\
        U_t &= G_t / \sqrt{\hat V_t}                                                           && \text{(Alg. 4 줄 7)}\\
        \hat U_t &= U_t / \max(1, \text{RMS}(U_t)/d)                                           && \text{(Alg. 4 줄 8)}\\
        \theta_t &= \theta_{t-1} - \alpha_t \hat U_t                                           && \text{(Alg. 4 줄 9)}
        \end{aligned}

    줄 번호는 논문의 Algorithm 4 에서 ``for t = 1 to T`` 를 1 줄로 센 것이다 (Algorithm 5 는 벡터판:
    줄 2 α_t, 줄 4 V̂_t, 줄 5 U_t, 줄 6 Û_t, 줄 7 θ_t).
    논문은 합(:math:`R_t = \ldots(G_t^2)1_m`, :math:`\hat V_t = R_t C_t / 1_n^\top R_t`)을 쓰고 두 프레임워크는
    평균을 쓴다. :math:`\hat V_t` 는 같다 (분자의 :math:`1/(nm)` 이 분모의 :math:`1/(nm)` 과 지워진다).
    1차원 이하면 :math:`\hat V_t = \hat\beta_{2t}\hat V_{t-1} + (1-\hat\beta_{2t}) G_t^2` (Alg. 5 줄 4).
    논문의 :math:`\rho_t` 는 :math:`\min(10^{-2}, 1/\sqrt t)` 이고, torch 와 Keras 는 :math:`10^{-2}` 자리에 학습률
    :math:`\eta` 를 둔다 (torch 의 기본값 1e-2 는 논문과 같고, Keras 의 기본값 1e-3 은 :math:`t < 10^6` 동안
    :math:`\rho_t = 10^{-3}` 이다).

    Args:
        lr: :math:`\eta`: :math:`\rho_t` 의 상한이자 가중치 감쇠의 계수 (논문에는 없다)
        beta2_decay: :math:`c \le 0` (논문 -0.8)
        eps1: :math:`\epsilon_1`. None 이면 param dtype 의 기계 엡실론 (torch 의 ``eps=(None, ...)``)
        eps2: :math:`\epsilon_2`: 상대 스텝의 바닥 (0 에서 시작한 파라미터도 움직이게)
        d: 업데이트 클리핑 문턱
        weight_decay: 분리된 가중치 감쇠 :math:`\theta \leftarrow (1-\eta\lambda)\theta` (torch, Keras 모두)
        maximize: 그래디언트의 부호를 바꾼다 (torch)
        eps1_mode: ``"clamp"`` (torch) 또는 ``"add"`` (논문, Keras). 모듈 설명을 보라
        rms_after_decay: True 면 :math:`\alpha_t` 의 RMS 를 감쇠한 파라미터로 잰다 (Keras)
        float32_reductions: True 면 Keras 3 (torch 백엔드) 처럼 평균(:math:`R_t, C_t`, mean, RMS)을 float32 로
            내고, :math:`\rho_t`, :math:`\max(\epsilon_2, \text{RMS})`, 클리핑 분모를 float32 로 반올림하고,
            :math:`\alpha_t` 를 float32 곱으로 계산한다. Keras 의 ``ops.mean`` 은 float64 입력을 float32 로 바꿔
            평균을 내고(keras/src/backend/torch/numpy.py ``mean``: ``compute_dtype = result_type(x.dtype, "float32")``),
            ``ops.minimum``/``ops.maximum`` 은 결과 dtype 을 ``result_type`` 으로 정하는데 이것이 torch·JAX 백엔드에서
            float64 를 float32 로 바꾼다 (keras/src/backend/common/dtypes.py ``BIT64_TO_BIT32_DTYPE``).

    Returns:
        ``(new_param, new_state)``. ``tape`` 에는 g, row, col, v, v_hat, u, u_hat, rho, alpha, update, lr_eff.
    """
    if eps1_mode not in EPS1_MODES:
        raise ValueError(f"invalid eps1_mode={eps1_mode!r}: must be one of {EPS1_MODES}")
    if eps1 is None:
        eps1 = float(np.finfo(np.asarray(param).dtype).eps)  # torch/optim/_adafactor.py: eps1 = finfo(dtype).eps
    if maximize:
        grad = -grad
    t = state.t + 1
    beta2_t = 1 - t**beta2_decay  # β̂_2t = 1 - t^c: t=1 에서 0 이라 편향 보정이 필요 없다 (7.1절)
    f32 = float32_reductions
    rho = _f32(min(lr, 1 / math.sqrt(t)), f32)  # ρ_t
    decay = weight_decay != 0
    if decay and rms_after_decay:
        param = param * (1 - lr * weight_decay)  # Keras: base_optimizer 가 update_step 보다 먼저 감쇠한다
    scale = _f32(max(eps2, rms(param, f32)), f32)
    alpha = float(np.float32(scale) * np.float32(rho)) if f32 else scale * rho  # (Alg. 4 줄 2) α_t
    if decay and not rms_after_decay:
        param = param * (1 - lr * weight_decay)  # torch: α_t 를 잰 뒤에 감쇠한다
    g2 = grad * grad + eps1 if eps1_mode == "add" else grad * grad
    row = col = v = None
    if state.row is not None:
        row = ema(state.row, _mean(g2, -1, float32=f32), beta2_t)  # (Alg. 4 줄 4) R_t
        col = ema(state.col, _mean(g2, -2, float32=f32), beta2_t)  # (Alg. 4 줄 5) C_t
        row_mean = _mean(row, -1, keepdims=True, float32=f32)
        if eps1_mode == "clamp":
            row_mean = np.maximum(row_mean, eps1)
        v_hat = row[..., :, None] * col[..., None, :] / row_mean[..., None]  # (Alg. 4 줄 6) V̂_t = R_t C_t / mean(R_t)
    else:
        v = ema(state.v, g2, beta2_t)  # (Alg. 5 줄 4) V̂_t
        v_hat = v
    if eps1_mode == "clamp":
        v_hat = np.maximum(v_hat, eps1 * eps1)  # torch: sqrt 한 뒤 eps1 이 되도록 eps1² 로 자른다
    u = grad / np.sqrt(v_hat)  # (Alg. 4 줄 7) U_t
    clip = _f32(max(1.0, rms(u, f32) / d), f32)
    u_hat = u / clip  # (Alg. 4 줄 8, 6절의 업데이트 클리핑) Û_t: RMS(Û_t) <= d
    update = alpha * u_hat  # (Alg. 4 줄 9) θ_t = θ_{t-1} - α_t Û_t
    _record(tape, g=grad, row=row, col=col, v=v, v_hat=v_hat, u=u, u_hat=u_hat, rho=rho, alpha=alpha, update=update,
            lr_eff=alpha / clip / np.sqrt(v_hat))
    return param - update, AdafactorState(t, row, col, v)


# --------------------------------------------------------------------------- validators
def nonpositive(name, value):
    """0 이하의 유한한 실수 (beta2_decay: t^c 가 0 과 1 사이여야 β̂_2t 가 [0, 1) 안에 있다)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value > 0:
        raise ValueError(f"invalid {name}={value!r}: must be a finite number <= 0")


def at_least_one(name, value):
    """1 이상의 유한한 실수 (torch 의 d: ``Clipping threshold d should be >= 1``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 1:
        raise ValueError(f"invalid {name}={value!r}: must be a finite number >= 1")


def positive(name, value):
    """0 보다 큰 유한한 실수 (Keras 의 clip_threshold: 0 으로 나누면 모든 업데이트가 0 이 된다)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"invalid {name}={value!r}: must be a finite number > 0")


def eps_pair(name, value):
    """torch 의 ``eps=(eps1, eps2)``: eps1 은 None 또는 0 이상, eps2 는 0 이상."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"invalid {name}={value!r}: must be a pair (eps1, eps2)")
    for i, e in enumerate(value):
        if i == 0 and e is None:
            continue
        try:
            nonnegative(f"{name}[{i}]", e)
        except ValueError as err:
            raise ValueError(f"invalid {name}={value!r}: {name}[{i}]={e!r} must be a finite number >= 0"
                             + (" or None" if i == 0 else "")) from err


# --------------------------------------------------------------------------- wrappers
class _FactoredState(Optimizer):
    """상태 배열의 모양이 파라미터와 다른 옵티마이저 (R_t 는 n 개, C_t 는 m 개).

    :class:`adamlearn._base.Optimizer` 의 ``step`` 은 상태 배열이 모두 파라미터와 같은 모양이라고 검사하고
    (``_check_live_params``), 필요한 상태 필드를 0차원 파라미터의 ``_init`` 으로 정한다 (``_states_for_step``).
    Adafactor 의 상태는 파라미터의 차원 수에 따라 필드가 다르므로(행렬은 row, col, 그 밖은 v) 두 검사를
    파라미터마다의 ``_init(param, hyper)`` 와 비교하는 검사로 바꾼다. 나머지(그룹, None 그래디언트, 검사 순서,
    모든 계산과 검사 뒤에만 쓰기)는 ``Optimizer.step`` 과 같다.

    NOTE(통합): ``_base`` 에 "상태의 본보기는 ``_init(param, hyper)``" 라는 훅이 생기면 이 ``step`` 은 지워도 된다.
    """

    def step(self, grads, trace=None):
        """``Optimizer.step`` 과 같다. 다른 점은 상태 배열의 모양을 파라미터마다의 ``_init`` 과 비교하는 것뿐이다."""
        hypers = self._validate_groups()
        self._check_live_state()
        grads = _check_grads(grads, self.params, allow_none=self._param_groups_api)
        owner = [j for j, g in enumerate(self.param_groups) for _ in g[PARAMS_KEY]]
        kwargs = [self._core_kwargs(h) for h in hypers]
        tapes = [{} if trace is not None else None for _ in self.params]
        with np.errstate(all="ignore"):  # 오버플로는 경고 대신 아래의 검사가 ValueError 로 알린다
            results = [None if g is None else self._update(p, g, s, tape=tape, **kwargs[j])
                       for p, g, s, tape, j in zip(self.params, grads, self.state, tapes, owner)]
        for i, (g, r) in enumerate(zip(grads, results)):
            if r is not None:
                bad = _nonfinite(i, *r)
                if bad:
                    raise self._nonfinite_error(i, g, bad, kwargs[owner[i]], self.state[i])
        for i, (p, r) in enumerate(zip(self.params, results)):  # 모든 계산과 검사가 끝난 뒤에만 쓴다
            if r is not None:
                p[...] = r[0]
                self.state[i] = r[1]
        if trace is not None:
            trace.append(tapes)

    def _check_live_state(self) -> None:
        """생성 뒤에 읽기 전용이 되었거나 모양·dtype 이 바뀐 파라미터를, 무엇이든 쓰기 전에 잡는다."""
        for i, (p, s) in enumerate(zip(self.params, self.state)):
            _writable(i, p)
            template = self._init(p, {})  # 상태의 꼴은 파라미터의 차원 수만 정한다 (하이퍼파라미터와 무관)
            for name, like, v in zip(s._fields, template, s):
                if (like is None) != (v is None) or (
                        isinstance(like, np.ndarray) and (v.shape != like.shape or v.dtype != like.dtype)):
                    raise ValueError(
                        f"params[{i}] now has shape {p.shape} dtype {p.dtype}, which needs state[{i}][{name!r}] "
                        f"{_describe(like)}, but it is {_describe(v)}; was the array reshaped after construction?")

    def _read_param_state(self, i, param, s, hyper):
        """파라미터 하나의 상태: 필드마다 ``_init(param, hyper)`` 의 모양, param 의 dtype, 유한한 값."""
        template = self._init(param, hyper)
        if not isinstance(s, Mapping):
            raise TypeError(f"state[{i}] is {type(s).__name__}, expected a dict with fields {list(template._fields)}")
        _expect_keys(f"state[{i}]", s, template._fields)
        fields = {}
        for name, like in zip(template._fields, template):
            where, value = f"state[{i}][{name!r}]", s[name]
            if isinstance(like, np.ndarray):
                fields[name] = _state_array(where, value, like)
            elif like is None:
                if value is not None:
                    raise TypeError(f"{where} is {type(value).__name__}, expected None for a parameter of shape "
                                    f"{param.shape}")
                fields[name] = None
            else:
                fields[name] = _step_count(where, value)
        return type(template)(**fields)

    def _nonfinite_error(self, i, grad, bad, kwargs, state=None) -> ValueError:
        """원인: g*g 의 오버플로, 또는 eps1 = 0 에서 V_t = 0 인 원소의 0/0. 그 밖은 Optimizer 의 진단."""
        with np.errstate(over="ignore"):
            overflow = bool(np.isinf(grad * grad).any())
        where = ", ".join(label for label, _ in bad)
        if overflow:
            limit = math.sqrt(np.finfo(grad.dtype).max)
            cause = (f"g*g overflows {grad.dtype} (max |g| = {float(np.max(np.abs(grad))):.3g}; "
                     f"|g| must stay below sqrt(max {grad.dtype}) = {limit:.3g})")
        elif kwargs.get("eps1") == 0:
            cause = "division by zero with eps1=0 (a zero gradient where the second-moment estimate V_t is still 0)"
        else:
            return super()._nonfinite_error(i, grad, bad, kwargs, state)
        return ValueError(f"invalid grads[{i}]: {cause}; the step would write non-finite values into {where}. "
                          "Nothing was changed")


def _describe(v) -> str:
    return "None" if v is None else f"an array of shape {v.shape} dtype {v.dtype}"


def _state_array(where, value, like) -> np.ndarray:
    expected = f"expected numpy array of shape {like.shape} dtype {like.dtype}"
    if isinstance(value, np.generic) and like.ndim == 0:
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{where} is {type(value).__name__}, {expected}")
    if value.shape != like.shape:
        raise ValueError(f"{where} has shape {value.shape}, {expected}")
    if value.dtype != like.dtype:
        raise TypeError(f"{where} has dtype {value.dtype}, {expected}")
    if not np.isfinite(value).all():
        raise ValueError(f"{where} contains NaN or inf, {expected} with finite values")
    if (value < 0).any():
        raise ValueError(f"{where} has a negative entry, {expected} (a mean of squares, >= 0)")
    return np.array(value)


class Adafactor(_TorchOptimizer, _FactoredState):
    r"""Adafactor (``torch.optim.Adafactor``, torch 2.13; Shazeer & Stern, 2018).

    .. math::
        \begin{aligned}
        & \rho_t = \min(\eta, 1/\sqrt t),\quad \alpha_t = \max(\epsilon_2, \text{RMS}(\theta_{t-1}))\,\rho_t,\quad
          \theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1} \\
        & \text{dim} > 1:\; R_t = \hat\beta_{2t} R_{t-1} + (1-\hat\beta_{2t})\,\text{mean}_{-1}(G_t^2),\;
          C_t = \hat\beta_{2t} C_{t-1} + (1-\hat\beta_{2t})\,\text{mean}_{-2}(G_t^2),\;
          \hat V_t = \frac{R_t C_t}{\max(\text{mean}(R_t), \epsilon_1)} \\
        & \text{dim} \le 1:\; \hat V_t = \hat\beta_{2t}\hat V_{t-1} + (1-\hat\beta_{2t}) G_t^2 \\
        & U_t = G_t / \max(\sqrt{\hat V_t}, \epsilon_1),\quad \hat U_t = U_t / \max(1, \text{RMS}(U_t)/d),\quad
          \theta_t = \theta_{t-1} - \alpha_t \hat U_t
        \end{aligned}

    :math:`\hat\beta_{2t} = 1 - t^{c}` (:math:`c` 는 ``beta2_decay``). torch 의 ``foreach`` 는 받지 않는다.

    Args:
        params (list[np.ndarray]): 제자리에서 업데이트할 float32/float64 배열
        lr (float, optional): :math:`\rho_t` 의 상한이자 가중치 감쇠의 계수 (default: 1e-2)
        beta2_decay (float, optional): :math:`c \le 0` (default: -0.8)
        eps (tuple[float | None, float], optional): :math:`(\epsilon_1, \epsilon_2)`; None 은 dtype 의 기계 엡실론
            (default: (None, 1e-3))
        d (float, optional): 클리핑 문턱, 1 이상 (default: 1.0)
        weight_decay (float, optional): 분리된 가중치 감쇠 :math:`\lambda` (default: 0.0)
        maximize (bool, optional): (default: False)
    """

    reference = "Adafactor"
    defaults = dict(lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False)
    checks = {"lr": nonnegative, "beta2_decay": nonpositive, "eps": eps_pair, "d": at_least_one,
              "weight_decay": nonnegative, "maximize": boolean}
    _update = staticmethod(adafactor)

    def _init(self, param, h):
        return adafactor_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], beta2_decay=h["beta2_decay"], eps1=h["eps"][0], eps2=h["eps"][1], d=h["d"],
                    weight_decay=h["weight_decay"], maximize=h["maximize"], eps1_mode="clamp", rms_after_decay=False)


class KerasAdafactor(_KerasOptimizer, _FactoredState):
    r"""Adafactor (``keras.optimizers.Adafactor``, Keras 3): :math:`\epsilon_1` 을 :math:`G_t^2` 에 더한다 (논문처럼).

    .. math::
        \begin{aligned}
        & \theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1},\quad
          \alpha_t = \max(\epsilon_2, \text{RMS}(\theta_{t-1}))\min(\eta, 1/\sqrt t) \\
        & \text{ndim} \ge 2:\; R_t = \hat\beta_{2t} R_{t-1} + (1-\hat\beta_{2t})\,\text{mean}_{-1}(G_t^2 + \epsilon_1),\;
          C_t = \ldots\text{mean}_{-2}(G_t^2 + \epsilon_1),\; \hat V_t = \frac{R_t}{\text{mean}(R_t)} C_t \\
        & \text{ndim} < 2:\; \hat V_t = \hat\beta_{2t}\hat V_{t-1} + (1-\hat\beta_{2t})(G_t^2 + \epsilon_1) \\
        & \hat U_t = \frac{G_t/\sqrt{\hat V_t}}{\max(1, \text{RMS}(G_t/\sqrt{\hat V_t})/d)},\quad
          \theta_t = \theta_{t-1} - \alpha_t \hat U_t
        \end{aligned}

    ``relative_step`` 은 받고 검사하지만 계산을 바꾸지 않는다. Keras 의 ``update_step`` 에서 True 면
    ``lr = min(lr, 1/sqrt(t))`` 를 하고 곧이어 ``rho_t = min(lr, 1/sqrt(t))`` 를 늘 하므로
    (keras/src/optimizers/adafactor.py 151-158행), 두 값의 결과는 같다 (테스트가 실제 Keras 로 확인한다).

    Args:
        learning_rate (float, optional): :math:`\rho_t` 의 상한이자 가중치 감쇠의 계수 (default: 0.001)
        beta_2_decay (float, optional): :math:`c \le 0` (default: -0.8)
        epsilon_1 (float, optional): (default: 1e-30)
        epsilon_2 (float, optional): (default: 1e-3)
        clip_threshold (float, optional): :math:`d > 0` (default: 1.0)
        relative_step (bool, optional): 효과 없음 (default: True)
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "Adafactor"
    defaults = dict(learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
                    relative_step=True, weight_decay=None)
    checks = {"learning_rate": nonnegative, "beta_2_decay": nonpositive, "epsilon_1": nonnegative,
              "epsilon_2": nonnegative, "clip_threshold": positive, "relative_step": boolean,
              "weight_decay": optional_nonnegative}
    _update = staticmethod(adafactor)

    def _init(self, param, h):
        return adafactor_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta2_decay=h["beta_2_decay"], eps1=h["epsilon_1"], eps2=h["epsilon_2"],
                    d=h["clip_threshold"], weight_decay=h["weight_decay"] or 0.0, eps1_mode="add",
                    rms_after_decay=True, float32_reductions=True)

# adamlearn.keras.Adafactor 로 내보낸다: state_dict 와 오류 메시지가 Keras 의 이름을 쓰게 한다.
KerasAdafactor.__name__ = KerasAdafactor.__qualname__ = "Adafactor"
KerasAdafactor.__module__ = "adamlearn.keras"  # repr 과 pickle 이 공개된 이름을 쓰게: adamlearn.keras.Adafactor
Adafactor.__module__ = "adamlearn"  # adamlearn.Adafactor
