"""연습문제의 답을 확인하는 함수들. 무엇이 맞고 무엇이 틀렸는지 한국어로 말하되, 정답 값은 보여 주지 않는다.

각 함수는 :class:`Feedback` 을 돌려준다. 노트북에서는 그대로 출력되고, ``bool(feedback)`` 은 통과 여부다.
틀린 값에는 어느 스텝의 어느 값인지, 학생의 값, 그리고 흔한 실수와 맞아떨어지면 그 실수를 짚는 힌트를 준다.
기준 값은 :mod:`adamlearn.functional` 로 계산한다.

>>> from adamlearn.exercises import check_adam_steps
>>> fb = check_adam_steps([{"m": 0.1, "theta": -0.1}], grads=[1.0], lr=0.1)
>>> bool(fb)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import functional as F

__all__ = [
    "Feedback",
    "check_adam_steps",
    "check_adam_variant",
    "check_correction_horizon",
    "check_keras_adam_first_step",
    "check_rmsprop_steps",
    "check_weight_decay_first_step",
]

#: 이 상대 오차 안이면 맞다고 본다: 손계산을 float64 로 하면 1e-12 근처, 소수 6~7 자리로 옮겨 적어도 통과한다.
RTOL = 1e-6

NAMES = {
    "m": "1차 모멘트 m_t",
    "s": "2차 모멘트 s_t",
    "m_hat": "보정한 1차 모멘트 m̂_t",
    "s_hat": "보정한 2차 모멘트 ŝ_t",
    "update": "업데이트 크기 (θ_(t-1) - θ_t)",
    "theta": "파라미터 θ_t",
    "alpha": "α_1",
    "v": "v_1",
}


@dataclass
class Feedback:
    """확인 결과. ``passed`` 가 참이면 모두 맞았다. ``lines`` 는 한국어 설명."""

    passed: bool
    lines: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = "✅ 맞다." if self.passed else "❌ 아직 틀린 곳이 있다."
        return "\n".join([head, *("  - " + line for line in self.lines)])

    __repr__ = __str__


def _close(a, b, rtol=RTOL) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= rtol * np.maximum(np.abs(b), 1e-300) + 1e-15))


def _fmt(x) -> str:
    x = np.asarray(x, dtype=float)
    return np.array2string(x, precision=6) if x.ndim else f"{float(x):.6g}"


def _direction(got, expected) -> str:
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return f"모양이 {got.shape} 인데 {expected.shape} 이어야 한다"
    if np.any(np.sign(got) != np.sign(expected)):
        return "부호가 다른 성분이 있다"
    return "기대보다 크다" if np.sum(np.abs(got)) > np.sum(np.abs(expected)) else "기대보다 작다"


def _reference_rows(step, init, grads, theta0, keys, **hyper):
    """기준 값: adamlearn 의 함수 핵심 ``step`` 을 돌리며 ``tape`` 에 적힌 중간값과 θ_t 를 스텝마다 모은다."""
    # 파라미터는 그래디언트의 모양을 따른다 (문제가 θ_0 = 0 처럼 수 하나로 주어도).
    theta = np.array(np.broadcast_to(np.asarray(theta0, dtype=float), np.shape(grads[0])))
    state, rows = init(theta), []
    for g in grads:
        tape: dict = {}
        theta, state = step(theta, np.asarray(g, dtype=float), state, tape=tape, **hyper)
        rows.append({**{k: tape[k] for k in keys}, "theta": theta})
    return rows


def _adam_mistake(grads, theta0, lr, b1, b2, eps, mistake):
    """흔한 실수 하나(``mistake``)를 저지른 손계산. 정답은 :func:`_reference_rows` 가 F.adam 으로 만든다."""
    theta = np.asarray(theta0, dtype=float)
    m = s = np.zeros_like(theta)
    rows = []
    for t, g in enumerate(grads, start=1):
        g = np.asarray(g, dtype=float)
        if mistake == "swapped_beta":
            m, s = F.ema(m, g, 1 - b1), F.ema(s, g * g, 1 - b2)
        elif mistake == "abs_not_square":
            m, s = F.ema(m, g, b1), F.ema(s, np.abs(g), b2)
        else:
            m, s = F.ema(m, g, b1), F.ema(s, g * g, b2)
        if mistake == "no_bias_correction":
            m_hat, s_hat = m, s
        elif mistake == "t_from_zero":
            m_hat, s_hat = F.bias_correction(m, b1, t + 1), F.bias_correction(s, b2, t + 1)
        else:
            m_hat, s_hat = F.bias_correction(m, b1, t), F.bias_correction(s, b2, t)
        denom = np.sqrt(s_hat + eps) if mistake == "eps_inside_sqrt" else np.sqrt(s_hat) + eps
        update = lr * m_hat / denom
        theta = theta + update if mistake == "wrong_sign" else theta - update
        rows.append({"m": m, "s": s, "m_hat": m_hat, "s_hat": s_hat, "update": update, "theta": theta})
    return rows


MISTAKE_HINTS = {
    "no_bias_correction": "편향 보정을 빠뜨린 값과 같다: m̂_t = m_t/(1-β1^t), ŝ_t = s_t/(1-β2^t) 로 나누었는가?",
    "t_from_zero": "t 를 한 칸 밀려 센 값과 같다: 스텝 번호 t 는 1 부터 시작하고, 보정의 지수에 그 t 를 쓴다.",
    "swapped_beta": "β 와 1-β 를 바꿔 쓴 값과 같다: m_t = β1·m_(t-1) + (1-β1)·g_t 다.",
    "abs_not_square": "2차 모멘트에 g_t 의 제곱 대신 절댓값을 쓴 값과 같다.",
    "eps_inside_sqrt": "ε 을 제곱근 안에 넣은 값과 같다: 식 (5) 는 √ŝ_t + ε 이다 (ε 은 제곱근 밖).",
    "wrong_sign": "업데이트의 부호가 반대다: θ_t = θ_(t-1) - η·m̂_t/(√ŝ_t + ε) 로, 그래디언트의 반대쪽으로 간다.",
}


def _compare_steps(answer, reference, variants) -> Feedback:
    if len(answer) != len(reference):
        return Feedback(False, [f"스텝 {len(reference)} 개의 답이 필요한데 {len(answer)} 개를 받았다."])
    lines, ok = [], True
    for t, (given, expected) in enumerate(zip(answer, reference), start=1):
        unknown = sorted(set(given) - set(expected))
        if unknown:
            return Feedback(False, [f"스텝 {t}: 모르는 이름 {unknown}. 쓸 수 있는 이름: {sorted(expected)}"])
        for key, value in given.items():
            if _close(value, expected[key]):
                lines.append(f"스텝 {t} 의 {NAMES.get(key, key)}: 맞다.")
                continue
            ok = False
            hint = next((MISTAKE_HINTS[name] for name, rows in variants.items() if _close(value, rows[t - 1][key])),
                        None)
            line = f"스텝 {t} 의 {NAMES.get(key, key)}: 틀렸다 (받은 값 {_fmt(value)}, {_direction(value, expected[key])})."
            lines.append(line + (f" 힌트: {hint}" if hint else ""))
    if not any(given for given in answer):
        return Feedback(False, ["답에 값이 하나도 없다."])
    return Feedback(ok, lines)


def check_adam_steps(answer: Sequence[Mapping[str, object]], *, grads, lr, betas=(0.9, 0.999), eps=1e-8,
                     theta0=0.0) -> Feedback:
    """Adam 을 손으로 몇 스텝 계산한 답을 확인한다.

    Args:
        answer: 스텝마다 dict 하나. 이름은 ``m, s, m_hat, s_hat, update, theta`` 중 아무것이나 (모두 쓸 필요는 없다).
            값은 수 하나 또는 배열 (파라미터가 벡터일 때).
        grads: 스텝 1, 2, ... 의 그래디언트.
        lr, betas, eps, theta0: 문제의 하이퍼파라미터와 초기 파라미터.
    """
    b1, b2 = betas
    reference = _reference_rows(F.adam, F.adam_init, grads, theta0, ("m", "s", "m_hat", "s_hat", "update"),
                                lr=lr, beta1=b1, beta2=b2, eps=eps)
    variants = {name: _adam_mistake(grads, theta0, lr, b1, b2, eps, name) for name in MISTAKE_HINTS}
    return _compare_steps(list(answer), reference, variants)


def check_rmsprop_steps(answer: Sequence[Mapping[str, object]], *, grads, lr, alpha, eps) -> Feedback:
    """PyTorch 형식 RMSProp 을 손으로 계산한 답 (스텝마다 ``s`` 와 ``update``, ``theta``) 을 확인한다."""
    theta0 = 0.0
    reference = _reference_rows(F.rmsprop, F.rmsprop_init, grads, theta0, ("s", "update"), lr=lr, alpha=alpha, eps=eps)
    # 흔한 실수는 같은 함수 핵심의 옵션으로 흉내 낸다: 감쇠율을 1-α 로, ε 을 제곱근 안에.
    variants = {
        "swapped_beta": _reference_rows(F.rmsprop, F.rmsprop_init, grads, theta0, ("s", "update"),
                                        lr=lr, alpha=1 - alpha, eps=eps),
        "eps_inside_sqrt": _reference_rows(F.rmsprop, F.rmsprop_init, grads, theta0, ("s", "update"),
                                           lr=lr, alpha=alpha, eps=eps, eps_inside_sqrt=True),
    }
    return _compare_steps(list(answer), reference, variants)


def check_adam_variant(fn: Callable, variant: str = "no_bias_correction", steps: int = 100) -> Feedback:
    """학생이 고친 Adam 함수 ``fn(param, grad, state, *, lr, beta1, beta2, eps) -> (param, state)`` 를 확인한다.

    ``variant="no_bias_correction"``: 식 (3), (4) 를 뺀 Adam. 일정한 그래디언트 g = 1 에서 t 번째 스텝은
    η(1-β1^t)/√(1-β2^t) 이어야 한다 (ε 이 무시될 때).
    """
    if variant != "no_bias_correction":
        raise ValueError(f"unknown variant={variant!r}")
    lr, b1, b2 = 0.1, 0.9, 0.999
    param, state = np.zeros(1), F.adam_init(np.zeros(1))
    lines = []
    for t in range(1, steps + 1):
        try:
            new_param, state = fn(param, np.ones(1), state, lr=lr, beta1=b1, beta2=b2, eps=1e-12)
        except Exception as err:  # 학생 코드의 어떤 예외든 설명으로 바꾼다
            return Feedback(False, [f"스텝 {t} 에서 함수가 예외를 냈다: {type(err).__name__}: {err}"])
        size = abs(float(np.asarray(new_param).ravel()[0] - param[0]))
        expected = lr * (1 - b1**t) / math.sqrt(1 - b2**t)
        if not math.isclose(size, expected, rel_tol=1e-6):
            if math.isclose(size, lr, rel_tol=1e-6):
                lines.append(f"스텝 {t} 의 크기가 η 와 같다: 아직 편향 보정을 하고 있다 (m̂, ŝ 대신 m, s 를 써야 한다).")
            else:
                lines.append(f"스텝 {t} 의 크기 {size:.6g} 가 η(1-β1^t)/√(1-β2^t) 와 다르다 ({'크다' if size > expected else '작다'}).")
            return Feedback(False, lines)
        param = np.asarray(new_param, dtype=float)
    return Feedback(True, [f"일정한 그래디언트에서 {steps} 스텝 모두 η(1-β1^t)/√(1-β2^t) 만큼 움직였다."])


def check_correction_horizon(answer: Mapping[float, int]) -> Feedback:
    """β 마다 1-β^t > 0.99 가 처음 성립하는 t 를 확인한다. ``answer`` 는 {β: t}."""
    lines, ok = [], True
    for beta, t in answer.items():
        t = int(t)
        reached = 1 - beta**t > 0.99
        before = t == 1 or not 1 - beta ** (t - 1) > 0.99
        if reached and before:
            lines.append(f"β = {beta}: 맞다.")
        elif not reached:
            ok = False
            lines.append(f"β = {beta}: t = {t} 에서는 아직 1-β^t = {1 - beta**t:.6f} ≤ 0.99 다. 더 큰 t 가 필요하다.")
        else:
            ok = False
            lines.append(f"β = {beta}: t = {t} 에서 조건은 성립하지만 더 이른 스텝에서 이미 성립한다. 첫 t 를 찾아라.")
    return Feedback(ok and bool(answer), lines or ["답이 비어 있다."])


def check_weight_decay_first_step(*, l2, adamw, theta0, grad, lr, weight_decay, eps=1e-8) -> Feedback:
    """L2 규제 Adam 과 AdamW 의 첫 스텝 θ_1 을 확인한다 (torch 관례: AdamW 는 θ 를 (1-ηλ) 배 한다)."""
    p, _ = F.adam(np.array(theta0, float), np.array(grad, float), F.adam_init(np.array(theta0, float)),
                  lr=lr, eps=eps, weight_decay=weight_decay)
    q, _ = F.adam(np.array(theta0, float), np.array(grad, float), F.adam_init(np.array(theta0, float)),
                  lr=lr, eps=eps, weight_decay=weight_decay, decoupled_weight_decay=True)
    lines, ok = [], True
    for name, got, expected, swap in (("L2 규제 (Adam)", l2, p, q), ("AdamW", adamw, q, p)):
        if _close(got, expected):
            lines.append(f"{name} 의 θ_1: 맞다.")
        else:
            ok = False
            hint = " 힌트: 두 방식의 답이 바뀌었다." if _close(got, swap) else ""
            if name == "AdamW" and _close(got, theta0 * (1 - weight_decay) - lr * np.sign(grad)):
                hint = " 힌트: 감쇠는 θ(1-ηλ) 다 (torch 관례, λ 에 학습률을 곱한다)."
            lines.append(f"{name} 의 θ_1: 틀렸다 (받은 값 {_fmt(got)}, {_direction(got, expected)}).{hint}")
    return Feedback(ok, lines)


def check_keras_adam_first_step(answer: Mapping[str, float], *, theta0, grad, lr, beta_1=0.9, beta_2=0.999,
                                epsilon=1e-7) -> Feedback:
    """Keras Adam 의 첫 스텝 (``alpha``, ``m``, ``v``, ``theta``) 을 확인한다. ε 은 논문의 ε̂ 이다."""
    alpha = lr * math.sqrt(1 - beta_2) / (1 - beta_1)
    m, v = (1 - beta_1) * grad, (1 - beta_2) * grad * grad
    expected = {"alpha": alpha, "m": m, "v": v, "theta": theta0 - alpha * m / (math.sqrt(v) + epsilon)}
    torch_form = theta0 - lr * grad / (abs(grad) + epsilon)
    lines, ok = [], True
    for key, value in answer.items():
        if key not in expected:
            return Feedback(False, [f"모르는 이름 {key!r}. 쓸 수 있는 이름: {sorted(expected)}"])
        if _close(value, expected[key]):
            lines.append(f"{NAMES.get(key, key)}: 맞다.")
            continue
        ok = False
        hint = ""
        if key == "theta" and _close(value, torch_form):
            hint = " 힌트: PyTorch 식 (ε 을 보정 뒤에 더함) 으로 계산한 값이다. Keras 는 ε̂ 을 보정 전 √v 에 더한다."
        lines.append(f"{NAMES.get(key, key)}: 틀렸다 (받은 값 {_fmt(value)}, {_direction(value, expected[key])}).{hint}")
    return Feedback(ok and bool(answer), lines or ["답이 비어 있다."])
