"""adamlearn.exercises 의 확인 함수: 정답은 통과하고, 흔한 오답은 알맞은 한국어 설명과 함께 실패한다.

정답은 손계산을 그대로 적은 식으로 만든다 (adamlearn 을 부르지 않는다). 확인 함수는 정답 값을 출력하지 않는다.
어떤 꼴의 답(템플릿의 ``...``, list 대신 dict, None, 문자열, 모양이 다른 배열, 예외를 내는 함수 ...)에도 예외 없이
'어떤 꼴이어야 하는지'를 말하고, 문제가 묻는 값이 빠진 답은 통과시키지 않는다.
"""

import json
import math
import re
from pathlib import Path

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

BOOK = Path(__file__).resolve().parents[1] / "book"

# 연습문제 7.1: g = 2, -1, lr = 0.1, eps = 0
G71 = [2.0, -1.0]
# 연습문제 6.1: 벡터 파라미터
G61 = [np.array([1.0, -2.0]), np.array([-1.0, 0.5])]
# 연습문제 5.1: PyTorch 형식 RMSProp
G51 = [np.array([3.0, -0.01]), np.array([1.0, 0.02])]


def hand_adam(grads, lr, b1=0.9, b2=0.999, eps=0.0, correct=True, t_offset=0, sign=-1):
    m = s = theta = 0.0
    rows = []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        if correct:
            m_hat, s_hat = m / (1 - b1 ** (t + t_offset)), s / (1 - b2 ** (t + t_offset))
        else:
            m_hat, s_hat = m, s
        update = lr * m_hat / (np.sqrt(s_hat) + eps)
        theta = theta + sign * update
        rows.append({"m": m, "s": s, "m_hat": m_hat, "s_hat": s_hat, "update": update, "theta": theta})
    return rows


def hand_rmsprop(grads, lr, alpha, eps, eps_inside_sqrt=False):
    s, rows = 0.0, []
    for g in grads:
        s = alpha * s + (1 - alpha) * g**2
        rows.append({"s": s, "update": lr * g / (np.sqrt(s + eps) if eps_inside_sqrt else np.sqrt(s) + eps)})
    return rows


def pick(rows, keys):
    return [{k: row[k] for k in keys} for row in rows]


# 책의 풀이가 만드는 answer 와 같은 이름, 같은 순서 (저장된 출력의 줄 순서가 이 순서다)
RIGHT = {
    "rmsprop": hand_rmsprop(G51, 0.01, 0.99, 1e-8),
    "adam6": pick(hand_adam(G61, 0.1, eps=1e-8), ["m", "s", "m_hat", "s_hat", "theta"]),
    "adam7": pick(hand_adam(G71, 0.1), ["m", "s", "m_hat", "s_hat", "update"]),
    "horizon": {b: math.ceil(math.log(0.01) / math.log(b)) for b in (0.95, 0.98, 0.995)},
    "wd": {"l2": 2.0 - 0.1 * 0.7 / (0.7 + 1e-8), "adamw": 2.0 * (1 - 0.1 * 0.1) - 0.1 * 0.5 / (0.5 + 1e-8)},
}
_ALPHA = 0.01 * math.sqrt(1 - 0.999) / (1 - 0.9)
RIGHT["keras"] = {"alpha": _ALPHA, "m": 0.1 * 2e-5, "v": 0.001 * 4e-10,
                  "theta": 0.5 - _ALPHA * 2e-6 / (math.sqrt(4e-13) + 1e-7)}

# 책의 확인 셀과 같은 인자
CHECK = {
    "rmsprop": lambda a, **kw: check_rmsprop_steps(a, grads=G51, lr=0.01, alpha=0.99, eps=1e-8, **kw),
    "adam6": lambda a, **kw: check_adam_steps(a, grads=G61, lr=0.1, betas=(0.9, 0.999), eps=1e-8, **kw),
    "adam7": lambda a, **kw: check_adam_steps(a, grads=G71, lr=0.1, betas=(0.9, 0.999), eps=0.0, **kw),
    "horizon": check_correction_horizon,
    "wd": lambda a, **kw: check_weight_decay_first_step(a, theta0=2.0, grad=0.5, lr=0.1, weight_decay=0.1, **kw),
    "keras": lambda a, **kw: check_keras_adam_first_step(a, theta0=0.5, grad=2e-5, lr=0.01, beta_1=0.9, beta_2=0.999,
                                                         epsilon=1e-7, **kw),
}
STEPS = ("rmsprop", "adam6", "adam7")
NAMED = ("wd", "keras")
# 답이 어떤 꼴이어야 하는지 말하는 문장의 핵심
FORM = {"rmsprop": "2개의 dict를 담은 list여야 한다", "adam6": "2개의 dict를 담은 list여야 한다",
        "adam7": "2개의 dict를 담은 list여야 한다", "horizon": "β를 키로", "wd": "dict 하나여야 한다",
        "keras": "dict 하나여야 한다"}
# 문제가 묻는 이름 (기본 require)
ASKED = {"rmsprop": ["s", "update"], "adam6": ["m", "s", "m_hat", "s_hat", "theta"],
         "adam7": ["m", "s", "m_hat", "s_hat", "update"], "wd": ["l2", "adamw"], "keras": ["alpha", "m", "v", "theta"]}


def _expected_numbers(name):
    right = RIGHT[name]
    if name == "horizon":
        return list(right.values())
    if name in STEPS:  # 확인하지 않는 이름(7장의 theta 등)의 기준 값도 드러나면 안 된다
        full = {"rmsprop": hand_rmsprop(G51, 0.01, 0.99, 1e-8), "adam6": hand_adam(G61, 0.1, eps=1e-8),
                "adam7": hand_adam(G71, 0.1)}[name]
        return [x for row in full for v in row.values() for x in np.ravel(v)]
    return [float(v) for v in right.values()]


def assert_no_expected_value(text, numbers):
    """기준 값이 글에 나오지 않는다. 문제에 주어진 수와 겹치는 짧은 값(0.1, 2 ...)은 가려낼 수 없으니 건너뛴다."""
    for x in numbers:
        x = float(x)
        if x.is_integer():  # 정수 답(첫 t: 90, 228, 919): 다른 수의 일부가 아닌 낱말로 나오는지 본다
            if abs(x) >= 10:  # 1, 2, 4 같은 기준 값은 '스텝 2' 와 구별할 수 없다
                assert not re.search(rf"(?<![\d.]){int(x)}(?![\d.])", text), (x, text)
            continue
        for shown in {f"{x:.6g}", f"{x:.4f}", f"{x:.10g}", f"{x:.6e}"}:
            if len(re.sub(r"[^1-9]", "", shown.split("e")[0])) >= 3:  # 유효 숫자가 셋 이상인 표기만
                assert shown not in text, (shown, text)


def with_value(rows, step, key, value):
    rows = [dict(r) for r in rows]
    rows[step][key] = value
    return rows


class Boom:
    """수로 바꾸려 하면 예외를 내는 객체 (예: requires_grad 인 torch 텐서)."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad")


# --------------------------------------------------------------------------- 책의 풀이
def test_adam_steps_reference_passes():
    fb = check_adam_steps(hand_adam(G71, 0.1), grads=G71, lr=0.1, eps=0.0)
    assert fb and "맞다" in str(fb)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_book_solutions_pass(name):
    fb = CHECK[name](RIGHT[name])
    assert fb, str(fb)
    assert str(fb).startswith("✅ 맞다.") and "틀렸다" not in str(fb)


def _stored_check_output(chapter, function, nth=0):
    nb = json.loads((BOOK / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and "check" in c["metadata"].get("tags", [])
             and function in "".join(c["source"])]
    return "".join(cells[nth]["outputs"][0]["data"]["text/plain"])


@pytest.mark.parametrize(("name", "chapter", "function"), [
    ("rmsprop", "ch05_rmsprop", "check_rmsprop_steps"),
    ("adam6", "ch06_adam", "check_adam_steps"),
    ("adam7", "ch07_bias_correction", "check_adam_steps"),
    ("horizon", "ch07_bias_correction", "check_correction_horizon"),
    ("wd", "ch09_pytorch", "check_weight_decay_first_step"),
    ("keras", "ch11_keras", "check_keras_adam_first_step"),
])
def test_book_solutions_print_what_the_notebooks_store(name, chapter, function):
    """책의 확인 셀을 바꾸지 않아도 저장된 출력이 그대로다 (nbval 이 비교한다)."""
    assert repr(CHECK[name](RIGHT[name])) == _stored_check_output(chapter, function)


def test_weight_decay_keyword_form_still_works():
    """예전 확인 셀의 꼴: check_weight_decay_first_step(**answer, theta0=...)."""
    kw = dict(theta0=2.0, grad=0.5, lr=0.1, weight_decay=0.1)
    assert check_weight_decay_first_step(**RIGHT["wd"], **kw)
    assert repr(check_weight_decay_first_step(**RIGHT["wd"], **kw)) == repr(check_weight_decay_first_step(RIGHT["wd"], **kw))
    fb = check_weight_decay_first_step(RIGHT["wd"], l2=1.0, **kw)
    assert not fb and "두 번" in str(fb)


def test_adam_steps_vector_answer_passes():
    """연습문제 6.1: 파라미터가 벡터. adamlearn 의 Trace 로 만든 답, 묻는 이름만 require 로 좁힌다."""
    x = np.zeros(2)
    opt, tr = adamlearn.Adam([x], lr=0.1, eps=1e-8), adamlearn.Trace()
    answer = []
    for g in G61:
        opt.step([g], trace=tr)
        answer.append({"m": tr["m"][-1], "s_hat": tr["s_hat"][-1], "theta": x.copy()})
    assert check_adam_steps(answer, grads=G61, lr=0.1, eps=1e-8, require=("m", "s_hat", "theta"))
    assert not check_adam_steps(answer, grads=G61, lr=0.1, eps=1e-8)


def test_scalar_problem_accepts_length_one_arrays():
    """7.1 을 adamlearn 으로 풀면 값이 모양 (1,) 의 배열이다: 수 하나와 같게 본다."""
    answer = [{k: np.array([v]) for k, v in row.items()} for row in RIGHT["adam7"]]
    assert CHECK["adam7"](answer)


def test_adam_steps_accepts_theta_or_update():
    """θ_0 이 주어졌으니 스텝의 결과는 θ_t 나 업데이트 둘 중 하나면 된다 (6장은 θ_t, 7장은 업데이트를 묻는다)."""
    ch7_with_theta = pick(hand_adam(G71, 0.1), ["m", "s", "m_hat", "s_hat", "theta"])
    assert CHECK["adam7"](ch7_with_theta)
    ch6_with_update = pick(hand_adam(G61, 0.1, eps=1e-8), ["m", "s", "m_hat", "s_hat", "update"])
    assert CHECK["adam6"](ch6_with_update)


# --------------------------------------------------------------------------- 흔한 실수의 힌트 (값은 맞는 꼴)
@pytest.mark.parametrize(("wrong", "message"), [
    (hand_adam(G71, 0.1, correct=False), "편향 보정을 빠뜨린"),
    (hand_adam(G71, 0.1, t_offset=1), "t는 1부터"),
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
    assert "2개의 답" in str(check_adam_steps([{"m": 0.2}], grads=G71, lr=0.1))
    assert "모르는 이름" in str(check_adam_steps([{"mm": 0.2}, {}], grads=G71, lr=0.1))


def test_rmsprop_steps():
    lr, alpha, eps = 0.01, 0.99, 1e-8
    assert check_rmsprop_steps(hand_rmsprop(G51, lr, alpha, eps), grads=G51, lr=lr, alpha=alpha, eps=eps)
    fb = check_rmsprop_steps(hand_rmsprop(G51, lr, alpha, eps, eps_inside_sqrt=True), grads=G51, lr=lr, alpha=alpha, eps=eps)
    assert not fb and "제곱근 안에" in str(fb) and "스텝 2 의 업데이트" in str(fb)


def student_right(param, grad, state, *, lr, beta1, beta2, eps):
    m, s = F.ema(state.m, grad, beta1), F.ema(state.s, grad * grad, beta2)
    return param - lr * m / (np.sqrt(s) + eps), F.AdamState(state.t + 1, m, s, None)


def test_adam_variant_no_bias_correction():
    def student_forgot(param, grad, state, *, lr, beta1, beta2, eps):
        return F.adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def student_crashes(param, grad, state, **kw):
        raise KeyError("beta")

    assert check_adam_variant(student_right)
    fb = check_adam_variant(student_forgot)
    assert not fb and "아직 편향 보정을 하고 있다" in str(fb)
    fb = check_adam_variant(student_crashes)
    assert not fb and "KeyError" in str(fb)


def test_adam_variant_in_place_update_passes():
    def student_in_place(param, grad, state, *, lr, beta1, beta2, eps):
        m, s = F.ema(state.m, grad, beta1), F.ema(state.s, grad * grad, beta2)
        param -= lr * m / (np.sqrt(s) + eps)
        return param, F.AdamState(state.t + 1, m, s, None)

    assert check_adam_variant(student_in_place)


def test_correction_horizon():
    right = RIGHT["horizon"]
    assert check_correction_horizon(right)
    assert check_correction_horizon({np.float64(b): np.int64(t) for b, t in right.items()})
    assert check_correction_horizon({b: float(t) for b, t in right.items()})
    too_early = {**right, 0.95: right[0.95] - 1}
    assert "더 큰 t" in str(check_correction_horizon(too_early))
    too_late = {**right, 0.98: right[0.98] + 5}
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
    fb = check_weight_decay_first_step({"l2": l2, "adamw": theta0 * (1 - lam) - lr}, **kw)
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


# --------------------------------------------------------------------------- 빠진 값: 맞다고 하지 않는다
PARTIAL = [(name, key) for name in (*STEPS, *NAMED) for key in ASKED[name]]


@pytest.mark.parametrize(("name", "key"), PARTIAL, ids=[f"{n}-without-{k}" for n, k in PARTIAL])
def test_answer_without_an_asked_value_is_not_passed(name, key):
    right = RIGHT[name]
    answer = [{k: v for k, v in row.items() if k != key} for row in right] if name in STEPS else \
        {k: v for k, v in right.items() if k != key}
    fb = CHECK[name](answer)
    text = str(fb)
    assert not fb, text
    assert "빠진 값이 있다" in text and f"'{key}'" in text
    assert_no_expected_value(text, _expected_numbers(name))


@pytest.mark.parametrize("name", STEPS)
def test_answer_with_only_m_or_s_is_not_passed(name):
    """측정된 결함: m 만 채운 답이 '✅ 맞다' 였다."""
    key = ASKED[name][0]
    fb = CHECK[name]([{key: row[key]} for row in RIGHT[name]])
    assert not fb and "빠진 값이 있다" in str(fb) and "✅" not in str(fb)


def test_correction_horizon_without_a_beta_is_not_passed():
    fb = check_correction_horizon({0.95: RIGHT["horizon"][0.95]})
    assert not fb and "답이 없는 β: 0.98, 0.995" in str(fb)
    assert_no_expected_value(str(fb), _expected_numbers("horizon"))


def test_require_can_be_narrowed_and_checks_its_names():
    only_m = [{"m": row["m"]} for row in RIGHT["adam7"]]
    assert CHECK["adam7"](only_m, require=("m",))
    assert CHECK["adam7"](only_m, require=())
    assert not CHECK["adam7"]([{}, {}], require=())
    with pytest.raises(ValueError, match="unknown name"):  # 책의 확인 셀이 잘못 부른 것: 작가의 버그
        CHECK["adam7"](only_m, require=("mhat",))
    assert not check_correction_horizon({0.95: RIGHT["horizon"][0.95]})
    assert check_correction_horizon({0.95: RIGHT["horizon"][0.95]}, require=(0.95,))


@pytest.mark.parametrize("name", [*STEPS, *NAMED])
def test_extra_names_are_accepted_with_a_note(name):
    """더 적은 것은 통과시키지 않지만, 더 적어 둔 이름(중간값, 오타)은 통과를 막지 않고 확인하지 않았다고 알린다."""
    right = RIGHT[name]
    answer = [dict(row, note=1.0, mhat=2.0) for row in right] if name in STEPS else dict(right, note=1.0)
    fb = CHECK[name](answer)
    assert fb, str(fb)
    assert "확인하지 않은 값: 'note'" in str(fb)
    if name in ("adam6", "adam7"):  # RMSProp 에는 m_hat 이 없다
        assert "'mhat'('m_hat'의 오타인가?)" in str(fb)


# --------------------------------------------------------------------------- 어떤 꼴의 답에도 예외 없이 설명
def _steps_cases(name):
    right, key = RIGHT[name], ASKED[name][0]
    scalar = name == "adam7"
    return [
        ([], "2개의 답이 필요한데 0개"),
        ([*right, right[0]], "2개의 답이 필요한데 3개"),
        (right[:1], "답이 없는 스텝: 스텝 2"),
        ([..., ...], "아직 채우지 않은 값(...)이 있다: 스텝 1 전체, 스텝 2 전체"),
        ([right[0], {...}], "스텝 2 전체"),  # 템플릿의 {... 스텝 2 ...} 를 그대로 둔 꼴: {Ellipsis} 라는 set
        ([{k: ... for k in row} for row in right], f"스텝 1의 '{key}'"),
        (with_value(right, 0, key, ...), f"아직 채우지 않은 값(...)이 있다: 스텝 1의 '{key}'"),
        (with_value(right, 1, key, [..., 1.0]), f"스텝 2의 '{key}'"),
        (with_value(right, 1, key, np.array([..., 1.0], dtype=object)), f"스텝 2의 '{key}'"),
        (right[0], "한 스텝의 값만 dict 하나에 담은 것 같다"),
        ({k: [row[k] for row in right] for k in right[0]}, "값 이름마다 2개 스텝의 값을 모은 dict"),
        ({1: right[0], 2: right[1]}, "스텝 번호를 키로 한 dict다"),
        ([right], "한 겹 더 감쌌다"),
        ([None, None], "스텝 1의 답은 dict여야 한다 (지금: None)"),
        ([[1.0, 2.0], [3.0, 4.0]], "이름 없이 값만 늘어놓았다"),
        ([right[0], "스텝 2"], "스텝 2의 답은 dict여야 한다"),
        ([{0: 1.0}, {0: 1.0}], "빠진 값이 있다"),
        (with_value(right, 0, key, None), "(지금: None)"),
        (with_value(right, 0, key, "0.1"), "따옴표를 빼고"),
        (with_value(right, 0, key, "m_1"), "(지금: 문자열 'm_1')"),
        (with_value(right, 0, key, True), "(지금: bool)"),
        (with_value(right, 0, key, 1 + 2j), "(지금: complex)"),
        (with_value(right, 0, key, np.array([1 + 2j, 0])), "complex128"),
        (with_value(right, 0, key, {"x": 1.0}), "(지금: dict)"),
        (with_value(right, 0, key, [[1.0], [2.0, 3.0]]), "들쭉날쭉"),
        (with_value(right, 0, key, 10**400), "(지금: int)"),
        (with_value(right, 0, key, Boom()), "(지금: Boom)"),
        (with_value(right, 0, key, print), "(지금: builtin_function_or_method)"),
        (with_value(right, 0, key, float("nan")), "NaN이나 무한대"),
        (with_value(right, 0, key, np.full(2, np.inf)), "NaN이나 무한대"),
        (with_value(right, 0, key, np.zeros(3)), "모양이 다르다"),
        (with_value(right, 0, key, np.zeros((2, 2))), "모양이 다르다"),
        (with_value(right, 0, key, None if scalar else np.zeros(0)),
         "수 하나여야 한다" if scalar else "모양이 다르다"),
    ]


def _named_cases(name):
    right, first, second = RIGHT[name], ASKED[name][0], ASKED[name][1]
    return [
        ([right], "list로 감싸지 말고"),
        (list(right.values()), "이름 없이 값만 늘어놓았다"),
        ((), FORM[name]),
        ({}, "빠진 값이 있다"),
        ({k: ... for k in right}, f"아직 채우지 않은 값(...)이 있다: '{first}', '{second}'"),
        (dict(right, **{first: ...}), f"아직 채우지 않은 값(...)이 있다: '{first}'"),
        ({first: right[first]}, f"빠진 값이 있다: '{second}'"),
        ({"L2": 1.0, "AdamW": 2.0}, "빠진 값이 있다"),
        (dict(right, **{first: None}), "수 하나여야 한다 (지금: None)"),
        (dict(right, **{first: "abc"}), "(지금: 문자열 'abc')"),
        (dict(right, **{first: float("nan")}), "NaN이나 무한대"),
        (dict(right, **{first: np.zeros(3)}), "모양이 다르다"),
        (dict(right, **{first: [..., ...]}), f"아직 채우지 않은 값(...)이 있다: '{first}'"),
        (dict(right, **{first: Boom()}), "(지금: Boom)"),
        (dict(right, **{first: {"x": 1}}), "(지금: dict)"),
    ]


def _horizon_cases():
    return [
        ([{"m": 0.2}, {"m": 0.08}], "앞 연습문제의 answer가 그대로 남은 것 같다"),  # 7.2 를 풀기 전 7.1 의 answer
        ([1, 2, 3], "t만 늘어놓았다면"),
        ([(0.95, 1), (0.98, 2)], "dict(answer)로"),
        ((), FORM["horizon"]),
        ({}, "답이 없는 β: 0.95, 0.98, 0.995"),
        ({0.95: ..., 0.98: ..., 0.995: ...}, "아직 채우지 않은 값(...)이 있다: β = 0.95, β = 0.98, β = 0.995"),
        ({...: 3}, "β 자리"),
        ({0.95: None, 0.98: 1, 0.995: 1}, "t는 1 이상의 정수여야 한다 (지금: None)"),
        ({0.95: "t", 0.98: 1, 0.995: 1}, "(지금: 문자열 't')"),
        ({0.95: 12.5, 0.98: 1, 0.995: 1}, "(지금: 12.5)"),
        ({0.95: -3, 0.98: 1, 0.995: 1}, "t는 1 이상의 정수"),
        ({0.95: 0, 0.98: 1, 0.995: 1}, "t는 1 이상의 정수"),
        ({0.95: float("nan"), 0.98: 1, 0.995: 1}, "t는 1 이상의 정수"),
        ({0.95: [1, 2], 0.98: 1, 0.995: 1}, "t는 1 이상의 정수"),
        ({0.95: True, 0.98: 1, 0.995: 1}, "t는 1 이상의 정수"),
        ({"0.95": 1, 0.98: 1, 0.995: 1}, "β 자리에는 0과 1 사이의 수"),
        ({1.5: 1, 0.98: 1, 0.995: 1}, "β 자리에는 0과 1 사이의 수"),
        ({None: 1}, "β 자리에는 0과 1 사이의 수"),
        ({0.95: 10**400, 0.98: 1, 0.995: 1}, "첫 t를 찾아라"),
    ]


def _malformed():
    cases = []
    for name in CHECK:
        generic = [
            (..., "아직 채우지 않은 값(...)이 있다: answer 전체"),
            (None, f"{FORM[name]}"),
            (None, "(지금: None)"),
            ("answer", FORM[name]),
            (0.1, FORM[name]),
            (3, "(지금: int)"),
            (True, FORM[name]),
            ({...}, "(지금: set)"),
            ((x for x in []), "(지금: generator)"),
            (np.zeros((2, 5)), "(지금: numpy 배열, 모양 (2, 5))"),
            (object(), FORM[name]),
            (print, FORM[name]),
        ]
        specific = (_steps_cases(name) if name in STEPS else _named_cases(name) if name in NAMED else _horizon_cases())
        cases += [pytest.param(name, answer, phrase, id=f"{name}-{i}") for i, (answer, phrase) in enumerate(generic + specific)]
    return cases


@pytest.mark.filterwarnings("error")  # 경고(ComplexWarning, RuntimeWarning ...)도 학생에게 보이면 안 된다
@pytest.mark.parametrize(("name", "answer", "phrase"), _malformed())
def test_malformed_answer_gets_korean_feedback_not_a_traceback(name, answer, phrase):
    fb = CHECK[name](answer)  # (1) 예외가 없다
    text = str(fb)
    assert not fb, text  # (2) 통과하지 않는다
    assert phrase in text, text  # (3) 무엇이 필요한지/빠졌는지 말한다
    assert text.startswith("❌ 아직 틀린 곳이 있다.")
    assert_no_expected_value(text, _expected_numbers(name))  # (4) 기준 값은 보이지 않는다


def test_template_placeholders_are_named_and_filled_values_still_checked():
    """6.1 의 템플릿을 반쯤 채운 꼴: 채운 값은 확인하고, 채우지 않은 곳은 하나하나 짚는다."""
    right = RIGHT["adam6"]
    answer = [{"m": right[0]["m"], "s": right[0]["s"], "m_hat": ..., "s_hat": ..., "theta": right[0]["theta"]}, {...}]
    text = str(CHECK["adam6"](answer))
    assert "아직 채우지 않은 값(...)이 있다: 스텝 1의 'm_hat', 스텝 1의 's_hat', 스텝 2 전체." in text
    assert "스텝 1 의 1차 모멘트 m_t: 맞다." in text and "스텝 1 의 파라미터 θ_t: 맞다." in text


def test_weight_decay_positional_form_takes_any_answer():
    """확인 셀이 check_weight_decay_first_step(answer, ...) 이면 answer 가 무엇이든 이 함수가 설명한다."""
    kw = dict(theta0=2.0, grad=0.5, lr=0.1, weight_decay=0.1)
    for answer in (None, [1.9, 1.88], {"l2": 1.9}, ...):
        fb = check_weight_decay_first_step(answer, **kw)
        assert not fb and "'l2', 'adamw'" in str(fb)


# --------------------------------------------------------------------------- 함수를 답으로 낼 때
def _variant_expected():
    return [0.1 * (1 - 0.9**t) / math.sqrt(1 - 0.999**t) for t in (1, 2, 3, 100)]


def _variant_cases():
    def raises_template(param, grad, state, *, lr, beta1, beta2, eps):
        raise NotImplementedError()  # nbgrader 가 학생에게 주는 풀이 칸

    def typo(param, grad, state, *, lr, beta1, beta2, eps):
        m = state.v * beta1
        return param - m, state

    def returns_none(param, grad, state, *, lr, beta1, beta2, eps):
        param -= lr

    def returns_param_only(param, grad, state, *, lr, beta1, beta2, eps):
        return student_right(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)[0]

    def returns_three(param, grad, state, *, lr, beta1, beta2, eps):
        return (*student_right(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps), None)

    def returns_string(param, grad, state, *, lr, beta1, beta2, eps):
        return "param", state

    def returns_ellipsis(param, grad, state, *, lr, beta1, beta2, eps):
        return ..., state

    def returns_wrong_shape(param, grad, state, *, lr, beta1, beta2, eps):
        return np.zeros(3), state

    def returns_empty(param, grad, state, *, lr, beta1, beta2, eps):
        return np.zeros(0), state

    def returns_nan(param, grad, state, *, lr, beta1, beta2, eps):
        return param * np.nan, state

    def returns_state_none(param, grad, state, *, lr, beta1, beta2, eps):
        return student_right(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)[0], None

    def wrong_signature(param, grad, state, lr):
        return param, state

    def wrong_sign(param, grad, state, *, lr, beta1, beta2, eps):
        new, st = student_right(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        return 2 * param - new, st

    def garbage_size(param, grad, state, *, lr, beta1, beta2, eps):
        return param - 7.0, state

    return [
        (None, "확인할 함수를 넘겨야 한다 (지금: None)"),
        (..., "아직 채우지 않은 값(...)이 있다: 확인할 함수 자리"),
        ("adam_no_bias_correction", "(지금: 문자열 'adam_no_bias_correction')"),
        ((np.zeros(1), None), "확인할 함수를 넘겨야 한다 (지금: tuple, 길이 2)"),  # 함수를 불러 그 결과를 넘긴 꼴
        (raises_template, "NotImplementedError"),
        (typo, "AttributeError: 'AdamState' object has no attribute 'v'"),
        (typo, "m = state.v * beta1"),
        (returns_none, "return 줄을 빠뜨렸는가?"),
        (returns_param_only, "(param, state) 두 값을 돌려줘야 한다 (지금: numpy 배열, 모양 (1,))"),
        (returns_three, "(지금: tuple, 길이 3)"),
        (returns_string, "(지금: 문자열 'param')"),
        (returns_ellipsis, "(지금: ...)"),
        (returns_wrong_shape, "모양이 다르다: 받은 모양 (3,)"),
        (returns_empty, "모양이 다르다: 받은 모양 (0,)"),
        (returns_nan, "NaN이나 무한대"),
        (returns_state_none, "앞 스텝에서 함수가 돌려준 state가 None이다"),
        (wrong_signature, "함수의 인자가"),
        (wrong_sign, "부호가 반대"),
        (garbage_size, "기대보다 크다"),
    ]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(("fn", "phrase"), _variant_cases())
def test_adam_variant_explains_any_function(fn, phrase):
    fb = check_adam_variant(fn)
    text = str(fb)
    assert not fb, text
    assert phrase in text, text
    assert_no_expected_value(text, _variant_expected())
