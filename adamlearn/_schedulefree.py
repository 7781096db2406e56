r"""Schedule-Free AdamW (Defazio et al., 2024): 학습률 스케줄 대신 보간(interpolation)과 평균(averaging).

세 수열을 둔다:

- :math:`z`: 그래디언트 스텝이 쌓이는 기본 수열 (Keras 의 ``momentum`` 변수),
- :math:`x`: :math:`z` 의 평균 (평가에 쓰라고 논문이 권하는 점),
- :math:`y = (1-\beta_1) z + \beta_1 x`: 그래디언트를 계산하는 점 (Keras 에서 파라미터 배열이 든 값).

Keras 3 (keras/src/optimizers/schedule_free_adamw.py, ``update_step``) 는 :math:`z` 와 :math:`y` 만 저장하고
:math:`x` 는 스텝마다 :math:`x = (y - (1-\beta_1) z)/\beta_1` 로 되살린다. 그래서 :math:`\beta_1 = 0` 이면
0/0 이 되고, 이 모듈은 그 값을 받지 않는다. 파라미터 배열은 학습이 끝나도 :math:`y` 다: Keras 에는 :math:`x` 로
바꾸는 호출(논문 저장소의 ``optimizer.eval()``)이 없다. :math:`x` 가 필요하면 :func:`schedulefree_x` 나
:meth:`KerasScheduleFreeAdamW.eval_params` 로 계산한다.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from ._base import nonnegative, optional_nonnegative, unit_interval
from .functional import _record, apply_weight_decay, bias_correction, ema
from .keras import _KerasOptimizer

__all__ = [
    "KerasScheduleFreeAdamW",
    "ScheduleFreeState",
    "schedulefree_adamw",
    "schedulefree_adamw_init",
    "schedulefree_x",
]


class ScheduleFreeState(NamedTuple):
    t: int
    z: np.ndarray  # 그래디언트 스텝이 쌓이는 수열 (Keras 의 momentum; 처음 값은 파라미터의 복사본)
    v: np.ndarray  # 그래디언트 제곱의 EMA (Keras 의 velocity)


def schedulefree_adamw_init(param):
    """Schedule-Free AdamW 상태: t = 0, z_0 = x_0 = y_0 = 파라미터 (Keras 의 ``build``), v_0 = 0."""
    return ScheduleFreeState(0, np.array(param, copy=True), np.zeros_like(param))


def schedulefree_x(param, state, beta1=0.9):
    r"""평균 수열 :math:`x = (y - (1-\beta_1) z)/\beta_1` (Keras 가 스텝마다 되살리는 식). ``param`` 은 :math:`y`."""
    if not 0 < beta1 < 1:
        raise ValueError(f"invalid beta1={beta1!r}: x = (y - (1-beta1) z)/beta1 needs 0 < beta1 < 1")
    return (param - (1 - beta1) * state.z) / beta1


def schedulefree_adamw(param, grad, state, *, lr=0.0025, beta1=0.9, beta2=0.999, eps=1e-8, warmup_steps=0,
                       weight_decay=0.0, x_recovery="z_prev", warmup_float32=False, tape=None):
    r"""Schedule-Free AdamW 한 스텝 (Keras 3 의 ``ScheduleFreeAdamW``). ``param`` 은 :math:`y_{t-1}` 이고
    ``grad`` 는 :math:`y_{t-1}` 에서의 그래디언트다.

    .. math::
        \begin{aligned}
        y &\leftarrow (1-\eta\lambda)\, y_{t-1}                                  && \text{(가중치 감쇠, } y \text{ 에만)}\\
        \eta_t &= \eta \min(t/T_\text{warmup}, 1)                                 && (0)\\
        v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2                             && (1)\\
        z_t &= z_{t-1} - \eta_t\, g_t / (\sqrt{v_t/(1-\beta_2^t)} + \epsilon)      && (2)\\
        x_{t-1} &= (y - (1-\beta_1) z_{t-1})/\beta_1                             && (3)\\
        x_t &= (1 - c_t)\, x_{t-1} + c_t z_t,\quad c_t = 1/t                     && (4)\\
        y_t &= (1-\beta_1)\, z_t + \beta_1 x_t                                   && (5)
        \end{aligned}

    Adam 과 비교하면 1차 모멘트 (1) 과 그 편향 보정 (3) 이 없다: 모멘텀의 역할은 :math:`y` 의 보간이 맡는다.
    (2) 는 편향 보정한 RMSProp 한 스텝이다. 가중치 감쇠는 Keras 의 torch 백엔드
    (``TorchOptimizer._apply_weight_decay``: 스텝 전에 변수 :math:`y` 에 :math:`1-\lambda\eta`) 를 따르고,
    워밍업 전의 :math:`\eta` 를 쓴다. 논문 저장소의 참조 구현
    (facebookresearch/schedule_free, ``adamw_schedulefree_reference.py``) 과 다른 곳: 참조 구현은 감쇠를
    :math:`z` 의 스텝에 넣고 (:math:`z \leftarrow z - \eta_t\lambda y`), 학습률에 :math:`\sqrt{1-\beta_2^t}` 를
    곱해 엡실론을 보정 전 :math:`\sqrt{v_t}` 에 더하며, 평균의 가중치를
    :math:`c_t = \bar\eta_t^2/\sum_{i\le t}\bar\eta_i^2` (:math:`\bar\eta_t` 는 지금까지의 최대 학습률) 로 둔다
    (워밍업 동안의 작은 스텝을 덜 센다). Keras 는 워밍업이 있어도 :math:`c_t = 1/t` 다.

    Keras 3 을 torch 백엔드로 돌릴 때만 생기는 두 가지는 옵션이다 (기본값은 위의 식):

    - ``x_recovery="z_new"``: (3) 에 :math:`z_{t-1}` 대신 새 :math:`z_t` 가 들어간다. ``update_step`` 의
      ``momentum_old = momentum.value`` 는 torch 백엔드에서 변수의 텐서 그 자체이고, 바로 다음의
      ``assign_sub(momentum, ...)`` 가 그 텐서를 제자리에서 바꾸기 때문이다 (복사본이 아니다). 그러면
      :math:`x_{t-1}` 대신 :math:`x_{t-1} + \frac{1-\beta_1}{\beta_1}(z_{t-1} - z_t)` 를 평균하게 되어,
      :math:`x` 가 평균이 아니라 :math:`z` 의 스텝을 :math:`(1-\beta_1)/\beta_1` 배 더 따라간다.
    - ``warmup_float32=True``: 워밍업 계수 :math:`\min(t/T, 1)` 을 float32 로 반올림한다
      (``ops.minimum(float64 텐서, 1.0)`` 의 결과 dtype 이 Keras 의 ``result_type(float64, float)`` = float32).

    Args:
        lr, beta1, beta2, eps: Keras 의 learning_rate, beta_1, beta_2, epsilon.
        warmup_steps: 학습률을 0 에서 선형으로 올리는 스텝 수 (0 이면 없음).
        weight_decay: 분리된 가중치 감쇠 :math:`\lambda` (Keras 의 None 은 0).
        x_recovery: ``"z_prev"`` (논문, 식 (3)) 또는 ``"z_new"`` (Keras 3 의 torch 백엔드).
        warmup_float32: 워밍업 계수를 float32 로 (Keras 3).
        tape: dict 를 주면 g, v, z, x, y, c, lr_t, update 를 적는다 (update 는 :math:`y_{t-1} - y_t`).
    """
    if not 0 < beta1 < 1:
        raise ValueError(f"invalid beta1={beta1!r}: Schedule-Free recovers x = (y - (1-beta1) z)/beta1, "
                         "so beta1 must be in (0, 1) (Keras gives 0/0 = NaN at beta1=0)")
    y_before = param
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay, decoupled=True,
                                     maximize=False)
    t = state.t + 1
    if warmup_steps > 0:
        factor = min(t / warmup_steps, 1.0)
        lr_t = lr * (float(np.float32(factor)) if warmup_float32 else factor)  # (0)
    else:
        lr_t = lr
    v = ema(state.v, grad * grad, beta2)  # (1)
    denom = np.sqrt(bias_correction(v, beta2, t)) + eps
    z = state.z - lr_t * grad / denom  # (2)
    if x_recovery not in ("z_prev", "z_new"):
        raise ValueError(f"invalid x_recovery={x_recovery!r}: must be 'z_prev' (paper) or 'z_new' (Keras on torch)")
    x_old = (param - (1 - beta1) * (state.z if x_recovery == "z_prev" else z)) / beta1  # (3)
    c = 1.0 / t
    x = (1 - c) * x_old + c * z  # (4)
    y = (1 - beta1) * z + beta1 * x  # (5)
    _record(tape, g=grad, v=v, z=z, x=x, y=y, c=c, lr_t=lr_t, update=y_before - y, lr_eff=lr_t / denom)
    return y, ScheduleFreeState(t, z, v)


def _positive_int_or_zero(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"invalid {name}={value!r}: must be an int >= 0")


def _open_unit_interval(name, value):
    unit_interval(name, value)
    if value == 0:
        raise ValueError(f"invalid {name}={value!r}: must be in (0, 1); Schedule-Free recovers "
                         "x = (y - (1-beta_1) z)/beta_1, which is 0/0 at beta_1=0 (NaN in Keras)")


def _x_recovery(name, value):
    if value not in ("z_prev", "z_new"):
        raise ValueError(f"invalid {name}={value!r}: must be 'z_new' (Keras 3 on the torch backend) or 'z_prev' (paper)")


class KerasScheduleFreeAdamW(_KerasOptimizer):
    r"""Schedule-Free AdamW (``keras.optimizers.ScheduleFreeAdamW``, Keras 3).

    .. math::
        z_t = z_{t-1} - \eta_t\, g_t / (\sqrt{\hat v_t} + \epsilon),\quad
        x_t = (1-\tfrac1t) x_{t-1} + \tfrac1t z_t,\quad
        y_t = (1-\beta_1) z_t + \beta_1 x_t

    파라미터 배열에는 :math:`y` 가 있고 (Keras 와 같다), 그래디언트도 :math:`y` 에서 계산한다. 평가에 쓸
    :math:`x` 는 :meth:`eval_params` 가 준다 (파라미터는 바꾸지 않는다). Keras 는 이런 호출이 없어
    ``model.evaluate`` 도 :math:`y` 에서 한다. 자세한 식은 :func:`schedulefree_adamw`.

    Args:
        learning_rate (float, optional): (default: 0.0025)
        beta_1 (float, optional): 보간 계수, (0, 1) (default: 0.9)
        beta_2 (float, optional): (default: 0.999)
        epsilon (float, optional): (default: 1e-8)
        warmup_steps (int, optional): (default: 0)
        weight_decay (float | None, optional): (default: None)
        x_recovery (str, optional): adamlearn 만의 옵션. ``"z_new"`` 은 Keras 3 을 torch 백엔드로 돌린 결과를
            그대로 재현하고 (``momentum.value`` 가 제자리에서 바뀐 뒤의 새 :math:`z` 로 :math:`x` 를 되살린다),
            ``"z_prev"`` 는 논문의 식이다 (:func:`schedulefree_adamw`) (default: "z_new")
    """

    reference = "ScheduleFreeAdamW"
    defaults = dict(learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0, weight_decay=None,
                    x_recovery="z_new")
    checks = {"learning_rate": nonnegative, "beta_1": _open_unit_interval, "beta_2": unit_interval,
              "epsilon": nonnegative, "warmup_steps": _positive_int_or_zero, "weight_decay": optional_nonnegative,
              "x_recovery": _x_recovery}
    _update = staticmethod(schedulefree_adamw)

    def _init(self, param, h):
        return schedulefree_adamw_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    warmup_steps=h["warmup_steps"], weight_decay=h["weight_decay"] or 0.0,
                    x_recovery=h["x_recovery"], warmup_float32=True)

    def eval_params(self) -> list[np.ndarray]:
        """평가할 점 :math:`x` (새 배열의 목록). 파라미터(:math:`y`)와 상태는 그대로다."""
        return [schedulefree_x(p, s, self.hyper["beta_1"]) for p, s in zip(self.params, self.state)]



# state_dict 의 "optimizer" 와 오류 메시지의 이름은 공개 이름 adamlearn.keras.ScheduleFreeAdamW 를 따른다.
KerasScheduleFreeAdamW.__name__ = KerasScheduleFreeAdamW.__qualname__ = "ScheduleFreeAdamW"
KerasScheduleFreeAdamW.__module__ = "adamlearn.keras"  # repr 과 pickle 이 공개된 이름을 쓰게
