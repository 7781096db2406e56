"""LAMB (You et al., 2020, "Large Batch Optimization for Deep Learning"): 층마다 신뢰 비율을 곱한 Adam.

Adam 의 방향 :math:`r_t = \\hat m_t / (\\sqrt{\\hat s_t} + \\epsilon)` 를 그대로 두고, 파라미터(층) 하나마다
:math:`\\|\\theta\\| / \\|r_t\\|` 를 곱한다. 그래서 한 스텝에 파라미터가 움직이는 거리는 :math:`\\eta\\|\\theta\\|`,
즉 자기 크기의 :math:`\\eta` 배다. torch 2.13 에는 없고 ``keras.optimizers.Lamb`` (Keras 3) 이 있다.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._base import nonnegative, optional_nonnegative, unit_interval
from .functional import _record, apply_weight_decay, bias_correction, ema
from .keras import _KerasOptimizer

__all__ = ["Lamb", "LambState", "lamb", "lamb_init"]


class LambState(NamedTuple):
    t: int
    m: np.ndarray  # 1차 모멘트
    s: np.ndarray  # 2차 모멘트


def lamb_init(param):
    """LAMB 상태: Adam 과 같이 m_0 = s_0 = 0."""
    z = np.zeros_like(param)
    return LambState(0, z, z.copy())


def _norm(x) -> float:
    return math.sqrt(float(np.sum(x * x)))


def lamb(param, grad, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7, weight_decay=0.0, maximize=False,
         decay_in_trust_ratio=False, tape=None):
    r"""LAMB 한 스텝. 식 (1)–(4) 는 Adam 과 같고, (5) 의 방향에 신뢰 비율(trust ratio)을 곱한다.

    .. math::
        \begin{aligned}
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t                       && (1)\\
        s_t &= \beta_2 s_{t-1} + (1-\beta_2)\, g_t \odot g_t             && (2)\\
        \hat m_t &= m_t / (1-\beta_1^t)                                  && (3)\\
        \hat s_t &= s_t / (1-\beta_2^t)                                  && (4)\\
        r_t &= \hat m_t / (\sqrt{\hat s_t} + \epsilon)                   && \text{(Adam 의 방향)}\\
        \theta_t &= \theta_{t-1} - \eta\, \frac{\|\theta_{t-1}\|}{\|r_t\|}\, r_t   && \text{(신뢰 비율)}
        \end{aligned}

    :math:`\|\theta_{t-1}\|` 이나 :math:`\|r_t\|` 가 0 이면 비율은 1 이다 (Keras). 가중치 감쇠는 두 가지다.

    - ``decay_in_trust_ratio=False`` (Keras): 분리된 감쇠 :math:`\theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1}` 를
      먼저 하고(``base_optimizer._apply_weight_decay``), 비율의 :math:`\|\theta_{t-1}\|` 은 감쇠한 파라미터의 노름이다.
    - ``decay_in_trust_ratio=True`` (논문 Algorithm 2): :math:`r_t \leftarrow r_t + \lambda\theta_{t-1}` 로 감쇠를
      방향에 넣은 뒤 비율 :math:`\|\theta_{t-1}\| / \|r_t + \lambda\theta_{t-1}\|` 를 곱한다. 논문의 스케일 함수
      :math:`\phi` 는 항등 함수로 둔다.

    ``weight_decay=0`` 이면 두 형식은 같다.

    Returns:
        ``(new_param, new_state)``. ``tape`` 에는 g, m, s, m_hat, s_hat, r, trust_ratio, update, lr_eff.
    """
    if not decay_in_trust_ratio:
        param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay, decoupled=True,
                                         maximize=maximize)
    elif maximize:
        grad = -grad
    t = state.t + 1
    m = ema(state.m, grad, beta1)  # (1)
    s = ema(state.s, grad * grad, beta2)  # (2)
    m_hat = bias_correction(m, beta1, t)  # (3)
    s_hat = bias_correction(s, beta2, t)  # (4)
    denom = np.sqrt(s_hat) + eps
    r = m_hat / denom  # Adam 의 방향 (학습률 없이)
    if decay_in_trust_ratio and weight_decay != 0:
        r = r + weight_decay * param  # 논문: r_t + λθ_{t-1}
    w_norm, r_norm = _norm(param), _norm(r)
    ratio = w_norm / r_norm if w_norm > 0 and r_norm > 0 else 1.0  # 신뢰 비율 ||θ|| / ||r||
    update = lr * ratio * r
    _record(tape, g=grad, m=m, s=s, m_hat=m_hat, s_hat=s_hat, r=r, trust_ratio=ratio, update=update,
            lr_eff=lr * ratio / denom)
    return param - update, LambState(t, m, s)


class Lamb(_KerasOptimizer):
    r"""LAMB (``keras.optimizers.Lamb``, Keras 3).

    .. math::
        \theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1},\quad
        r_t = \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon},\quad
        \theta_t = \theta_{t-1} - \eta\,\frac{\|\theta_{t-1}\|}{\|r_t\|}\, r_t

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1 (float, optional): (default: 0.9)
        beta_2 (float, optional): (default: 0.999)
        epsilon (float, optional): 보정한 :math:`\sqrt{\hat v_t}` 에 더한다 (default: 1e-7)
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "Lamb"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None)
    checks = {"learning_rate": nonnegative, "beta_1": unit_interval, "beta_2": unit_interval, "epsilon": nonnegative,
              "weight_decay": optional_nonnegative}
    _update = staticmethod(lamb)

    def _init(self, param, h):
        return lamb_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    weight_decay=h["weight_decay"] or 0.0)

Lamb.__module__ = "adamlearn.keras"  # repr 과 pickle 이 공개된 이름을 쓰게: adamlearn.keras.Lamb
