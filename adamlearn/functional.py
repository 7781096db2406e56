"""알고리즘마다 순수 함수 하나: ``(param, grad, state, 하이퍼파라미터) -> (new_param, new_state)``.

``adamlearn`` 의 알고리즘은 이 모듈에만 있다 (Adam 이후의 알고리즘은 하나씩 ``_adafactor``, ``_lion`` 같은
모듈에 있고 이 모듈이 다시 내보낸다). PyTorch 형식 클래스(:mod:`adamlearn.optim`)와
Keras 형식 클래스(:mod:`adamlearn.keras`)는 상태를 들고 있는 얇은 껍데기이며, 두 프레임워크가 실제로
다르게 계산하는 곳(엡실론의 위치, 모멘텀 버퍼 안의 학습률, Nadam 의 모멘텀 스케줄)은 이 함수들의
키워드 옵션으로 표현한다. 같은 알고리즘을 두 번 쓰지 않는다.

Adam 의 다섯 줄은 책의 식 (1)–(5) 와 한 줄씩 대응한다::

    m     = ema(m, g, beta1)                 # (1) 1차 모멘트
    s     = ema(s, g * g, beta2)             # (2) 2차 모멘트
    m_hat = bias_correction(m, beta1, t)     # (3) 1차 모멘트 편향 보정
    s_hat = bias_correction(s, beta2, t)     # (4) 2차 모멘트 편향 보정
    update = lr * m_hat / (sqrt(s_hat) + eps)  # (5) 업데이트 (theta <- theta - update)

함수는 입력 배열을 바꾸지 않는다. ``tape`` 에 dict 를 넘기면 중간값(m, s, m_hat, s_hat, update,
lr_eff ...)을 그 dict 에 적어 준다. :class:`adamlearn.trace.Trace` 가 이것을 스텝마다 모은다.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

__all__ = [
    "AdagradState",
    "AdamState",
    "AdamaxState",
    "NAdamState",
    "RAdamState",
    "RMSpropState",
    "SGDState",
    "adagrad",
    "adagrad_init",
    "adam",
    "adam_init",
    "adamax",
    "adamax_init",
    "apply_weight_decay",
    "bias_correction",
    "ema",
    "nadam",
    "nadam_init",
    "radam",
    "radam_init",
    "rmsprop",
    "rmsprop_init",
    "sgd",
    "sgd_init",
]


# --------------------------------------------------------------------------- helpers
def ema(average, x, beta):
    """지수 이동 평균(EMA) 한 스텝: ``beta * average + (1 - beta) * x``."""
    return beta * average + (1 - beta) * x


def bias_correction(moment, beta, t):
    """편향 보정: ``moment / (1 - beta**t)``; t 가 커질수록 아무것도 하지 않는 것에 가까워진다."""
    return moment / (1 - beta**t)


def apply_weight_decay(param, grad, *, lr, weight_decay, decoupled, maximize):
    """그래디언트 전처리: maximize 부호, L2 규제(grad += wd*param) 또는 분리된 가중치 감쇠(param *= 1 - lr*wd)."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        if decoupled:
            param = param * (1 - lr * weight_decay)
        else:
            grad = grad + weight_decay * param
    return param, grad


def _record(tape, **values):
    if tape is not None:
        tape.update(values)


# --------------------------------------------------------------------------- SGD
class SGDState(NamedTuple):
    t: int
    buf: np.ndarray | None  # 모멘텀 버퍼 (momentum == 0 이면 None)


def sgd_init(param, momentum=0.0, lr_in_buffer=False):
    """SGD 상태. PyTorch 는 첫 스텝에 버퍼를 g 로 채우고(None 에서 시작), Keras 는 0 에서 시작한다."""
    buf = np.zeros_like(param) if (momentum != 0 and lr_in_buffer) else None
    return SGDState(0, buf)


def sgd(param, grad, state, *, lr=1e-3, momentum=0.0, dampening=0.0, nesterov=False,
        weight_decay=0.0, decoupled_weight_decay=False, maximize=False, lr_in_buffer=False,
        tape=None):
    r"""SGD 와 모멘텀(momentum).

    PyTorch (``lr_in_buffer=False``): :math:`b_t = \mu b_{t-1} + (1-\tau) g_t` (첫 스텝 :math:`b_1 = g_1`),
    :math:`\theta_t = \theta_{t-1} - \eta\, b_t` (네스테로프: :math:`\eta(g_t + \mu b_t)`).

    Keras (``lr_in_buffer=True``): 학습률이 버퍼 안에 있다. :math:`v_t = \mu v_{t-1} + \eta g_t`,
    :math:`\theta_t = \theta_{t-1} - v_t` (네스테로프: :math:`\eta g_t + \mu v_t`). 학습률이 일정하면
    두 형식은 같은 궤적을 만들고, 학습률이 바뀌면 달라진다.
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    buf = None
    if momentum == 0:
        update = lr * grad
    elif lr_in_buffer:
        buf = momentum * state.buf + lr * grad
        update = lr * grad + momentum * buf if nesterov else buf
    else:
        buf = grad if state.buf is None else momentum * state.buf + (1 - dampening) * grad
        update = lr * (grad + momentum * buf) if nesterov else lr * buf
    _record(tape, g=grad, buf=buf, update=update, lr_eff=np.full_like(param, lr))
    return param - update, SGDState(t, buf)


# --------------------------------------------------------------------------- Adagrad
class AdagradState(NamedTuple):
    t: int
    sum: np.ndarray  # 그래디언트 제곱의 누적합


def adagrad_init(param, initial_accumulator_value=0.0):
    """Adagrad 상태: 누적합을 initial_accumulator_value 로 채운다."""
    return AdagradState(0, np.full_like(param, initial_accumulator_value))


def adagrad(param, grad, state, *, lr=1e-2, lr_decay=0.0, eps=1e-10, weight_decay=0.0,
            decoupled_weight_decay=False, maximize=False, eps_inside_sqrt=False, tape=None):
    r"""Adagrad: :math:`G_t = G_{t-1} + g_t^2`, :math:`\theta_t = \theta_{t-1} - \eta_t\, g_t / (\sqrt{G_t} + \epsilon)`.

    :math:`\eta_t = \eta / (1 + (t-1)\,\text{lr\_decay})`. Keras 는 엡실론을 제곱근 안에 둔다
    (``eps_inside_sqrt=True``): :math:`g_t / \sqrt{G_t + \epsilon}`.
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    total = state.sum + grad * grad
    clr = lr / (1 + (t - 1) * lr_decay)
    denom = np.sqrt(total + eps) if eps_inside_sqrt else np.sqrt(total) + eps
    update = clr * grad / denom
    _record(tape, g=grad, sum=total, update=update, lr_eff=clr / denom)
    return param - update, AdagradState(t, total)


# --------------------------------------------------------------------------- RMSprop
class RMSpropState(NamedTuple):
    t: int
    s: np.ndarray  # 그래디언트 제곱의 EMA
    g_avg: np.ndarray | None  # centered 일 때 그래디언트의 EMA
    buf: np.ndarray | None  # momentum > 0 일 때 모멘텀 버퍼


def rmsprop_init(param, centered=False, momentum=0.0):
    """RMSprop 상태: 모두 0 에서 시작한다."""
    z = np.zeros_like(param)
    return RMSpropState(0, z, z.copy() if centered else None, z.copy() if momentum > 0 else None)


def rmsprop(param, grad, state, *, lr=1e-2, alpha=0.99, eps=1e-8, momentum=0.0, centered=False,
            weight_decay=0.0, decoupled_weight_decay=False, maximize=False,
            eps_inside_sqrt=False, lr_in_buffer=False, tape=None):
    r"""RMSProp: :math:`s_t = \alpha s_{t-1} + (1-\alpha) g_t^2`, :math:`\theta_t = \theta_{t-1} - \eta\, g_t/(\sqrt{s_t} + \epsilon)`.

    ``centered`` 면 :math:`s_t` 대신 분산 추정 :math:`s_t - \bar g_t^2` 를 쓴다. Keras 는 엡실론을
    제곱근 안에 두고(``eps_inside_sqrt``), 모멘텀 버퍼에 학습률을 곱한 증분을 쌓는다(``lr_in_buffer``).
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    s = ema(state.s, grad * grad, alpha)
    g_avg = ema(state.g_avg, grad, alpha) if centered else None
    var = s - g_avg * g_avg if centered else s
    denom = np.sqrt(var + eps) if eps_inside_sqrt else np.sqrt(var) + eps
    buf = None
    if momentum > 0:
        buf = momentum * state.buf + (lr * grad / denom if lr_in_buffer else grad / denom)
        update = buf if lr_in_buffer else lr * buf
    else:
        update = lr * grad / denom
    _record(tape, g=grad, s=s, g_avg=g_avg, update=update, lr_eff=lr / denom)
    return param - update, RMSpropState(t, s, g_avg, buf)


# --------------------------------------------------------------------------- Adam
class AdamState(NamedTuple):
    t: int
    m: np.ndarray  # 1차 모멘트 (그래디언트의 EMA)
    s: np.ndarray  # 2차 모멘트 (그래디언트 제곱의 EMA)
    s_max: np.ndarray | None  # amsgrad 일 때 지금까지 s 의 최댓값


def adam_init(param, amsgrad=False):
    """Adam 상태: t = 0, m_0 = s_0 = 0."""
    z = np.zeros_like(param)
    return AdamState(0, z, z.copy(), z.copy() if amsgrad else None)


def adam(param, grad, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
         decoupled_weight_decay=False, amsgrad=False, maximize=False, epsilon_hat=False,
         tape=None):
    r"""Adam 한 스텝 (Kingma & Ba, 2015, Algorithm 1).

    .. math::
        \begin{aligned}
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t                    && (1)\\
        s_t &= \beta_2 s_{t-1} + (1-\beta_2)\, g_t \odot g_t          && (2)\\
        \hat m_t &= m_t / (1-\beta_1^t)                               && (3)\\
        \hat s_t &= s_t / (1-\beta_2^t)                               && (4)\\
        \theta_t &= \theta_{t-1} - \eta\, \hat m_t / (\sqrt{\hat s_t} + \epsilon) && (5)
        \end{aligned}

    ``epsilon_hat=True`` 는 Keras(와 논문 2절 끝)의 :math:`\hat\epsilon` 배치다. 엡실론을 보정 전
    :math:`\sqrt{s_t}` 에 더하므로, 식 (5) 의 :math:`\epsilon` 을
    :math:`\epsilon_t = \hat\epsilon / \sqrt{1-\beta_2^t}` 로 바꾼 것과 같다.
    ``amsgrad`` 는 (4) 에 :math:`\max_{\tau\le t} s_\tau` 를 쓴다 (Reddi et al., 2018).
    ``decoupled_weight_decay`` 는 AdamW (Loshchilov & Hutter, 2019).
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    m = ema(state.m, grad, beta1)  # (1)
    s = ema(state.s, grad * grad, beta2)  # (2)
    s_max = np.maximum(state.s_max, s) if amsgrad else None
    m_hat = bias_correction(m, beta1, t)  # (3)
    s_hat = bias_correction(s_max if amsgrad else s, beta2, t)  # (4)
    eps_t = eps / math.sqrt(1 - beta2**t) if epsilon_hat else eps
    denom = np.sqrt(s_hat) + eps_t
    update = lr * m_hat / denom  # (5)
    _record(tape, g=grad, m=m, s=s, m_hat=m_hat, s_hat=s_hat, update=update, lr_eff=lr / denom)
    if amsgrad:
        _record(tape, s_max=s_max)  # 보정 전 최댓값 max_{τ≤t} s_τ (s_hat 은 이것을 1-β2^t 로 나눈 값)
    return param - update, AdamState(t, m, s, s_max)


# --------------------------------------------------------------------------- Adamax
class AdamaxState(NamedTuple):
    t: int
    m: np.ndarray  # 1차 모멘트
    u: np.ndarray  # 무한 노름: 지수 가중 최댓값


def adamax_init(param):
    """Adamax 상태: m_0 = u_0 = 0."""
    z = np.zeros_like(param)
    return AdamaxState(0, z, z.copy())


def adamax(param, grad, state, *, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
           decoupled_weight_decay=False, maximize=False, eps_inside_max=True, tape=None):
    r"""Adamax (Kingma & Ba, 2015, 7.1절): :math:`u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon)`,
    :math:`\theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\, m_t / u_t`.

    PyTorch 는 엡실론을 max 안에 두고(``eps_inside_max=True``), Keras 는
    :math:`u_t = \max(\beta_2 u_{t-1}, |g_t|)` 로 두고 분모에서 :math:`u_t + \epsilon` 을 쓴다.
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    m = ema(state.m, grad, beta1)
    if eps_inside_max:
        u = np.maximum(beta2 * state.u, np.abs(grad) + eps)
        denom = u
    else:
        u = np.maximum(beta2 * state.u, np.abs(grad))
        denom = u + eps
    clr = lr / (1 - beta1**t)
    update = clr * m / denom
    _record(tape, g=grad, m=m, u=u, update=update, lr_eff=clr / denom)
    return param - update, AdamaxState(t, m, u)


# --------------------------------------------------------------------------- NAdam
class NAdamState(NamedTuple):
    t: int
    m: np.ndarray
    s: np.ndarray
    mu_product: float  # prod_{i<=t} mu_i


def nadam_init(param):
    """NAdam 상태: m_0 = s_0 = 0, 모멘텀 곱 = 1."""
    z = np.zeros_like(param)
    return NAdamState(0, z, z.copy(), 1.0)


def nadam(param, grad, state, *, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=4e-3,
          weight_decay=0.0, decoupled_weight_decay=False, maximize=False, tape=None):
    r"""NAdam (Dozat, 2016): 네스테로프 모멘텀을 쓰는 Adam.

    .. math::
        \mu_t = \beta_1\big(1 - \tfrac12\, 0.96^{t\psi}\big),\quad
        \bar m_t = \frac{\mu_{t+1} m_t}{1-\prod_{i\le t+1}\mu_i} + \frac{(1-\mu_t)\, g_t}{1-\prod_{i\le t}\mu_i},\quad
        \theta_t = \theta_{t-1} - \eta\, \bar m_t / (\sqrt{\hat s_t} + \epsilon)

    :math:`\psi` 는 ``momentum_decay`` 다. PyTorch 의 기본값은 0.004 이고, Keras 의 ``Nadam`` 은
    :math:`0.96^{t}` 을 쓰므로 :math:`\psi = 1` 과 같다.
    """
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
    mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
    mu_product = state.mu_product * mu
    m = ema(state.m, grad, beta1)
    s = ema(state.s, grad * grad, beta2)
    s_hat = bias_correction(s, beta2, t)
    m_bar = mu_next * m / (1 - mu_product * mu_next) + (1 - mu) * grad / (1 - mu_product)
    denom = np.sqrt(s_hat) + eps
    update = lr * m_bar / denom
    _record(tape, g=grad, m=m, s=s, m_bar=m_bar, s_hat=s_hat, update=update, lr_eff=lr / denom)
    return param - update, NAdamState(t, m, s, mu_product)


# --------------------------------------------------------------------------- RAdam
class RAdamState(NamedTuple):
    t: int
    m: np.ndarray
    s: np.ndarray


def radam_init(param):
    """RAdam 상태: m_0 = s_0 = 0."""
    z = np.zeros_like(param)
    return RAdamState(0, z, z.copy())


def radam(param, grad, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
          decoupled_weight_decay=False, maximize=False, rho_threshold=5.0, tape=None):
    r"""RAdam (Liu et al., 2020): 적응 학습률의 분산이 정의되지 않는 초기(:math:`\rho_t \le 5`)에는 모멘텀 SGD 로 움직인다.

    .. math::
        \rho_\infty = \frac{2}{1-\beta_2} - 1,\quad
        \rho_t = \rho_\infty - \frac{2t\beta_2^t}{1-\beta_2^t},\quad
        r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}

    :math:`\rho_t > 5` 이면 :math:`\theta_t = \theta_{t-1} - \eta\, r_t\, \hat m_t / (\sqrt{\hat s_t} + \epsilon/\sqrt{1-\beta_2^t})`,
    아니면 :math:`\theta_t = \theta_{t-1} - \eta\, \hat m_t`. (PyTorch 처럼 엡실론은 보정 전 :math:`\sqrt{s_t}` 에 더한다.)

    ``rho_threshold`` 는 정류를 켜는 문턱이다. PyTorch 는 :math:`\rho_t > 5` (기본값), 논문의 Algorithm 2 는
    :math:`\rho_t > 4` 다. :math:`r_t` 는 :math:`\rho_t > 4` 에서 정의되므로 4 보다 작은 문턱은 받지 않는다.
    """
    if not rho_threshold >= 4:
        raise ValueError(f"invalid rho_threshold={rho_threshold!r}: must be >= 4 (r_t needs rho_t > 4)")
    param, grad = apply_weight_decay(param, grad, lr=lr, weight_decay=weight_decay,
                                     decoupled=decoupled_weight_decay, maximize=maximize)
    t = state.t + 1
    m = ema(state.m, grad, beta1)
    s = ema(state.s, grad * grad, beta2)
    m_hat = bias_correction(m, beta1, t)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
    if rho_t > rho_threshold:
        rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        lr_eff = lr * rect / (np.sqrt(bias_correction(s, beta2, t)) + eps / math.sqrt(1 - beta2**t))
    else:
        lr_eff = np.full_like(param, lr)
    update = lr_eff * m_hat
    _record(tape, g=grad, m=m, s=s, m_hat=m_hat, rho_t=rho_t, update=update, lr_eff=lr_eff)
    return param - update, RAdamState(t, m, s)


# --------------------------------------------------------------------------- Adam 이후
# Adafactor, Lion, LAMB, Muon, Schedule-Free AdamW: 알고리즘마다 모듈 하나(상태, 순수 함수, 두 형식의 껍데기)에
# 있고, 순수 함수와 상태는 여기서도 내보낸다. 모듈 끝에서 가져오는 까닭: 그 모듈들이 이 모듈의 ema, bias_correction,
# apply_weight_decay, adam 을 쓴다.
from ._adafactor import AdafactorState, adafactor, adafactor_init  # noqa: E402
from ._lamb import LambState, lamb, lamb_init  # noqa: E402
from ._lion import LionState, lion, lion_init  # noqa: E402
from ._muon import MuonState, adjust_lr, muon, muon_init, newton_schulz, round_bfloat16  # noqa: E402
from ._schedulefree import ScheduleFreeState, schedulefree_adamw, schedulefree_adamw_init, schedulefree_x  # noqa: E402

__all__ += [
    "AdafactorState",
    "LambState",
    "LionState",
    "MuonState",
    "ScheduleFreeState",
    "adafactor",
    "adafactor_init",
    "adjust_lr",
    "lamb",
    "lamb_init",
    "lion",
    "lion_init",
    "muon",
    "muon_init",
    "newton_schulz",
    "round_bfloat16",
    "schedulefree_adamw",
    "schedulefree_adamw_init",
    "schedulefree_x",
]
