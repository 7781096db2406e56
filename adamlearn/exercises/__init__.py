"""연습문제의 답을 확인하는 함수들. 무엇이 맞고 무엇이 틀렸는지 한국어로 말하되, 정답 값은 보여 주지 않는다.

각 함수는 :class:`Feedback` 을 돌려준다. 노트북에서는 그대로 출력되고, ``bool(feedback)`` 은 통과 여부다.
틀린 값에는 어느 스텝의 어느 값인지, 학생의 값, 그리고 흔한 실수와 맞아떨어지면 그 실수를 짚는 힌트를 준다.
기준 값은 :mod:`adamlearn.functional` 로 계산한다.

학생의 답이 어떤 꼴이든 (템플릿의 ``...`` 를 남겼든, list 대신 dict 를 넣었든, None 이나 문자열이든) 예외를
내지 않고, 어떤 꼴이어야 하는지를 말하는 :class:`Feedback` 을 돌려준다. 문제가 묻는 값(``require=``)이 빠진 답은
통과하지 못한다. 예외는 확인 함수 자신의 버그이거나, 책의 확인 셀이 잘못 부른 경우(모르는 ``require`` 이름 등)뿐이다.

>>> from adamlearn.exercises import check_adam_steps
>>> fb = check_adam_steps([{"m": 0.1, "theta": -0.1}], grads=[1.0], lr=0.1, require=("m", "theta"))
>>> bool(fb)
True
>>> bool(check_adam_steps([{"m": 0.1}], grads=[1.0], lr=0.1))  # 기본값은 m, s, m_hat, s_hat, theta(또는 update)를 묻는다
False
"""

from __future__ import annotations

import difflib
import math
import numbers
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import functional as F

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

#: ``require=`` 의 한 항목: 이름 하나, 또는 그중 하나만 있으면 되는 이름들의 tuple (예: ``("theta", "update")``).
Require = Sequence[str | tuple[str, ...]]


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


# --------------------------------------------------------------------------- 값 비교와 표시
def _close(a, b, rtol=RTOL) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:  # (1,) 과 () 처럼 크기가 같고 길이 1 축만 다르면 같은 모양으로 본다
        if a.size != b.size or np.squeeze(a).shape != np.squeeze(b).shape:
            return False
        a = a.reshape(b.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(a - b) <= rtol * np.maximum(np.abs(b), 1e-300) + 1e-15))


def _fmt(x) -> str:
    x = np.asarray(x, dtype=float)
    return np.array2string(x, precision=6, threshold=12) if x.ndim else f"{float(x):.6g}"


def _direction(got, expected) -> str:
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.size == expected.size and np.squeeze(got).shape == np.squeeze(expected).shape:
        got = got.reshape(expected.shape)
    if got.shape != expected.shape:
        return f"모양이 다르다: 받은 모양 {got.shape}, 필요한 모양 {expected.shape}"
    if np.any(np.sign(got) != np.sign(expected)):
        return "부호가 다른 성분이 있다"
    return "기대보다 크다" if np.sum(np.abs(got)) > np.sum(np.abs(expected)) else "기대보다 작다"


# --------------------------------------------------------------------------- 학생이 넣은 것의 꼴
def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(x) -> str:
    """학생이 넣은 것의 꼴을 짧게: 'dict', 'list, 길이 3', 'numpy 배열, 모양 (2, 5)', 'None' ..."""
    if x is None:
        return "None"
    if x is Ellipsis:
        return "..."
    if isinstance(x, np.ndarray):
        return f"numpy 배열, 모양 {x.shape}" + ("" if x.dtype.kind in "iuf" else f", {x.dtype}")
    if isinstance(x, str):
        return f"문자열 {_short(repr(x), 30)}"
    if isinstance(x, (list, tuple)):
        return f"{type(x).__name__}, 길이 {len(x)}"
    return type(x).__name__


def _quote(key) -> str:
    return f"'{key}'" if isinstance(key, str) else _short(repr(key), 30)


def _has_ellipsis(x, depth: int = 0) -> bool:
    """템플릿의 ``...`` (Ellipsis) 가 그대로 남았는가: 값 자체이거나 list, tuple, set, object 배열 안에."""
    if x is Ellipsis:
        return True
    if depth > 6:
        return False
    if isinstance(x, (list, tuple, set, frozenset)):
        return any(_has_ellipsis(v, depth + 1) for v in x)
    if isinstance(x, np.ndarray) and x.dtype == object:
        return any(_has_ellipsis(v, depth + 1) for v in x.ravel())
    return False


def _as_array(x) -> np.ndarray | None:
    """수나 수의 배열이면 float 배열, 아니면 None. 문자열, bool, 복소수는 수로 치지 않는다."""
    if x is None or isinstance(x, (str, bytes, bool, np.bool_, Mapping, set, frozenset)) or _has_ellipsis(x):
        return None
    try:
        raw = np.asarray(x)
        if raw.dtype.kind not in "iufO":
            return None
        return raw.astype(float)
    except Exception:  # 학생이 넣은 객체의 변환(__array__, __float__, 들쭉날쭉한 list)이 내는 예외는 '수가 아니다'로 본다
        return None


def _not_number_hint(x) -> str:
    """수로 바꾸지 못한 값에 덧붙일 한 마디."""
    if isinstance(x, str):
        try:
            float(x)
        except ValueError:
            return ""
        return " 따옴표를 빼고 수로 넣어라."
    if type(x).__module__.split(".")[0] == "torch":
        return " torch 텐서라면 .detach().numpy()나 .item()으로 바꿔 넣어라."
    if isinstance(x, (list, tuple)):
        return " 안에 수가 아닌 것이 있거나 길이가 들쭉날쭉하다."
    return ""


def _number_form(reference) -> str:
    """기준 값의 꼴을 '…여야 한다' 앞에 올 말로: 값은 말하지 않고 모양만."""
    shape = np.shape(reference)
    return "수 하나여야" if shape == () else f"모양이 {shape}인 numpy 배열이어야"


def _as_int(x) -> int | None:
    """정수(또는 90.0 처럼 정수인 실수)면 int, 아니면 None."""
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, numbers.Integral):
        return int(x)
    arr = _as_array(x)
    if arr is None or arr.size != 1:
        return None
    value = float(arr.ravel()[0])
    return int(value) if math.isfinite(value) and value.is_integer() else None


def _groups(require, known, checker: str) -> list[tuple[str, ...]]:
    """``require=`` 를 이름 묶음의 list 로. 책의 확인 셀이 잘못 부른 것이므로 모르는 이름은 예외."""
    if isinstance(require, str):
        require = (require,)
    groups = []
    for item in require:
        group = (item,) if isinstance(item, str) else tuple(item)
        unknown = [k for k in group if k not in known]
        if not group or unknown:
            raise ValueError(f"{checker}: unknown name(s) {unknown} in require={require!r}; known: {sorted(known)}")
        groups.append(group)
    return groups


def _describe(groups) -> str:
    """('m',), ('theta', 'update') -> "'m', 'theta' 또는 'update'"."""
    return ", ".join(" 또는 ".join(_quote(k) for k in group) for group in groups)


@dataclass
class _Review:
    """답 하나(스텝 하나 또는 dict 하나)를 살펴본 결과."""

    lines: list[str] = field(default_factory=list)  # 값마다 맞다/틀렸다
    placeholders: list[str] = field(default_factory=list)  # 아직 ... 인 값
    missing: list[str] = field(default_factory=list)  # 문제가 묻는데 없는 값
    unknown: list = field(default_factory=list)  # 확인하지 않은 이름
    ok: bool = True
    checked: int = 0

    def fail(self, line: str) -> None:
        self.ok = False
        self.lines.append(line)


def _review_values(given: Mapping, expected: Mapping, *, groups, label: Callable[[str], str], where: str = "",
                   hint: Callable[[str, np.ndarray], str | None] | None = None) -> _Review:
    """이름이 붙은 값들을 기준 값과 견준다. 맞은 값의 줄은 ``'{label}: 맞다.'`` (책에 저장된 출력과 같은 꼴)."""
    review = _Review()
    for key, value in given.items():
        if not isinstance(key, str) or key not in expected:
            review.unknown.append(key)
            continue
        if _has_ellipsis(value):
            review.placeholders.append(f"{where}{_quote(key)}")
            continue
        review.checked += 1
        arr = _as_array(value)
        if arr is None:
            review.fail(f"{label(key)}: {_number_form(expected[key])} 한다 (지금: {_kind(value)}).{_not_number_hint(value)}")
            continue
        if not np.all(np.isfinite(arr)):
            review.fail(f"{label(key)}: 틀렸다 (받은 값 {_fmt(arr)}, NaN이나 무한대가 있다).")
            continue
        if _close(arr, expected[key]):
            review.lines.append(f"{label(key)}: 맞다.")
            continue
        text = hint(key, arr) if hint else None
        review.fail(f"{label(key)}: 틀렸다 (받은 값 {_fmt(arr)}, {_direction(arr, expected[key])})."
                    + (f" 힌트: {text}" if text else ""))
    review.missing = [_describe([g]) for g in groups if not any(k in given for k in g)]
    return review


def _unknown_line(unknown, known) -> str:
    """확인하지 않은 이름을 부드럽게 알린다 (통과 여부는 바꾸지 않는다). 오타로 보이면 가까운 이름을 붙인다."""
    parts, seen = [], set()
    for key in unknown:
        text = _quote(key)
        if text in seen:
            continue
        seen.add(text)
        close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
        parts.append(text + (f"('{close[0]}'의 오타인가?)" if close else ""))
    return f"모르는 이름이라 확인하지 않은 값: {', '.join(parts)}. 쓸 수 있는 이름: {', '.join(_quote(k) for k in known)}."


# --------------------------------------------------------------------------- 스텝마다 dict 하나인 답
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
    "no_bias_correction": "편향 보정을 빠뜨린 값과 같다: m̂_t = m_t/(1-β1^t), ŝ_t = s_t/(1-β2^t)로 나누었는가?",
    "t_from_zero": "t를 한 칸 밀려 센 값과 같다: 스텝 번호 t는 1부터 시작하고, 보정의 지수에 그 t를 쓴다.",
    "swapped_beta": "β와 1-β를 바꿔 쓴 값과 같다: m_t = β1·m_(t-1) + (1-β1)·g_t다.",
    "abs_not_square": "2차 모멘트에 g_t의 제곱 대신 절댓값을 쓴 값과 같다.",
    "eps_inside_sqrt": "ε을 제곱근 안에 넣은 값과 같다: 식 (5)는 √ŝ_t + ε이다 (ε은 제곱근 밖).",
    "wrong_sign": "업데이트의 부호가 반대다: θ_t = θ_(t-1) - η·m̂_t/(√ŝ_t + ε)로, 그래디언트의 반대쪽으로 간다.",
}


def _variant_hint(rows_at_t: dict) -> Callable[[str, np.ndarray], str | None]:
    """스텝 t 의 값이 흔한 실수 하나의 값과 맞아떨어지면 그 힌트."""
    def hint(key, value):
        return next((MISTAKE_HINTS[name] for name, row in rows_at_t.items() if key in row and _close(value, row[key])),
                    None)
    return hint


def _steps_container_hints(answer, n, reference) -> list[str]:
    """answer 가 스텝들의 list 가 아닐 때, 흔한 꼴이면 어떻게 고치는지 한 줄."""
    known = reference[0].keys()
    steps_list = "answer = [" + ", ".join(f"스텝 {t}의 dict" for t in range(1, n + 1)) + "]"
    if isinstance(answer, Mapping):
        keys = list(answer)
        if keys and all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in keys):
            order = ", ".join(f"answer[{k}]" for k in sorted(keys))
            return [f"스텝 번호를 키로 한 dict다. 스텝 순서대로 list에 담아라: answer = [{order}]."]
        if any(isinstance(k, str) and k in known for k in keys):
            columns = n > 1 and all(_shape(answer[k]) == (n, *np.shape(reference[0][k]))
                                    for k in keys if isinstance(k, str) and k in known)
            if columns:
                return [f"값 이름마다 {n}개 스텝의 값을 모은 dict로 보인다. 스텝마다 dict를 하나씩 만들어 list에 담아라: {steps_list}."]
            return [f"한 스텝의 값만 dict 하나에 담은 것 같다. 스텝마다 dict를 하나씩 만들어 list에 담아라: {steps_list}."]
    if isinstance(answer, np.ndarray) and answer.dtype != object:
        return ["이름 없이 값만 담은 배열이다. 스텝마다 값에 이름을 붙인 dict로 바꿔라 (예: [dict(zip(이름들, row)) for row in 배열])."]
    if isinstance(answer, Iterator):
        return ["list(...)로 바꿔 넣어라."]
    return []


def _shape(x):
    try:
        return np.shape(x)
    except Exception:  # 들쭉날쭉한 list 등: 모양이 없다
        return None


def _check_steps(answer, reference, variants, *, require, checker) -> Feedback:
    n, known = len(reference), list(reference[0])
    groups = _groups(require, known, checker)
    container = f"answer는 스텝마다 dict 하나씩, {n}개의 dict를 담은 list여야 한다"
    asked = f"각 dict에는 {_describe(groups or [(k,) for k in known])} 값을 넣는다."
    if answer is Ellipsis:
        return Feedback(False, ["아직 채우지 않은 값(...)이 있다: answer 전체.", f"{container}.", asked])
    if not isinstance(answer, (list, tuple)):
        return Feedback(False, [f"{container} (지금: {_kind(answer)}).", asked, *_steps_container_hints(answer, n, reference)])
    if len(answer) > n:
        return Feedback(False, [f"스텝 {n}개의 답이 필요한데 {len(answer)}개를 받았다.", f"{container}."])

    lines, placeholders, missing, unknown, ok, checked = [], [], [], [], True, 0
    if len(answer) < n:
        ok = False
        absent = ", ".join(f"스텝 {t}" for t in range(len(answer) + 1, n + 1))
        lines.append(f"스텝 {n}개의 답이 필요한데 {len(answer)}개를 받았다 (답이 없는 스텝: {absent}). {container}.")
    values = []
    for t, (given, expected) in enumerate(zip(answer, reference), start=1):
        if given is Ellipsis or (isinstance(given, (set, frozenset)) and given and all(v is Ellipsis for v in given)):
            placeholders.append(f"스텝 {t} 전체")  # 템플릿의 {... 스텝 2 ...} 를 그대로 두면 {Ellipsis} 라는 set 이 된다
            continue
        if not isinstance(given, Mapping):
            ok = False
            line = f"스텝 {t}의 답은 dict여야 한다 (지금: {_kind(given)})."
            if len(answer) == 1 and isinstance(given, (list, tuple)) and given and all(isinstance(g, Mapping) for g in given):
                line += " list를 한 겹 더 감쌌다: answer = answer[0]처럼 바깥 list를 벗겨라."
            elif isinstance(given, (list, tuple, np.ndarray)):
                line += " 이름 없이 값만 늘어놓았다. 이름을 붙인 dict로 만들어라 (예: dict(zip(이름들, 값들)))."
            lines.append(line)
            continue
        review = _review_values(given, expected, groups=groups, where=f"스텝 {t}의 ",
                                label=lambda key, t=t: f"스텝 {t} 의 {NAMES.get(key, key)}",
                                hint=_variant_hint({name: rows[t - 1] for name, rows in variants.items()}))
        ok &= review.ok
        checked += review.checked
        placeholders += review.placeholders
        unknown += review.unknown
        if review.missing:
            missing.append(f"스텝 {t}에 빠진 값이 있다: {', '.join(review.missing)}.")
        values += review.lines
    if placeholders:
        lines.append(f"아직 채우지 않은 값(...)이 있다: {', '.join(placeholders)}.")
    if missing:
        lines += [*missing, f"이 문제는 스텝마다 {_describe(groups)} 값을 묻는다."]
    lines += values
    if unknown:
        lines.append(_unknown_line(unknown, known))
    passed = ok and not placeholders and not missing and checked > 0
    if not lines:
        lines.append("답에 값이 하나도 없다.")
    return Feedback(passed, lines)


def check_adam_steps(answer: Sequence[Mapping[str, object]], *, grads, lr, betas=(0.9, 0.999), eps=1e-8,
                     theta0=0.0, require: Require = ("m", "s", "m_hat", "s_hat", ("theta", "update"))) -> Feedback:
    """Adam 을 손으로 몇 스텝 계산한 답을 확인한다.

    Args:
        answer: 스텝마다 dict 하나를 담은 list. 이름은 ``m, s, m_hat, s_hat, update, theta``.
            값은 수 하나 또는 배열 (파라미터가 벡터일 때).
        grads: 스텝 1, 2, ... 의 그래디언트.
        lr, betas, eps, theta0: 문제의 하이퍼파라미터와 초기 파라미터.
        require: 스텝마다 꼭 있어야 하는 이름. tuple 항목은 '그중 하나'다. 기본값은 6장과 7장의 연습문제가 묻는
            m, s, m_hat, s_hat 과, θ_t(6장) 또는 업데이트(7장): θ_0 이 주어졌으니 둘 중 하나면 스텝의 결과가 정해진다.
            require 에 없는 이름도 답에 있으면 확인한다.
    """
    b1, b2 = betas
    reference = _reference_rows(F.adam, F.adam_init, grads, theta0, ("m", "s", "m_hat", "s_hat", "update"),
                                lr=lr, beta1=b1, beta2=b2, eps=eps)
    with np.errstate(all="ignore"):  # 실수를 흉내 낸 계산의 0 나누기 경고는 학생에게 보일 일이 아니다
        variants = {name: _adam_mistake(grads, theta0, lr, b1, b2, eps, name) for name in MISTAKE_HINTS}
    return _check_steps(answer, reference, variants, require=require, checker="check_adam_steps")


def check_rmsprop_steps(answer: Sequence[Mapping[str, object]], *, grads, lr, alpha, eps,
                        require: Require = ("s", "update")) -> Feedback:
    """PyTorch 형식 RMSProp 을 손으로 계산한 답 (스텝마다 ``s`` 와 ``update``, 원하면 ``theta``) 을 확인한다.

    ``require`` 의 기본값은 5장의 연습문제가 묻는 s_t 와 이동량(update)이다.
    """
    theta0 = 0.0
    reference = _reference_rows(F.rmsprop, F.rmsprop_init, grads, theta0, ("s", "update"), lr=lr, alpha=alpha, eps=eps)
    # 흔한 실수는 같은 함수 핵심의 옵션으로 흉내 낸다: 감쇠율을 1-α 로, ε 을 제곱근 안에.
    with np.errstate(all="ignore"):
        variants = {
            "swapped_beta": _reference_rows(F.rmsprop, F.rmsprop_init, grads, theta0, ("s", "update"),
                                            lr=lr, alpha=1 - alpha, eps=eps),
            "eps_inside_sqrt": _reference_rows(F.rmsprop, F.rmsprop_init, grads, theta0, ("s", "update"),
                                               lr=lr, alpha=alpha, eps=eps, eps_inside_sqrt=True),
        }
    return _check_steps(answer, reference, variants, require=require, checker="check_rmsprop_steps")


# --------------------------------------------------------------------------- 이름이 붙은 값들의 dict 하나인 답
def _check_named(answer, expected, *, require, label, hint, checker) -> Feedback:
    known = list(expected)
    groups = _groups(require, known, checker)
    container = f"answer는 {_describe(groups or [(k,) for k in known])} 값을 담은 dict 하나여야 한다"
    if answer is Ellipsis:
        return Feedback(False, ["아직 채우지 않은 값(...)이 있다: answer 전체.", f"{container}."])
    if not isinstance(answer, Mapping):
        lines = [f"{container} (지금: {_kind(answer)})."]
        if isinstance(answer, (list, tuple)) and len(answer) == 1 and isinstance(answer[0], Mapping):
            lines.append("list로 감싸지 말고 dict 하나를 넣어라: answer = answer[0].")
        elif isinstance(answer, (list, tuple, np.ndarray)):
            names = "[" + ", ".join(f'"{g[0]}"' for g in groups) + "]"
            lines.append(f"이름 없이 값만 늘어놓았다. 이름을 붙인 dict로 만들어라 (예: dict(zip({names}, 값들))).")
        return Feedback(False, lines)
    review = _review_values(answer, expected, groups=groups, label=label, hint=hint)
    lines = []
    if review.placeholders:
        lines.append(f"아직 채우지 않은 값(...)이 있다: {', '.join(review.placeholders)}.")
    if review.missing:
        lines += [f"빠진 값이 있다: {', '.join(review.missing)}.", f"이 문제는 {_describe(groups)} 값을 묻는다."]
    lines += review.lines
    if review.unknown:
        lines.append(_unknown_line(review.unknown, known))
    passed = review.ok and not review.placeholders and not review.missing and review.checked > 0
    return Feedback(passed, lines or ["답이 비어 있다."])


class _NotGiven:
    def __repr__(self) -> str:
        return "<없음>"


_NOT_GIVEN = _NotGiven()


def check_weight_decay_first_step(answer: Mapping[str, float] | _NotGiven = _NOT_GIVEN, /, *, theta0, grad, lr,
                                  weight_decay, eps=1e-8, require: Require = ("l2", "adamw"), **values) -> Feedback:
    """L2 규제 Adam 과 AdamW 의 첫 스텝 θ_1 을 확인한다 (torch 관례: AdamW 는 θ 를 (1-ηλ) 배 한다).

    답은 ``{"l2": θ_1(L2), "adamw": θ_1(AdamW)}`` 이다. ``check_weight_decay_first_step(answer, theta0=...)`` 처럼
    위치 인자로 넘기는 꼴이 어떤 답에도 안전하다. 예전 꼴 ``check_weight_decay_first_step(**answer, theta0=...)``
    (곧 ``l2=..., adamw=...``) 도 받는다. 다만 그 꼴은 answer 가 dict 가 아니면 이 함수에 오기 전에 셀에서 TypeError 가 난다.
    """
    if answer is _NOT_GIVEN:
        answer = values.pop("answer") if set(values) == {"answer"} else values  # answer=answer 로 넘겨도 된다
    elif values:
        return Feedback(False, ["답을 두 번 넘겼다: answer 하나만 넘기거나 l2=..., adamw=... 키워드만 넘겨라."])
    theta0_, grad_ = np.array(theta0, float), np.array(grad, float)
    p, _ = F.adam(theta0_, grad_, F.adam_init(theta0_), lr=lr, eps=eps, weight_decay=weight_decay)
    q, _ = F.adam(theta0_, grad_, F.adam_init(theta0_), lr=lr, eps=eps, weight_decay=weight_decay,
                  decoupled_weight_decay=True)
    expected = {"l2": p, "adamw": q}
    labels = {"l2": "L2 규제 (Adam) 의 θ_1", "adamw": "AdamW 의 θ_1"}
    naive_adamw = theta0_ * (1 - weight_decay) - lr * np.sign(grad_)

    def hint(key, value):
        if key == "adamw" and _close(value, naive_adamw):
            return "감쇠는 θ(1-ηλ)다 (torch 관례: λ에 학습률을 곱한다)."
        if _close(value, expected["adamw" if key == "l2" else "l2"]):
            return "두 방식의 답이 바뀌었다."
        return None

    return _check_named(answer, expected, require=require, label=labels.get, hint=hint,
                        checker="check_weight_decay_first_step")


def check_keras_adam_first_step(answer: Mapping[str, float], *, theta0, grad, lr, beta_1=0.9, beta_2=0.999,
                                epsilon=1e-7, require: Require = ("alpha", "m", "v", "theta")) -> Feedback:
    """Keras Adam 의 첫 스텝 (``alpha``, ``m``, ``v``, ``theta``) 을 확인한다. ε 은 논문의 ε̂ 이다.

    ``require`` 의 기본값은 11장의 연습문제가 묻는 네 값 모두다.
    """
    alpha = lr * math.sqrt(1 - beta_2) / (1 - beta_1)
    m, v = (1 - beta_1) * grad, (1 - beta_2) * grad * grad
    expected = {"alpha": alpha, "m": m, "v": v, "theta": theta0 - alpha * m / (math.sqrt(v) + epsilon)}
    torch_form = theta0 - lr * grad / (abs(grad) + epsilon)

    def hint(key, value):
        if key == "theta" and _close(value, torch_form):
            return "PyTorch 식(ε을 보정 뒤에 더한다)으로 계산한 값이다. Keras는 ε̂을 보정 전의 √v에 더한다."
        return None

    return _check_named(answer, expected, require=require, label=lambda key: NAMES.get(key, key), hint=hint,
                        checker="check_keras_adam_first_step")


# --------------------------------------------------------------------------- 함수를 답으로 내는 문제
_VARIANT_USAGE = ("함수 이름을 괄호 없이 넘긴다: check_adam_variant(adam_no_bias_correction). "
                  "함수의 꼴은 fn(param, grad, state, *, lr, beta1, beta2, eps) -> (param, state)다.")


def _exception_line(t: int, err: Exception, fn, state) -> str:
    """학생 함수가 낸 예외를 한 줄로: 예외 이름과 메시지, 학생 코드의 어느 줄인지."""
    line = f"스텝 {t}에서 함수가 예외를 냈다: {type(err).__name__}: {_short(str(err), 200)}"
    code = getattr(fn, "__code__", None)
    frames = [f for f in traceback.extract_tb(err.__traceback__) if code is not None and f.filename == code.co_filename]
    if frames:
        cell = "셀의 " if "ipykernel" in frames[-1].filename or frames[-1].filename.startswith("<ipython") else ""
        where = f"{cell}{frames[-1].lineno}번째 줄"
        line += f" ({where}: {_short(frames[-1].line, 80)})." if frames[-1].line else f" ({where})."
    elif isinstance(err, TypeError):
        line += ". 함수의 인자가 fn(param, grad, state, *, lr, beta1, beta2, eps)와 맞는지 확인하라."
    else:
        line += "."
    if t > 1 and state is None:
        line += " 앞 스텝에서 함수가 돌려준 state가 None이다."
    return line


def check_adam_variant(fn: Callable, variant: str = "no_bias_correction", steps: int = 100) -> Feedback:
    """학생이 고친 Adam 함수 ``fn(param, grad, state, *, lr, beta1, beta2, eps) -> (param, state)`` 를 확인한다.

    ``variant="no_bias_correction"``: 식 (3), (4) 를 뺀 Adam. 일정한 그래디언트 g = 1 에서 t 번째 스텝은
    η(1-β1^t)/√(1-β2^t) 이어야 한다 (ε 이 무시될 때). 함수가 예외를 내거나 엉뚱한 것을 돌려주면 그것을 설명한다.
    """
    if variant != "no_bias_correction":
        raise ValueError(f"unknown variant={variant!r}")
    if fn is Ellipsis:
        return Feedback(False, ["아직 채우지 않은 값(...)이 있다: 확인할 함수 자리.", _VARIANT_USAGE])
    if not callable(fn):
        return Feedback(False, [f"확인할 함수를 넘겨야 한다 (지금: {_kind(fn)}).", _VARIANT_USAGE])
    lr, b1, b2 = 0.1, 0.9, 0.999
    param, state = np.zeros(1), F.adam_init(np.zeros(1))
    for t in range(1, steps + 1):
        try:  # 복사본을 넘긴다: 함수가 param 을 제자리에서 바꿔도 움직인 거리를 잴 수 있다
            result = fn(param.copy(), np.ones(1), state, lr=lr, beta1=b1, beta2=b2, eps=1e-12)
        except Exception as err:  # 학생 코드의 어떤 예외든 설명으로 바꾼다
            return Feedback(False, [_exception_line(t, err, fn, state)])
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            forgot = " return 줄을 빠뜨렸는가?" if result is None else ""
            return Feedback(False, [f"스텝 {t}: 함수는 (param, state) 두 값을 돌려줘야 한다 (지금: {_kind(result)}).{forgot}"])
        new_param, state = result
        arr = _as_array(new_param)
        if arr is None:
            return Feedback(False, [f"스텝 {t}: 함수가 돌려준 param은 넣은 param과 같은 모양의 numpy 배열이어야 한다 "
                                    f"(지금: {_kind(new_param)}).{_not_number_hint(new_param)}"])
        if arr.size != 1:
            return Feedback(False, [f"스텝 {t}: 함수가 돌려준 param의 모양이 다르다: 받은 모양 {arr.shape}, 넣은 param의 모양 (1,)."])
        if not np.all(np.isfinite(arr)):
            return Feedback(False, [f"스텝 {t}: 함수가 돌려준 param에 NaN이나 무한대가 있다."])
        moved = float(arr.ravel()[0]) - float(param[0])
        size = abs(moved)
        expected = lr * (1 - b1**t) / math.sqrt(1 - b2**t)
        if not math.isclose(size, expected, rel_tol=1e-6):
            if math.isclose(size, lr, rel_tol=1e-6):
                line = f"스텝 {t}의 크기가 η와 같다: 아직 편향 보정을 하고 있다 (m̂, ŝ 대신 m, s를 써야 한다)."
            else:
                line = (f"스텝 {t}의 크기가 η(1-β1^t)/√(1-β2^t)와 다르다 "
                        f"(받은 크기 {size:.6g}, {'기대보다 크다' if size > expected else '기대보다 작다'}).")
            return Feedback(False, [line])
        if moved > 0:
            return Feedback(False, [f"스텝 {t}에서 param이 그래디언트 쪽으로 움직였다. 힌트: {MISTAKE_HINTS['wrong_sign']}"])
        param = arr.reshape(1)
    return Feedback(True, [f"일정한 그래디언트에서 {steps} 스텝 모두 η(1-β1^t)/√(1-β2^t) 만큼 움직였다."])


# --------------------------------------------------------------------------- β 마다 t 하나인 답
def _as_beta(key) -> float | None:
    if isinstance(key, (bool, np.bool_, str)):
        return None
    arr = _as_array(key)
    if arr is None or arr.size != 1:
        return None
    beta = float(arr.ravel()[0])
    return beta if 0 < beta < 1 else None


def check_correction_horizon(answer: Mapping[float, int], *, require: Sequence[float] = (0.95, 0.98, 0.995)) -> Feedback:
    """β 마다 1-β^t > 0.99 가 처음 성립하는 t 를 확인한다. ``answer`` 는 {β: t}.

    ``require`` 는 답에 꼭 있어야 하는 β 들이다. 기본값은 7장의 연습문제가 묻는 0.95, 0.98, 0.995.
    다른 β 가 답에 있으면 그것도 확인한다.
    """
    required = [float(b) for b in require]
    container = "answer는 β를 키로, 1-β^t > 0.99가 처음 성립하는 t를 값으로 하는 dict여야 한다"
    example = "예: answer = {" + ", ".join(f"{b}: t" for b in required) + "}."
    if answer is Ellipsis:
        return Feedback(False, ["아직 채우지 않은 값(...)이 있다: answer 전체.", f"{container}.", example])
    if not isinstance(answer, Mapping):
        lines = [f"{container} (지금: {_kind(answer)}).", example]
        if isinstance(answer, (list, tuple)) and answer and all(isinstance(a, Mapping) for a in answer):
            lines.append("앞 연습문제의 answer가 그대로 남은 것 같다. 이 연습문제의 답을 answer에 새로 담아라.")
        elif isinstance(answer, (list, tuple)) and answer and all(isinstance(a, (list, tuple)) and len(a) == 2 for a in answer):
            lines.append("(β, t) 짝의 list라면 dict(answer)로 바꿔라.")
        elif isinstance(answer, (list, tuple, np.ndarray)):
            lines.append(f"t만 늘어놓았다면 β를 키로 붙여라: answer = dict(zip({required}, 값들)).")
        return Feedback(False, lines)
    lines, placeholders, ok, seen = [], [], True, set()
    for key, value in answer.items():
        if key is Ellipsis:
            placeholders.append("β 자리")
            continue
        beta = _as_beta(key)
        if beta is None:
            ok = False
            lines.append(f"키 {_quote(key)}: β 자리에는 0과 1 사이의 수가 와야 한다.")
            continue
        beta = next((b for b in required if math.isclose(beta, b, rel_tol=1e-6)), beta)  # np.float32(0.95) 도 0.95
        seen.add(beta)
        if _has_ellipsis(value):
            placeholders.append(f"β = {beta}")
            continue
        t, arr = _as_int(value), _as_array(value)
        if t is None or t < 1:
            ok = False
            shown = _fmt(arr) if arr is not None and arr.size == 1 else _kind(value)
            lines.append(f"β = {beta}: t는 1 이상의 정수여야 한다 (지금: {shown}).")
            continue
        # 아주 큰 t 는 float 로 바꿀 수 있게 자른다 (10^15 스텝이면 어떤 β 든 이미 성립한다).
        reached = 1 - beta ** min(t, 10**15) > 0.99
        before = t == 1 or not 1 - beta ** min(t - 1, 10**15) > 0.99
        if reached and before:
            lines.append(f"β = {beta}: 맞다.")
        elif not reached:
            ok = False
            lines.append(f"β = {beta}: t = {t}에서는 아직 1-β^t = {1 - beta**t:.6f} ≤ 0.99다. 더 큰 t가 필요하다.")
        else:
            ok = False
            lines.append(f"β = {beta}: t = {_short(str(t), 20)}에서 조건은 성립하지만 더 이른 스텝에서 이미 성립한다. 첫 t를 찾아라.")
    missing = [b for b in required if b not in seen]
    head = []
    if placeholders:
        head.append(f"아직 채우지 않은 값(...)이 있다: {', '.join(placeholders)}.")
    if missing:
        head.append(f"답이 없는 β: {', '.join(str(b) for b in missing)}. {example}")
    passed = ok and not placeholders and not missing and bool(seen)
    return Feedback(passed, [*head, *lines] or ["답이 비어 있다."])


# --------------------------------------------------------------------------- 장마다 한 모듈
# 13장부터의 확인 함수는 장마다 모듈 하나에 있다. 위의 도구(_check_named, _check_steps ...)를 쓴다.
from ._ch13_amsgrad import *  # noqa: E402,F403
from ._ch13_amsgrad import __all__ as _all_amsgrad  # noqa: E402
from ._ch14_adamax import *  # noqa: E402,F403
from ._ch14_adamax import __all__ as _all_adamax  # noqa: E402
from ._ch15_real_data import *  # noqa: E402,F403
from ._ch15_real_data import __all__ as _all_real_data  # noqa: E402

__all__ += [*_all_amsgrad, *_all_adamax, *_all_real_data]
