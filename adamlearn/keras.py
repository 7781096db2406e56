"""Keras 형식 옵티마이저: ``keras.optimizers`` (Keras 3) 와 같은 이름, 같은 키워드, 같은 기본값.

Keras 는 PyTorch 와 실제로 다르게 계산하는 곳이 있고, 이 클래스들은 그 차이를 그대로 재현한다.
알고리즘은 :mod:`adamlearn.functional` 의 같은 함수이고, 차이는 그 함수의 옵션이다.

- Adam/AdamW: ``epsilon`` 은 논문의 :math:`\\hat\\epsilon` (보정 전 :math:`\\sqrt{v_t}` 에 더한다).
- RMSprop, Adagrad: ``epsilon`` 이 제곱근 안에 있다.
- SGD, RMSprop 의 모멘텀 버퍼에는 학습률이 곱해진 증분이 쌓인다.
- Nadam 의 모멘텀 스케줄은 :math:`0.96^{t}` (PyTorch 는 :math:`0.96^{0.004 t}`).
- ``weight_decay`` 는 모든 옵티마이저에서 분리된(decoupled) 가중치 감쇠다:
  업데이트 전에 :math:`\\theta \\leftarrow \\theta - \\eta\\lambda\\theta`.
"""

from __future__ import annotations

from . import functional as F
from ._base import Optimizer, boolean, closed_unit_interval, nonnegative, optional_nonnegative, unit_interval

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Adamax", "Nadam", "RMSprop"]

_COMMON_CHECKS = {"learning_rate": nonnegative, "weight_decay": optional_nonnegative}
_BETAS = {"beta_1": unit_interval, "beta_2": unit_interval, "epsilon": nonnegative}


class _KerasOptimizer(Optimizer):
    framework = "keras"

    @staticmethod
    def _decay(h) -> dict:
        """Keras 의 weight_decay 는 늘 분리된 감쇠다 (None 은 0)."""
        return dict(weight_decay=h["weight_decay"] or 0.0, decoupled_weight_decay=True)


class SGD(_KerasOptimizer):
    r"""SGD (``keras.optimizers.SGD``): 학습률이 모멘텀 버퍼 안에 있다.

    .. math::
        v_t = \mu v_{t-1} + \eta g_t,\qquad \theta_t = \theta_{t-1} - v_t
        \quad(\text{nesterov: } \theta_{t-1} - \eta g_t - \mu v_t)

    Args:
        learning_rate (float, optional): (default: 0.01)
        momentum (float, optional): [0, 1] (default: 0.0)
        nesterov (bool, optional): (default: False)
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "SGD"
    defaults = dict(learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None)
    checks = {**_COMMON_CHECKS, "momentum": closed_unit_interval, "nesterov": boolean}
    _update = staticmethod(F.sgd)

    def _init(self, param, h):
        return F.sgd_init(param, h["momentum"], lr_in_buffer=True)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], momentum=h["momentum"], nesterov=h["nesterov"],
                    lr_in_buffer=True, **self._decay(h))


class Adagrad(_KerasOptimizer):
    r"""Adagrad (``keras.optimizers.Adagrad``): 엡실론이 제곱근 안에 있다.

    .. math::
        G_t = G_{t-1} + g_t^2,\qquad \theta_t = \theta_{t-1} - \eta\, g_t / \sqrt{G_t + \epsilon}

    Args:
        learning_rate (float, optional): (default: 0.001)
        initial_accumulator_value (float, optional): :math:`G_0` (default: 0.1)
        epsilon (float, optional): (default: 1e-7)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "Adagrad"
    defaults = dict(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None)
    checks = {**_COMMON_CHECKS, "initial_accumulator_value": nonnegative, "epsilon": nonnegative}
    _update = staticmethod(F.adagrad)

    def _init(self, param, h):
        return F.adagrad_init(param, h["initial_accumulator_value"])

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], eps=h["epsilon"], eps_inside_sqrt=True, **self._decay(h))


class RMSprop(_KerasOptimizer):
    r"""RMSprop (``keras.optimizers.RMSprop``): 엡실론이 제곱근 안에, 학습률이 모멘텀 버퍼 안에 있다.

    .. math::
        s_t = \rho s_{t-1} + (1-\rho) g_t^2,\qquad
        v_t = \mu v_{t-1} + \eta\, g_t / \sqrt{s_t + \epsilon},\qquad \theta_t = \theta_{t-1} - v_t

    Args:
        learning_rate (float, optional): (default: 0.001)
        rho (float, optional): (default: 0.9)
        momentum (float, optional): (default: 0.0)
        epsilon (float, optional): (default: 1e-7)
        centered (bool, optional): (default: False)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "RMSprop"
    defaults = dict(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, weight_decay=None)
    checks = {**_COMMON_CHECKS, "rho": unit_interval, "momentum": nonnegative, "epsilon": nonnegative,
              "centered": boolean}
    _update = staticmethod(F.rmsprop)

    def _init(self, param, h):
        return F.rmsprop_init(param, h["centered"], h["momentum"])

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], alpha=h["rho"], eps=h["epsilon"], momentum=h["momentum"],
                    centered=h["centered"], eps_inside_sqrt=True, lr_in_buffer=True, **self._decay(h))


class Adam(_KerasOptimizer):
    r"""Adam (``keras.optimizers.Adam`` = ``tf.keras.optimizers.Adam``): 엡실론은 논문의 :math:`\hat\epsilon`.

    .. math::
        \alpha_t = \eta \sqrt{1-\beta_2^t} / (1-\beta_1^t),\qquad
        \theta_t = \theta_{t-1} - \alpha_t\, m_t / (\sqrt{v_t} + \hat\epsilon)

    이는 PyTorch 형식의 식 (5) 에서 :math:`\epsilon` 을 :math:`\hat\epsilon/\sqrt{1-\beta_2^t}` 로 바꾼 것과 같다.

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1 (float, optional): (default: 0.9)
        beta_2 (float, optional): (default: 0.999)
        epsilon (float, optional): :math:`\hat\epsilon` (default: 1e-7)
        amsgrad (bool, optional): (default: False)
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "Adam"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, weight_decay=None)
    checks = {**_COMMON_CHECKS, **_BETAS, "amsgrad": boolean}
    _update = staticmethod(F.adam)

    def _init(self, param, h):
        return F.adam_init(param, h["amsgrad"])

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    amsgrad=h["amsgrad"], epsilon_hat=True, **self._decay(h))


class AdamW(Adam):
    r"""AdamW (``keras.optimizers.AdamW``): :class:`Adam` 에 ``weight_decay=0.004`` 가 기본인 것.

    Args:
        learning_rate (float, optional): (default: 0.001)
        weight_decay (float, optional): (default: 0.004)
        beta_1, beta_2, epsilon, amsgrad: :class:`Adam` 과 같다.
    """

    reference = "AdamW"
    defaults = dict(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)
    checks = {**Adam.checks, "weight_decay": nonnegative}


class Nadam(_KerasOptimizer):
    r"""Nadam (``keras.optimizers.Nadam``): 모멘텀 스케줄이 :math:`\mu_t = \beta_1(1 - \tfrac12 0.96^{t})`.

    :func:`adamlearn.functional.nadam` 에 ``momentum_decay=1`` 을 준 것과 같다 (PyTorch 의 기본값은 0.004).

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1, beta_2 (float, optional): (default: 0.9, 0.999)
        epsilon (float, optional): (default: 1e-7)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "Nadam"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None)
    checks = {**_COMMON_CHECKS, **_BETAS}
    _update = staticmethod(F.nadam)

    def _init(self, param, h):
        return F.nadam_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    momentum_decay=1.0, **self._decay(h))


class Adamax(_KerasOptimizer):
    r"""Adamax (``keras.optimizers.Adamax``): 엡실론을 max 밖, 분모에 더한다.

    .. math::
        u_t = \max(\beta_2 u_{t-1}, |g_t|),\qquad
        \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\, m_t / (u_t + \epsilon)

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1, beta_2 (float, optional): (default: 0.9, 0.999)
        epsilon (float, optional): (default: 1e-7)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "Adamax"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None)
    checks = {**_COMMON_CHECKS, **_BETAS}
    _update = staticmethod(F.adamax)

    def _init(self, param, h):
        return F.adamax_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    eps_inside_max=False, **self._decay(h))
