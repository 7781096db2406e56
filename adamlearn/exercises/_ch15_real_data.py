"""15장 (진짜 데이터에서)의 연습문제 확인 함수."""

from __future__ import annotations

import math

from . import Feedback, Require, _check_named, _close

__all__ = ["check_batch_noise_ratio", "check_ema_noise"]

#: 배치 크기 비의 측정값을 받아 주는 상대 오차. 정답 셀은 표본 4000 개씩으로 E|ξ|² 를 재는데, 로지스틱 회귀의
#: 잡음 제곱 노름은 표본마다 변동 계수가 1 남짓이라 두 평균의 비는 표준오차가 약 2–3 % 다. 15 % 는 그 다섯 배 이상이고,
#: 흔한 실수(표준편차의 비 2, 배치 크기를 거꾸로 넣은 비 1/4)와는 충분히 떨어져 있다.
BATCH_RATIO_RTOL = 0.15


def check_ema_noise(answer, *, beta, require: Require = ("ratio", "n_eff")) -> Feedback:
    """독립 잡음에 대한 EMA 의 분산 비 (1-β)/(1+β) 와 유효 표본 수 (1+β)/(1-β) 를 확인한다.

    답은 ``{"ratio": 분산 비, "n_eff": 유효 표본 수}`` 이다. 흔한 실수(표준편차 비, 유효 창 1/(1-β))는 힌트로 짚는다.
    """
    beta = float(beta)
    if not 0 <= beta < 1:
        raise ValueError(f"invalid beta={beta!r}: the check needs 0 <= beta < 1")
    ratio = (1 - beta) / (1 + beta)
    expected = {"ratio": ratio, "n_eff": 1 / ratio}
    labels = {"ratio": "분산 비 Var[m_t]/Var[g_t]", "n_eff": "유효 표본 수"}

    def hint(key, value):
        if key == "ratio" and _close(value, math.sqrt(ratio)):
            return "표준편차의 비다. 문제는 분산의 비를 묻는다: 표준편차 비를 제곱하라."
        if key == "ratio" and _close(value, 1 - beta):
            return "1-β는 가중치 하나의 크기다. 분산은 모든 가중치 제곱의 합 (1-β)²Σβ^(2k)에 비례한다."
        if key == "n_eff" and _close(value, 1 / (1 - beta)):
            return "1/(1-β)는 3장의 유효 창(가중치 합으로 잰 기억의 길이)이다. 유효 표본 수는 분산 비의 역수다."
        return None

    return _check_named(answer, expected, require=require, label=labels.__getitem__, hint=hint, checker="check_ema_noise")


def check_batch_noise_ratio(answer, *, small, large, require: Require = ("ratio",)) -> Feedback:
    """복원 추출한 미니배치 잡음의 분산 비 E|ξ_small|²/E|ξ_large|² (이론값 large/small) 의 측정값을 확인한다.

    측정값이므로 :data:`BATCH_RATIO_RTOL` 의 상대 오차 안이면 맞다고 본다.
    """
    small, large = int(small), int(large)
    if small < 1 or large < 1:
        raise ValueError(f"invalid batch sizes small={small!r}, large={large!r}: both must be >= 1")
    theory = large / small
    if not isinstance(answer, dict) or "ratio" not in answer:
        return _check_named(answer, {"ratio": theory}, require=require, label=lambda key: "분산 비", hint=lambda k, v: None,
                            checker="check_batch_noise_ratio")
    value = answer["ratio"]
    lines = []
    try:
        v = float(value)
    except (TypeError, ValueError):
        return _check_named(answer, {"ratio": theory}, require=require, label=lambda key: "분산 비",
                            hint=lambda k, v: None, checker="check_batch_noise_ratio")
    if not math.isfinite(v):
        return Feedback(False, [f"분산 비가 유한한 수가 아니다: {v!r}."])
    if abs(v - theory) <= BATCH_RATIO_RTOL * theory:
        return Feedback(True, [f"측정한 분산 비 {v:.3g}는 이론값과 {BATCH_RATIO_RTOL:.0%} 안에서 맞는다."])
    if abs(v - math.sqrt(theory)) <= BATCH_RATIO_RTOL * math.sqrt(theory):
        lines.append("표준편차의 비와 가깝다: 문제는 분산(제곱 노름의 평균)의 비를 묻는다.")
    elif abs(v - 1 / theory) <= BATCH_RATIO_RTOL / theory:
        lines.append("비를 거꾸로 구했다: 작은 배치의 잡음이 분자다.")
    else:
        lines.append(f"분산 비 {v:.3g}는 복원 추출의 이론과 맞지 않는다. 같은 θ에서 두 배치 크기의 잡음을 쟀는지 확인하라.")
    return Feedback(False, lines)
