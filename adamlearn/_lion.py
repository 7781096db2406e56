"""Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"): 부호(sign)로 움직이는 모멘텀.

프로그램 탐색으로 찾은 업데이트다. 상태는 모멘텀 하나(:math:`m_t`)뿐이고 (Adam 은 :math:`m_t, s_t` 둘),
업데이트는 :math:`\\text{sign}(c_t)` 라서 모든 좌표가 정확히 학습률만큼 움직인다. torch 2.13 에는 없고
``keras.optimizers.Lion`` (Keras 3) 이 있다. Keras 의 torch 백엔드는 ``keras/src/backend/torch/optimizers/torch_lion.py``
의 ``_parallel_update_step`` 으로 같은 식을 계산한다.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from ._base import closed_unit_interval, nonnegative, optional_nonnegative
from .functional import _record, apply_weight_decay, ema
from .keras import _KerasOptimizer

__all__ = ["Lion", "LionState", "lion", "lion_init"]


class LionState(NamedTuple):
    t: int
    m: np.ndarray  # 그래디언트의 EMA (beta2 로)


def lion_init(param):
    """Lion 상태: m_0 = 0."""
    return LionState(0, np.zeros_like(param))


def lion(param, grad, state, *, lr=1e-3, beta1=0.9, beta2=0.99, weight_decay=0.0, maximize=False, tape=None):
    r"""Lion 한 스텝 (Chen et al., 2023, Algorithm 2).

    .. math::
        \begin{aligned}
        c_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t                                  && \text{(보간)}\\
        \theta_t &= \theta_{t-1} - \eta\,\big(\text{sign}(c_t) + \lambda\theta_{t-1}\big) && \text{(업데이트)}\\
        m_t &= \beta_2 m_{t-1} + (1-\beta_2)\, g_t                                  && \text{(모멘텀)}
        \end{aligned}

    두 줄 다 Adam 의 식 (1) 과 같은 EMA 이고 계수만 다르다: 업데이트는 :math:`\beta_1` 로 섞은 :math:`c_t` 의 부호,
    상태는 :math:`\beta_2` 로 섞은 :math:`m_t`. 가중치 감쇠는 분리된 감쇠
    :math:`\theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1}` 로 먼저 한다 (논문의 :math:`\eta\lambda\theta_{t-1}` 항과
    식으로 같고, Keras 의 ``_apply_weight_decay`` 와 같은 순서다).

    :math:`\text{sign}(0) = 0` 이다 (numpy, torch 모두). 업데이트는 :math:`c_t = 0` 에서 불연속이므로, 두 구현이
    반올림 한 번만큼 다른 :math:`c_t` 를 0 의 양쪽에 두면 그 좌표는 :math:`2\eta` 만큼 갈린다.

    Args:
        lr: :math:`\eta` (Keras 기본값 1e-3; 논문은 AdamW 보다 3-10 배 작게 권한다)
        beta1: 업데이트의 보간 계수 (Keras, 논문 0.9)
        beta2: 모멘텀의 감쇠율 (Keras, 논문 0.99)
        weight_decay: :math:`\lambda` (분리된 감쇠; 논문은 AdamW 보다 3-10 배 크게 권한다)
        maximize: 그래디언트의 부호를 바꾼다

    Returns:
        ``(new_param, new_state)``. ``tape`` 에는 g, c, m, update, lr_eff.
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay, decoupled=True,
                                     maximize=maximize)
    t = state.t + 1
    c = ema(state.m, grad, beta1)  # c_t = β1 m_{t-1} + (1-β1) g_t
    update = lr * np.sign(c)  # η sign(c_t): 모든 좌표가 η 만큼 (c_t = 0 인 좌표는 0)
    m = ema(state.m, grad, beta2)  # m_t = β2 m_{t-1} + (1-β2) g_t
    _record(tape, g=grad, c=c, m=m, update=update, lr_eff=np.full_like(param, lr))
    return param - update, LionState(t, m)


def lion_beta_1(name, value):
    """Keras 의 Lion 검사: beta_1 은 (0, 1]. 0 이면 SignSGD 가 된다 (keras/src/optimizers/lion.py 460-464행)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value <= 1:
        raise ValueError(f"invalid {name}={value!r}: must be in (0, 1] (beta_1=0 degenerates to SignSGD)")


class Lion(_KerasOptimizer):
    r"""Lion (``keras.optimizers.Lion``, Keras 3).

    .. math::
        \theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1},\quad
        \theta_t = \theta_{t-1} - \eta\,\text{sign}(\beta_1 m_{t-1} + (1-\beta_1) g_t),\quad
        m_t = \beta_2 m_{t-1} + (1-\beta_2) g_t

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1 (float, optional): (0, 1] (default: 0.9)
        beta_2 (float, optional): [0, 1] (default: 0.99). Keras 는 검사하지 않는다
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "Lion"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None)
    checks = {"learning_rate": nonnegative, "beta_1": lion_beta_1, "beta_2": closed_unit_interval,
              "weight_decay": optional_nonnegative}
    _update = staticmethod(lion)

    def _init(self, param, h):
        return lion_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], weight_decay=h["weight_decay"] or 0.0)

Lion.__module__ = "adamlearn.keras"  # repr 과 pickle 이 공개된 이름을 쓰게: adamlearn.keras.Lion
