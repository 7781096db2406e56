"""15장 (진짜 데이터에서): EMA 가 독립 잡음을 줄이는 비와 연습문제 확인 함수."""

import math

import numpy as np
import pytest

from adamlearn import functional as F
from adamlearn.exercises import check_batch_noise_ratio, check_ema_noise


@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_ema_of_independent_noise_has_variance_ratio_one_minus_beta_over_one_plus_beta(beta):
    # 독립 표준정규 잡음 2만 스텝 × 400 좌표에 F.ema 를 돌려 분산 비를 잰다. 좌표 400 개의 평균이라 측정의 상대
    # 표준오차는 β = 0.9 에서도 1 % 아래다 (유효 표본 ~ 18000/19 × 400): 5 % 는 그 다섯 배 이상의 여유다.
    rng = np.random.default_rng(0)
    m = np.zeros(400)
    sq = []
    for t in range(20_000):
        m = F.ema(m, rng.standard_normal(400), beta)
        if t >= 1000:
            sq.append(np.mean(m * m))
    assert np.mean(sq) == pytest.approx((1 - beta) / (1 + beta), rel=0.05)


def test_check_ema_noise_accepts_the_answer_and_names_the_common_slips():
    beta = 0.95
    assert check_ema_noise({"ratio": 0.05 / 1.95, "n_eff": 1.95 / 0.05}, beta=beta)
    slip = check_ema_noise({"ratio": math.sqrt(0.05 / 1.95), "n_eff": 20}, beta=beta)
    assert not slip
    text = str(slip)
    assert "표준편차" in text and "유효 창" in text


@pytest.mark.parametrize("answer", [..., None, "0.0256", [0.0256, 39], {"ratio": ...}, {"n_eff": 39}, {"ratio": float("nan")}])
def test_check_ema_noise_never_raises_on_a_malformed_answer(answer):
    fb = check_ema_noise(answer, beta=0.95)
    assert not fb and str(fb)


def test_check_ema_noise_rejects_an_invalid_beta():
    with pytest.raises(ValueError, match=r"beta=1\.0"):
        check_ema_noise({"ratio": 0.0, "n_eff": 1.0}, beta=1.0)


def test_check_batch_noise_ratio():
    assert check_batch_noise_ratio({"ratio": 3.8}, small=32, large=128)
    assert not check_batch_noise_ratio({"ratio": 2.0}, small=32, large=128)  # 표준편차의 비
    assert "표준편차" in str(check_batch_noise_ratio({"ratio": 2.0}, small=32, large=128))
    assert "거꾸로" in str(check_batch_noise_ratio({"ratio": 0.25}, small=32, large=128))
    for bad in (..., None, "4", {"ratio": ...}, {"ratio": float("inf")}, {"rate": 4}):
        fb = check_batch_noise_ratio(bad, small=32, large=128)
        assert not fb and str(fb)
    with pytest.raises(ValueError, match="small=0"):
        check_batch_noise_ratio({"ratio": 4}, small=0, large=128)
