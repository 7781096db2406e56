"""PyTorch 형식 옵티마이저: ``torch.optim`` (2.13) 과 같은 이름, 같은 키워드, 같은 기본값.

>>> import numpy as np, adamlearn
>>> w = np.zeros(3)
>>> opt = adamlearn.Adam([w], lr=0.1)
>>> opt.step([np.array([1.0, -2.0, 0.5])])
>>> w.round(6)
array([-0.1,  0.1, -0.1])
"""

from __future__ import annotations

from . import functional as F
from ._base import Optimizer, beta_pair, boolean, nonnegative, unit_interval

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RMSprop"]

_COMMON_CHECKS = {"lr": nonnegative, "weight_decay": nonnegative, "maximize": boolean}


class _TorchOptimizer(Optimizer):
    """PyTorch 형식의 공통 부모: 파라미터 그룹 (``[{"params": [...], "lr": ...}, ...]``), ``add_param_group``,
    ``step`` 의 ``None`` 그래디언트 건너뛰기가 torch 와 같다 (:class:`adamlearn._base.Optimizer` 참고)."""

    framework = "torch"
    _param_groups_api = True


class SGD(_TorchOptimizer):
    r"""확률적 경사 하강법(SGD)과 모멘텀 (``torch.optim.SGD``).

    .. math::
        \begin{aligned}
        & g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}) \;(+\lambda\theta_{t-1}) \\
        & b_t \leftarrow \mu b_{t-1} + (1-\tau) g_t \quad (b_1 = g_1) \\
        & \theta_t \leftarrow \theta_{t-1} - \eta\, b_t
          \quad\text{(nesterov: } \theta_{t-1} - \eta (g_t + \mu b_t))
        \end{aligned}

    Args:
        params (list[np.ndarray]): 제자리에서 업데이트할 float32/float64 배열
        lr (float, optional): 학습률 :math:`\eta` (default: 1e-3)
        momentum (float, optional): 모멘텀 계수 :math:`\mu` (default: 0)
        dampening (float, optional): :math:`\tau` (default: 0)
        weight_decay (float, optional): L2 규제 :math:`\lambda` (default: 0)
        nesterov (bool, optional): 네스테로프 모멘텀 (default: False)
        maximize (bool, optional): 목적 함수를 최대화 (default: False)
    """

    reference = "SGD"
    defaults = dict(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)
    checks = {**_COMMON_CHECKS, "momentum": nonnegative, "dampening": nonnegative, "nesterov": boolean}

    def _extra_checks(self, h):
        if h["nesterov"] and (h["momentum"] <= 0 or h["dampening"] != 0):
            raise ValueError(
                f"invalid nesterov=True with momentum={h['momentum']!r}, dampening={h['dampening']!r}: "
                "Nesterov momentum requires a momentum > 0 and zero dampening"
            )

    _update = staticmethod(F.sgd)

    def _init(self, param, h):
        return F.sgd_init(param, h["momentum"])

    def _lazy_fields(self, h):
        # torch 처럼 모멘텀 버퍼는 첫 스텝에 생긴다: 그 전에는 None, 그 뒤에는 배열.
        return frozenset({"buf"}) if h["momentum"] != 0 else frozenset()

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], momentum=h["momentum"], dampening=h["dampening"], nesterov=h["nesterov"],
                    weight_decay=h["weight_decay"], maximize=h["maximize"])


class Adagrad(_TorchOptimizer):
    r"""Adagrad (``torch.optim.Adagrad``).

    .. math::
        \begin{aligned}
        & \eta_t = \eta / (1 + (t-1)\,\text{lr\_decay}) \\
        & G_t = G_{t-1} + g_t^2 \\
        & \theta_t = \theta_{t-1} - \eta_t\, g_t / (\sqrt{G_t} + \epsilon)
        \end{aligned}

    Args:
        lr (float, optional): 학습률 (default: 1e-2)
        lr_decay (float, optional): 학습률 감쇠 (default: 0)
        weight_decay (float, optional): L2 규제 (default: 0)
        initial_accumulator_value (float, optional): :math:`G_0` (default: 0)
        eps (float, optional): 분모의 :math:`\epsilon` (default: 1e-10)
        maximize (bool, optional): (default: False)
    """

    reference = "Adagrad"
    defaults = dict(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10,
                    maximize=False)
    checks = {**_COMMON_CHECKS, "lr_decay": nonnegative, "initial_accumulator_value": nonnegative,
              "eps": nonnegative}
    _update = staticmethod(F.adagrad)

    def _init(self, param, h):
        # torch 의 Adagrad 는 그룹의 값이 아니라 생성자의 initial_accumulator_value 로 모든 그룹의 상태를 채운다
        # (torch/optim/adagrad.py: __init__ 과 _init_group 의 self.defaults["initial_accumulator_value"]).
        # 그룹 dict 의 같은 키는 torch 에서처럼 받아 두기만 한다.
        return F.adagrad_init(param, getattr(self, "_group_defaults", h)["initial_accumulator_value"])

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], lr_decay=h["lr_decay"], eps=h["eps"], weight_decay=h["weight_decay"],
                    maximize=h["maximize"])


class RMSprop(_TorchOptimizer):
    r"""RMSProp (``torch.optim.RMSprop``).

    .. math::
        \begin{aligned}
        & s_t = \alpha s_{t-1} + (1-\alpha) g_t^2 \\
        & \tilde s_t = s_t - \bar g_t^2 \;\text{(centered, } \bar g_t = \alpha \bar g_{t-1} + (1-\alpha) g_t) \\
        & b_t = \mu b_{t-1} + g_t / (\sqrt{\tilde s_t} + \epsilon) \\
        & \theta_t = \theta_{t-1} - \eta\, b_t \quad (\mu = 0:\; \theta_{t-1} - \eta\, g_t/(\sqrt{\tilde s_t} + \epsilon))
        \end{aligned}

    Args:
        lr (float, optional): 학습률 (default: 1e-2)
        alpha (float, optional): 감쇠율 (default: 0.99)
        eps (float, optional): (default: 1e-8)
        weight_decay (float, optional): L2 규제 (default: 0)
        momentum (float, optional): (default: 0)
        centered (bool, optional): 분산으로 정규화 (default: False)
        maximize (bool, optional): (default: False)
    """

    reference = "RMSprop"
    defaults = dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                    maximize=False)
    checks = {**_COMMON_CHECKS, "alpha": unit_interval, "eps": nonnegative, "momentum": nonnegative,
              "centered": boolean}
    _update = staticmethod(F.rmsprop)

    def _init(self, param, h):
        return F.rmsprop_init(param, h["centered"], h["momentum"])

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], alpha=h["alpha"], eps=h["eps"], momentum=h["momentum"],
                    centered=h["centered"], weight_decay=h["weight_decay"], maximize=h["maximize"])


class Adam(_TorchOptimizer):
    r"""Adam (``torch.optim.Adam``; Kingma & Ba, 2015).

    .. math::
        \begin{aligned}
        & m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t                    && (1)\\
        & s_t = \beta_2 s_{t-1} + (1-\beta_2)\, g_t \odot g_t          && (2)\\
        & \hat m_t = m_t / (1-\beta_1^t)                               && (3)\\
        & \hat s_t = s_t / (1-\beta_2^t)                               && (4)\\
        & \theta_t = \theta_{t-1} - \eta\, \hat m_t / (\sqrt{\hat s_t} + \epsilon) && (5)
        \end{aligned}

    ``weight_decay`` 는 L2 규제(:math:`g_t \leftarrow g_t + \lambda\theta_{t-1}`)다.
    ``decoupled_weight_decay=True`` 면 AdamW 와 같다(:math:`\theta_{t-1} \leftarrow (1-\eta\lambda)\theta_{t-1}`).

    Args:
        lr (float, optional): 학습률 :math:`\eta` (default: 1e-3)
        betas (tuple[float, float], optional): :math:`(\beta_1, \beta_2)` (default: (0.9, 0.999))
        eps (float, optional): :math:`\epsilon` (default: 1e-8)
        weight_decay (float, optional): :math:`\lambda` (default: 0)
        amsgrad (bool, optional): AMSGrad 변형 (default: False)
        maximize (bool, optional): (default: False)
        decoupled_weight_decay (bool, optional): (default: False)
    """

    reference = "Adam"
    defaults = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False,
                    decoupled_weight_decay=False)
    checks = {**_COMMON_CHECKS, "betas": beta_pair, "eps": nonnegative, "amsgrad": boolean,
              "decoupled_weight_decay": boolean}
    _update = staticmethod(F.adam)

    def _init(self, param, h):
        return F.adam_init(param, h["amsgrad"])

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], beta1=h["betas"][0], beta2=h["betas"][1], eps=h["eps"],
                    weight_decay=h["weight_decay"], decoupled_weight_decay=h["decoupled_weight_decay"],
                    amsgrad=h["amsgrad"], maximize=h["maximize"])


class AdamW(Adam):
    r"""AdamW (``torch.optim.AdamW``; Loshchilov & Hutter, 2019): 가중치 감쇠를 그래디언트와 분리한 Adam.

    .. math::
        \theta_{t-1} \leftarrow (1 - \eta\lambda)\,\theta_{t-1}, \quad\text{그다음 Adam 의 식 (1)–(5)}

    기본값은 ``weight_decay=1e-2`` 이고 그 밖의 인자는 :class:`Adam` 과 같다.
    """

    reference = "AdamW"
    defaults = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, maximize=False)
    checks = {**_COMMON_CHECKS, "betas": beta_pair, "eps": nonnegative, "amsgrad": boolean}

    def _core_kwargs(self, h):
        return super()._core_kwargs({**h, "decoupled_weight_decay": True})


class NAdam(_TorchOptimizer):
    r"""NAdam (``torch.optim.NAdam``; Dozat, 2016).

    .. math::
        \begin{aligned}
        & \mu_t = \beta_1 (1 - \tfrac12 0.96^{t\psi}) \\
        & m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad s_t = \beta_2 s_{t-1} + (1-\beta_2) g_t^2 \\
        & \theta_t = \theta_{t-1} - \eta \Big(\frac{\mu_{t+1} m_t}{1-\prod_{i\le t+1}\mu_i}
            + \frac{(1-\mu_t) g_t}{1-\prod_{i\le t}\mu_i}\Big) \Big/ (\sqrt{\hat s_t} + \epsilon)
        \end{aligned}

    Args:
        lr (float, optional): (default: 2e-3)
        betas (tuple[float, float], optional): (default: (0.9, 0.999))
        eps (float, optional): (default: 1e-8)
        weight_decay (float, optional): (default: 0)
        momentum_decay (float, optional): :math:`\psi` (default: 4e-3)
        decoupled_weight_decay (bool, optional): (default: False)
        maximize (bool, optional): (default: False)
    """

    reference = "NAdam"
    defaults = dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
                    decoupled_weight_decay=False, maximize=False)
    checks = {**_COMMON_CHECKS, "betas": beta_pair, "eps": nonnegative, "momentum_decay": nonnegative,
              "decoupled_weight_decay": boolean}
    _update = staticmethod(F.nadam)

    def _init(self, param, h):
        return F.nadam_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], beta1=h["betas"][0], beta2=h["betas"][1], eps=h["eps"],
                    momentum_decay=h["momentum_decay"], weight_decay=h["weight_decay"],
                    decoupled_weight_decay=h["decoupled_weight_decay"], maximize=h["maximize"])


class RAdam(_TorchOptimizer):
    r"""RAdam (``torch.optim.RAdam``; Liu et al., 2020).

    .. math::
        \begin{aligned}
        & \rho_\infty = 2/(1-\beta_2) - 1,\quad \rho_t = \rho_\infty - 2t\beta_2^t/(1-\beta_2^t) \\
        & \rho_t > 5:\; \theta_t = \theta_{t-1} - \eta\, r_t\, \hat m_t \sqrt{1-\beta_2^t} / (\sqrt{s_t} + \epsilon) \\
        & \rho_t \le 5:\; \theta_t = \theta_{t-1} - \eta\, \hat m_t
        \end{aligned}

    Args:
        lr (float, optional): (default: 1e-3)
        betas (tuple[float, float], optional): (default: (0.9, 0.999))
        eps (float, optional): (default: 1e-8)
        weight_decay (float, optional): (default: 0)
        decoupled_weight_decay (bool, optional): (default: False)
        maximize (bool, optional): (default: False)
    """

    reference = "RAdam"
    defaults = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
                    maximize=False)
    checks = {**_COMMON_CHECKS, "betas": beta_pair, "eps": nonnegative, "decoupled_weight_decay": boolean}
    _update = staticmethod(F.radam)

    def _init(self, param, h):
        return F.radam_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], beta1=h["betas"][0], beta2=h["betas"][1], eps=h["eps"],
                    weight_decay=h["weight_decay"], decoupled_weight_decay=h["decoupled_weight_decay"],
                    maximize=h["maximize"])


class Adamax(_TorchOptimizer):
    r"""Adamax (``torch.optim.Adamax``; Kingma & Ba, 2015, 7.1절).

    .. math::
        \begin{aligned}
        & m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t \\
        & u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon) \\
        & \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\, m_t / u_t
        \end{aligned}

    Args:
        lr (float, optional): (default: 2e-3)
        betas (tuple[float, float], optional): (default: (0.9, 0.999))
        eps (float, optional): (default: 1e-8)
        weight_decay (float, optional): L2 규제 (default: 0)
        maximize (bool, optional): (default: False)
    """

    reference = "Adamax"
    defaults = dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False)
    checks = {**_COMMON_CHECKS, "betas": beta_pair, "eps": nonnegative}
    _update = staticmethod(F.adamax)

    def _init(self, param, h):
        return F.adamax_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["lr"], beta1=h["betas"][0], beta2=h["betas"][1], eps=h["eps"],
                    weight_decay=h["weight_decay"], maximize=h["maximize"], eps_inside_max=True)
