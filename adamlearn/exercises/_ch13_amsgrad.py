"""13장 (AMSGrad)의 연습문제 확인 함수."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .. import functional as F
from ..objectives import ReddiProblem
from . import Feedback, Require, _as_array, _check_steps, _close, _has_ellipsis, _kind, _not_number_hint, _reference_rows

__all__ = ["check_amsgrad_steps", "check_reddi_beta2"]

#: 13장의 스텝 문제가 아는 이름 (F.adam 의 tape 이름과 같다)
_AMSGRAD_KEYS = ("m", "s", "s_max", "m_hat", "s_hat", "update")

_AMSGRAD_HINTS = {
    "plain_adam": "보통 Adam의 값(지금의 s_t를 그대로 쓴 값)과 같다: AMSGrad는 지금까지의 최댓값 max(s_max, s_t)를 쓴다.",
    "corrected_max": ("보정한 ŝ_τ의 최댓값을 잡은 값(optax 방식)과 같다: torch.optim.Adam(amsgrad=True)는 보정 전 s_τ의 "
                      "최댓값을 잡고, 그다음에 1-β2^t로 나눈다."),
    "no_bias_correction": "편향 보정을 뺀 값(논문의 Algorithm 2)과 같다: 이 문제는 torch 형식, 즉 m̂_t와 ŝ_t를 보정하는 AMSGrad를 묻는다.",
}


def _amsgrad_mistake(grads, theta0, lr, b1, b2, eps, mistake):
    """흔한 실수 하나를 저지른 AMSGrad 손계산. 정답은 :func:`_reference_rows` 가 F.adam(amsgrad=True) 으로 만든다."""
    theta = np.asarray(theta0, dtype=float)
    m = s = s_max = np.zeros_like(theta)
    rows = []
    for t, g in enumerate(grads, start=1):
        g = np.asarray(g, dtype=float)
        m, s = F.ema(m, g, b1), F.ema(s, g * g, b2)
        if mistake == "plain_adam":
            s_max = s
            m_hat, s_hat = F.bias_correction(m, b1, t), F.bias_correction(s, b2, t)
        elif mistake == "corrected_max":
            s_max = np.maximum(s_max, F.bias_correction(s, b2, t))
            m_hat, s_hat = F.bias_correction(m, b1, t), s_max
        else:  # no_bias_correction: 논문의 AMSGrad
            s_max = np.maximum(s_max, s)
            m_hat, s_hat = m, s_max
        update = lr * m_hat / (np.sqrt(s_hat) + eps)
        theta = theta - update
        rows.append({"m": m, "s": s, "s_max": s_max, "m_hat": m_hat, "s_hat": s_hat, "update": update, "theta": theta})
    return rows


def _amsgrad_hints(answer, reference, variants) -> list[str]:
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
    return [f"힌트: {_AMSGRAD_HINTS[name]}" for name in found]


def check_amsgrad_steps(answer: Sequence[Mapping[str, object]], *, grads, lr, betas=(0.9, 0.999), eps=0.0,
                        theta0=0.0, require: Require = ("s", "s_max", ("theta", "update"))) -> Feedback:
    """torch 형식 AMSGrad (``torch.optim.Adam(amsgrad=True)``) 를 손으로 몇 스텝 계산한 답을 확인한다.

    Args:
        answer: 스텝마다 dict 하나를 담은 list. 이름은 ``m, s, s_max, m_hat, s_hat, update, theta``.
            ``s_max`` 는 보정 전 최댓값 :math:`\\max_{\\tau\\le t} s_\\tau`, ``s_hat`` 은 그것을 :math:`1-\\beta_2^t` 로 나눈 값.
        grads, lr, betas, eps, theta0: 문제의 그래디언트와 하이퍼파라미터. 상자 사영은 하지 않는다(문제가 사영이 일어나지
            않게 고른다).
        require: 스텝마다 꼭 있어야 하는 이름. 기본값은 13장의 연습문제가 묻는 s_t, s_max 와 θ_t(또는 업데이트).

    흔한 실수 세 가지(최댓값 없이 보통 Adam, 보정한 ŝ 의 최댓값, 편향 보정을 뺀 논문식)는 힌트로 짚는다.
    """
    b1, b2 = betas
    reference = _reference_rows(F.adam, lambda p: F.adam_init(p, amsgrad=True), grads, theta0, _AMSGRAD_KEYS,
                                lr=lr, beta1=b1, beta2=b2, eps=eps, amsgrad=True)
    with np.errstate(all="ignore"):  # 실수를 흉내 낸 계산의 0 나누기 경고는 학생에게 보일 일이 아니다
        variants = {name: _amsgrad_mistake(grads, theta0, lr, b1, b2, eps, name) for name in _AMSGRAD_HINTS}
    # _check_steps 의 힌트 표는 6–7장의 Adam 실수용이다. 13장의 실수는 아래에서 따로 짚는다.
    feedback = _check_steps(answer, reference, {}, require=require, checker="check_amsgrad_steps")
    if not feedback.passed:
        feedback.lines += _amsgrad_hints(answer, reference, variants)
    return feedback


# --------------------------------------------------------------------------- β2 격자에서 하나를 고르는 답
def _as_number(x) -> float | None:
    if isinstance(x, (bool, np.bool_)):
        return None
    arr = _as_array(x)
    if arr is None or arr.size != 1:
        return None
    return float(arr.ravel()[0])


def check_reddi_beta2(answer, *, grid: Sequence[float], C=1010.0, period=101, small=10.0, beta1=0.9,
                      eps=0.0) -> Feedback:
    """Reddi 문제에서 정상 상태의 Adam 이 최적해 x = -1 쪽으로 움직이는 가장 작은 β2 (``grid`` 안에서) 를 확인한다.

    기준은 :meth:`adamlearn.ReddiProblem.adam_period_drift` 의 부호다: 한 주기의 순이동이 음수면 -1 쪽이다.
    ``answer`` 는 격자의 값 하나. 유한한 스텝의 x_T 로 판단해 한 칸 작은 값을 고르는 실수와 1-β2 를 적는 실수를 짚는다.
    """
    problem = ReddiProblem(C=C, period=period, small=small)
    grid = sorted(float(b) for b in grid)
    drift = {b: problem.adam_period_drift(beta1, b, eps) for b in grid}
    toward_optimum = [b for b in grid if drift[b] < 0]
    if not toward_optimum:
        raise ValueError(f"check_reddi_beta2: no beta2 in grid={grid} moves Adam toward x = -1")
    expected = toward_optimum[0]
    shown = ", ".join(f"{b:g}" for b in grid)
    form = f"answer는 격자 ({shown}) 의 β2 값 하나(수)여야 한다"
    if _has_ellipsis(answer):
        return Feedback(False, ["아직 채우지 않은 값(...)이 있다: answer 전체.", f"{form}."])
    value = _as_number(answer)
    if value is None:
        lines = [f"{form} (지금: {_kind(answer)}).{_not_number_hint(answer)}"]
        if isinstance(answer, (list, tuple, np.ndarray, Mapping)):
            lines.append("조건을 만족하는 β2를 모두 적지 말고 그중 가장 작은 값 하나만 넣어라.")
        return Feedback(False, lines)
    if not math.isfinite(value):
        return Feedback(False, [f"{form} (받은 값에 NaN이나 무한대가 있다)."])
    match = next((b for b in grid if math.isclose(value, b, rel_tol=1e-6)), None)
    if match is None:
        lines = [f"격자에 없는 값이다 (받은 값 {value:g}). {form}."]
        if any(math.isclose(1 - value, b, rel_tol=1e-6) for b in grid):
            lines.append("힌트: 1-β2를 적은 것 같다. β2 자체를 넣어라.")
        return Feedback(False, lines)
    if match == expected:
        return Feedback(True, [f"β2 = {match:g}: 맞다. 이보다 작은 격자의 β2에서는 정상 상태의 한 주기 순이동이 +1 쪽이다."])
    if drift[match] >= 0:
        line = f"β2 = {match:g}에서는 정상 상태의 한 주기 순이동이 +1 쪽이다: Adam은 아직 틀린 끝으로 간다."
        lines = [line]
        if grid.index(match) == grid.index(expected) - 1:
            lines.append("힌트: 유한한 스텝 뒤의 x_T로 판단했다면, s_t가 정상 상태에 이르기 전의 초기 구간에 속은 것이다. "
                         "ReddiProblem.adam_period_drift로 정상 상태의 한 주기 순이동 부호를 보라.")
        return Feedback(False, lines)
    return Feedback(False, [f"β2 = {match:g}에서도 -1 쪽으로 가지만, 격자의 더 작은 β2에서 이미 그렇다. 가장 작은 값을 찾아라."])
