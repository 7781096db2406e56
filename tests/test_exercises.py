"""adamlearn.exercises 의 확인 함수: 정답은 통과하고, 흔한 오답은 알맞은 한국어 설명과 함께 실패한다.

정답은 손계산을 그대로 적은 식으로 만든다 (adamlearn 을 부르지 않는다). 확인 함수는 정답 값을 출력하지 않는다.
"""

import math

import numpy as np
import pytest

import adamlearn
from adamlearn import functional as F
from adamlearn.exercises import (
    check_adam_steps,
    check_adam_variant,
    check_correction_horizon,
    check_keras_adam_first_step,
    check_rmsprop_steps,
    check_weight_decay_first_step,
)

# 연습문제 7.1: g = 2, -1, lr = 0.1, eps = 0
G71 = [2.0, -1.0]


def hand_adam(grads, lr, b1=0.9, b2=0.999, eps=0.0, correct=True, t_offset=0, sign=-1):
    m = s = 0.0
    theta = 0.0
    rows = []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        if correct:
            m_hat, s_hat = m / (1 - b1 ** (t + t_offset)), s / (1 - b2 ** (t + t_offset))
        else:
            m_hat, s_hat = m, s
        update = lr * m_hat / (math.sqrt(s_hat) + eps)
        theta += sign * update
        rows.append({"m": m, "s": s, "m_hat": m_hat, "s_hat": s_hat, "update": update, "theta": theta})
    return rows


def test_adam_steps_reference_passes():
    fb = check_adam_steps(hand_adam(G71, 0.1), grads=G71, lr=0.1, eps=0.0)
    assert fb and "맞다" in str(fb)


def test_adam_steps_vector_answer_passes():
    """연습문제 6.1: 파라미터가 벡터."""
    grads = [np.array([1.0, -2.0]), np.array([-1.0, 0.5])]
    x = np.zeros(2)
    opt, tr = adamlearn.Adam([x], lr=0.1, eps=1e-8), adamlearn.Trace()
    answer = []
    for g in grads:
        opt.step([g], trace=tr)
        answer.append({"m": tr["m"][-1], "s_hat": tr["s_hat"][-1], "theta": x.copy()})
    assert check_adam_steps(answer, grads=grads, lr=0.1, eps=1e-8)


@pytest.mark.parametrize(("wrong", "message"), [
    (hand_adam(G71, 0.1, correct=False), "편향 보정을 빠뜨린"),
    (hand_adam(G71, 0.1, t_offset=1), "t 는 1 부터"),
    (hand_adam(G71, 0.1, sign=+1), "부호가 반대"),
])
def test_adam_steps_typical_mistakes_get_the_right_hint(wrong, message):
    fb = check_adam_steps(wrong, grads=G71, lr=0.1, eps=0.0)
    assert not fb
    assert message in str(fb)
    assert "스텝" in str(fb) and "틀렸다" in str(fb)


def test_adam_steps_does_not_reveal_the_expected_value():
    right = hand_adam(G71, 0.1)
    wrong = [dict(r, m_hat=r["m_hat"] * 1.5) for r in right]
    text = str(check_adam_steps(wrong, grads=G71, lr=0.1, eps=0.0))
    # 스텝 2 의 m_hat = (0.9*0.2 - 0.1)/0.19 = 0.421053 은 정수가 아니라 본문에 우연히 나올 수 없다.
    expected = right[1]["m_hat"]
    assert not float(expected).is_integer()
    assert f"{expected:.6g}" not in text and f"{expected:.4f}" not in text
    assert "스텝 1 의 보정한 1차 모멘트" in text and "기대보다 크다" in text


def test_adam_steps_wrong_length_and_unknown_name():
    assert "2 개의 답" in str(check_adam_steps([{"m": 0.2}], grads=G71, lr=0.1))
    assert "모르는 이름" in str(check_adam_steps([{"mm": 0.2}, {}], grads=G71, lr=0.1))


def test_rmsprop_steps():
    grads = [np.array([3.0, -0.01]), np.array([1.0, 0.02])]
    lr, alpha, eps = 0.01, 0.99, 1e-8
    s, rows, wrong = 0.0, [], []
    for g in grads:
        s = alpha * s + (1 - alpha) * g**2
        rows.append({"s": s, "update": lr * g / (np.sqrt(s) + eps)})
        wrong.append({"s": s, "update": lr * g / np.sqrt(s + eps)})
    assert check_rmsprop_steps(rows, grads=grads, lr=lr, alpha=alpha, eps=eps)
    fb = check_rmsprop_steps(wrong, grads=grads, lr=lr, alpha=alpha, eps=eps)
    assert not fb and "제곱근 안에" in str(fb) and "스텝 2 의 업데이트" in str(fb)


def test_adam_variant_no_bias_correction():
    def student_right(param, grad, state, *, lr, beta1, beta2, eps):
        m, s = F.ema(state.m, grad, beta1), F.ema(state.s, grad * grad, beta2)
        return param - lr * m / (np.sqrt(s) + eps), F.AdamState(state.t + 1, m, s, None)

    def student_forgot(param, grad, state, *, lr, beta1, beta2, eps):
        return F.adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def student_crashes(param, grad, state, **kw):
        raise KeyError("beta")

    assert check_adam_variant(student_right)
    fb = check_adam_variant(student_forgot)
    assert not fb and "아직 편향 보정을 하고 있다" in str(fb)
    fb = check_adam_variant(student_crashes)
    assert not fb and "KeyError" in str(fb)


def test_correction_horizon():
    right = {b: math.ceil(math.log(0.01) / math.log(b)) for b in (0.95, 0.98, 0.995)}
    assert check_correction_horizon(right)
    too_early = {0.95: right[0.95] - 1}
    assert "더 큰 t" in str(check_correction_horizon(too_early))
    too_late = {0.98: right[0.98] + 5}
    assert "첫 t" in str(check_correction_horizon(too_late))


def test_weight_decay_first_step():
    theta0, g, lr, lam, eps = 2.0, 0.5, 0.1, 0.1, 1e-8
    g_l2 = g + lam * theta0
    l2 = theta0 - lr * g_l2 / (abs(g_l2) + eps)
    adamw = theta0 * (1 - lr * lam) - lr * g / (abs(g) + eps)
    kw = dict(theta0=theta0, grad=g, lr=lr, weight_decay=lam)
    assert check_weight_decay_first_step(l2=l2, adamw=adamw, **kw)
    fb = check_weight_decay_first_step(l2=adamw, adamw=l2, **kw)
    assert not fb and "바뀌었다" in str(fb)
    fb = check_weight_decay_first_step(l2=l2, adamw=theta0 * (1 - lam) - lr, **kw)
    assert not fb and "(1-ηλ)" in str(fb)


def test_keras_adam_first_step():
    lr, b1, b2, eps_hat, theta0, g = 0.01, 0.9, 0.999, 1e-7, 0.5, 2e-5
    alpha = lr * math.sqrt(1 - b2) / (1 - b1)
    m, v = (1 - b1) * g, (1 - b2) * g * g
    right = {"alpha": alpha, "m": m, "v": v, "theta": theta0 - alpha * m / (math.sqrt(v) + eps_hat)}
    kw = dict(theta0=theta0, grad=g, lr=lr, epsilon=eps_hat)
    assert check_keras_adam_first_step(right, **kw)
    fb = check_keras_adam_first_step(dict(right, theta=theta0 - lr * g / (abs(g) + eps_hat)), **kw)
    assert not fb and "PyTorch 식" in str(fb)
