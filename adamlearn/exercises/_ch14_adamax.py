"""14장 (AdaMax)의 연습문제 확인 함수."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .. import functional as F
from . import Feedback, Require, _as_array, _check_named, _check_steps, _close, _has_ellipsis, _reference_rows

__all__ = ["check_adamax_bound", "check_adamax_eps_first_step", "check_adamax_steps"]

#: 14장의 스텝 문제가 아는 이름 (F.adamax 의 tape 이름과 같다)
_ADAMAX_KEYS = ("m", "u", "update")

_ADAMAX_HINTS = {
    "no_decay": "u_t에 감쇠가 빠진 값(지금까지의 max |g_τ|)과 같다: u_t = max(β2·u_(t-1), |g_t|)로 옛 값에 β2를 곱한다.",
    "signed": "절댓값 없이 max(β2·u_(t-1), g_t)를 쓴 값과 같다: 음수 그래디언트도 크기 |g_t|로 들어간다.",
    "corrected_u": "u_t를 1-β2^t로 나눈 값과 같다: AdaMax는 u_t를 편향 보정하지 않는다 (m_t만 1-β1^t로 나눈다).",
    "no_bias_correction": "m_t의 편향 보정을 빠뜨린 값과 같다: 업데이트는 η/(1-β1^t)·m_t/u_t다.",
}


def _adamax_mistake(grads, theta0, lr, b1, b2, mistake):
    """흔한 실수 하나를 저지른 AdaMax 손계산 (ε = 0). 정답은 :func:`_reference_rows` 가 F.adamax 로 만든다."""
    theta = np.asarray(theta0, dtype=float)
    m = u = np.zeros_like(theta)
    rows = []
    for t, g in enumerate(grads, start=1):
        g = np.asarray(g, dtype=float)
        m = F.ema(m, g, b1)
        if mistake == "no_decay":
            u = np.maximum(u, np.abs(g))
        elif mistake == "signed":
            u = np.maximum(b2 * u, g)
        else:
            u = np.maximum(b2 * u, np.abs(g))
        denom = F.bias_correction(u, b2, t) if mistake == "corrected_u" else u
        m_hat = m if mistake == "no_bias_correction" else F.bias_correction(m, b1, t)
        update = lr * m_hat / denom
        theta = theta - update
        rows.append({"m": m, "u": u, "update": update, "theta": theta})
    return rows


def _mistake_hints(answer, reference, variants) -> list[str]:
    """틀린 값이 흔한 실수의 값과 맞아떨어지면 그 힌트들 (중복 없이)."""
    if not isinstance(answer, (list, tuple)):
        return []
    found = []
    for t, given in enumerate(answer[: len(reference)]):
        if not isinstance(given, Mapping):
            continue
        for key, value in given.items():
            if not isinstance(key, str) or key not in reference[t] or _has_ellipsis(value):
                continue
            arr = _as_array(value)
            if arr is None or not np.all(np.isfinite(arr)) or _close(arr, reference[t][key]):
                continue
            for name, rows in variants.items():
                if _close(arr, rows[t][key]) and name not in found:
                    found.append(name)
    return [f"힌트: {_ADAMAX_HINTS[name]}" for name in found]


def check_adamax_steps(answer: Sequence[Mapping[str, object]], *, grads, lr, betas=(0.9, 0.999), eps=0.0,
                       theta0=0.0, require: Require = ("u", ("theta", "update"))) -> Feedback:
    """torch 형식 AdaMax (``torch.optim.Adamax``) 를 손으로 몇 스텝 계산한 답을 확인한다.

    Args:
        answer: 스텝마다 dict 하나를 담은 list. 이름은 ``m, u, update, theta``.
        grads, lr, betas, eps, theta0: 문제의 그래디언트와 하이퍼파라미터 (ε 은 torch 처럼 max 안).
        require: 스텝마다 꼭 있어야 하는 이름. 기본값은 14장의 연습문제가 묻는 u_t 와 θ_t(또는 업데이트).

    흔한 실수 네 가지(u 의 감쇠를 뺌, 절댓값을 뺌, u 를 편향 보정함, m 의 편향 보정을 뺌)는 힌트로 짚는다.
    """
    b1, b2 = betas
    reference = _reference_rows(F.adamax, F.adamax_init, grads, theta0, _ADAMAX_KEYS,
                                lr=lr, beta1=b1, beta2=b2, eps=eps)
    with np.errstate(all="ignore"):  # 실수를 흉내 낸 계산의 0 나누기 경고는 학생에게 보일 일이 아니다
        variants = {name: _adamax_mistake(grads, theta0, lr, b1, b2, name) for name in _ADAMAX_HINTS}
    # _check_steps 의 힌트 표는 6–7장의 Adam 실수용이다. 14장의 실수는 아래에서 따로 짚는다.
    feedback = _check_steps(answer, reference, {}, require=require, checker="check_adamax_steps")
    if not feedback.passed:
        feedback.lines += _mistake_hints(answer, reference, variants)
    return feedback


# --------------------------------------------------------------------------- 스텝 크기의 상한
def _step_bound(t, beta1, beta2):
    r"""AdaMax 의 스텝 크기 상한 :math:`A_t = \frac{1-\beta_1}{1-\beta_1^t}\sum_{k=0}^{t-1}(\beta_1/\beta_2)^k` (ε = 0, 학습률 단위).

    ``t=math.inf`` 이면 :math:`A_\infty = \beta_2(1-\beta_1)/(\beta_2-\beta_1)` (β1 < β2), β1 ≥ β2 이면 ``inf``.
    등호는 :math:`g_i \propto \beta_2^{i}` 일 때다 (14장).
    """
    rho = beta1 / beta2
    if math.isinf(t):
        return beta2 * (1 - beta1) / (beta2 - beta1) if rho < 1 else math.inf
    geometric = t if rho == 1 else (1 - rho**t) / (1 - rho)
    return (1 - beta1) / (1 - beta1**t) * geometric


def _adamax_by_sequence(t, beta1, beta2):
    """등호 열 g_i = β2^i 를 F.adamax (ε = 0, η = 1) 로 돌린 t 번째 스텝의 크기: 상한의 기준 값."""
    p, state = np.zeros(1), F.adamax_init(np.zeros(1))
    update = 0.0
    for i in range(1, t + 1):
        tape: dict = {}
        p, state = F.adamax(p, np.array([beta2**i]), state, lr=1.0, beta1=beta1, beta2=beta2, eps=0.0, tape=tape)
        update = float(abs(tape["update"][0]))
    return update


def check_adamax_bound(answer, *, beta1, beta2, t, require: Require = ("A_t", "A_inf")) -> Feedback:
    """AdaMax 의 스텝 크기 상한 (학습률 단위) 을 확인한다. 답은 ``{"A_t": 스텝 t 의 상한, "A_inf": 모든 t 의 상한}``.

    기준 값 ``A_t`` 는 등호 열을 :func:`adamlearn.functional.adamax` 로 돌려 얻는다. β1 ≥ β2 이면 ``A_inf`` 는 묻지 않는다.
    흔한 실수(편향 보정 1/(1-β1^t) 을 뺌, β1/β2 대신 β2/β1, 논문의 '≤ 1')는 힌트로 짚는다.
    """
    t = int(t)
    expected = {"A_t": _adamax_by_sequence(t, beta1, beta2)}
    labels = {"A_t": f"스텝 t = {t}의 상한 A_t", "A_inf": "모든 t에 대한 상한 A_∞"}
    if beta1 < beta2:
        expected["A_inf"] = _step_bound(math.inf, beta1, beta2)
    else:
        require = tuple(r for r in require if r != "A_inf")
    rho = beta1 / beta2
    no_correction = (1 - beta1) * ((1 - rho**t) / (1 - rho) if rho != 1 else t)
    inverted = {"A_t": _step_bound(t, beta1, 1 / beta2) if beta2 > 0 else math.nan,
                "A_inf": (1 - beta1) / (1 - beta1 * beta2)}

    def hint(key, value):
        if key == "A_t" and _close(value, no_correction) and not _close(value, expected["A_t"]):
            return "편향 보정 인자 1/(1-β1^t)를 빠뜨린 값과 같다: 업데이트는 m̂_t = m_t/(1-β1^t)를 쓴다."
        if key in inverted and _close(value, inverted[key]):
            return "β1/β2 대신 β1·β2를 쓴 값과 같다: |g_i| ≤ β2^(-(t-i))·u_t이므로 비는 β1/β2다."
        if _close(value, 1.0):
            return "논문의 주장 |Δ_t| ≤ α를 그대로 쓴 값이다. u_t는 옛 그래디언트를 β2^(t-i)만큼 줄여서 기억한다."
        return None

    return _check_named(answer, expected, require=require, label=labels.get, hint=hint, checker="check_adamax_bound")


# --------------------------------------------------------------------------- ε 의 자리
def check_adamax_eps_first_step(answer, *, grad, torch_eps=1e-8, keras_eps=1e-7,
                                require: Require = ("torch", "keras")) -> Feedback:
    """작은 그래디언트 ``grad`` 의 첫 스텝 크기 |Δ_1|/η 를 두 프레임워크의 기본 ε 으로 확인한다.

    답은 ``{"torch": ..., "keras": ...}``. torch 는 ε 을 max 안에(u_1 = |g_1| + ε), Keras 는 분모에(u_1 + ε) 둔다.
    기준 값은 :func:`adamlearn.functional.adamax` 의 두 옵션으로 계산한다.
    """
    g = np.array([float(grad)])
    p0 = np.zeros(1)
    tape_t: dict = {}
    tape_k: dict = {}
    F.adamax(p0, g, F.adamax_init(p0), lr=1.0, eps=torch_eps, eps_inside_max=True, tape=tape_t)
    F.adamax(p0, g, F.adamax_init(p0), lr=1.0, eps=keras_eps, eps_inside_max=False, tape=tape_k)
    expected = {"torch": float(abs(tape_t["update"][0])), "keras": float(abs(tape_k["update"][0]))}
    labels = {"torch": "torch.optim.Adamax의 |Δ_1|/η", "keras": "keras.optimizers.Adamax의 |Δ_1|/η"}

    def hint(key, value):
        other = "keras" if key == "torch" else "torch"
        if _close(value, expected[other]):
            return "두 프레임워크의 값이 바뀌었다: torch의 기본 ε은 1e-8, Keras는 1e-7이다."
        if _close(value, 1.0):
            return "ε을 무시한 값이다: 그래디언트가 ε과 비슷하게 작으면 ε이 분모를 키운다."
        if _close(value, abs(float(grad)) / torch_eps if key == "torch" else abs(float(grad)) / keras_eps):
            return "분모에 ε만 남긴 값이다: 분모는 |g_1| + ε이다."
        return None

    return _check_named(answer, expected, require=require, label=labels.get, hint=hint,
                        checker="check_adamax_eps_first_step")
