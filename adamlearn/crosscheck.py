"""``adamlearn`` 을 ``torch.optim`` 과 ``keras.optimizers`` 옆에서 같은 그래디언트로 돌리고 차이를 잰다.

torch 와 keras 는 여기서만, 호출될 때 가져온다. Keras 는 torch 백엔드로 돌린다
(``KERAS_BACKEND=torch`` 는 keras 를 처음 가져오기 전에 정해져 있어야 한다; 아직 가져오지 않았으면 여기서 정한다).

상대 차이는 스텝마다 ``max|a - b| / max|b|`` (파라미터 전체에서의 최댓값 기준) 이고, 표에는 모든 스텝에서의
최댓값을 적는다. 파라미터 하나가 0 근처를 지날 때 원소별 상대 차이가 무의미하게 커지는 것을 피하려는 정의다.

표는 어느 CPU 에서나 같은 글이 되도록 적는다. 반올림 오차만 남은 줄의 마지막 자리는 CPU 의 FMA·SIMD, 스레드 수에
따라 달라지므로, 그 값 대신 :attr:`CrossCheck.bound` 보다 작다는 주장(``< 1e-12``)을 적는다. 식이 달라서 생긴 차이는
``bound`` 만큼 흔들어도 바뀌지 않는 자릿수까지만 적는다 (:func:`stable_digits`). 측정값 자체는 ``rows`` 에 있다.
"""

from __future__ import annotations

import contextlib
import html
import math
import os
import sys
import unicodedata
import warnings
from dataclasses import dataclass

import numpy as np

from . import keras as keras_flavour
from . import optim as torch_flavour

DEFAULT_SHAPES = ((3, 4), (5,), ())
#: 이름이 다른 짝: torch.optim.NAdam <-> keras.optimizers.Nadam
KERAS_NAME = {"NAdam": "Nadam"}


def gradient_sequence(shapes=DEFAULT_SHAPES, steps=1000, dtype="float64", seed=0):
    """시드를 고정한 초기 파라미터와 그래디언트 열: ``(params0, grads)``; ``grads[k][i]`` 는 스텝 k+1 의 i 번째."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    params0 = [rng.standard_normal(s).astype(dtype) for s in shapes]
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(steps)]
    return params0, grads


def rounding_bound(dtype, steps) -> float:
    r"""같은 식을 계산하는 두 구현이 ``steps`` 스텝 뒤에 보일 수 있는 최대 상대 차이의 상계 (10 의 거듭제곱으로 올림).

    그래디언트 열이 정해져 있으므로 한 스텝에서 생긴 차이는 다음 스텝에서 불어나지 않고 쌓이기만 한다
    (모멘트는 EMA 라서 오히려 줄어든다). 파라미터는 스텝마다 한두 번 반올림되고(가중치 감쇠가 있으면 두 번),
    반올림 한 번은 0.5 ULP 이하다. 두 구현의 반올림이 모든 스텝에서 같은 쪽으로 어긋나도 파라미터 크기의
    :math:`2 \cdot \text{steps} \cdot \epsilon_\text{mach}` 배를 넘지 않는다. float64 에서 1000 스텝이면
    4.4e-13 이므로 ``1e-12``, float32 에서는 2.4e-4 이므로 ``1e-3`` 이다.
    """
    if steps < 1:
        raise ValueError(f"invalid steps={steps!r}: must be >= 1")
    raw = 2 * steps * float(np.finfo(np.dtype(dtype)).eps)
    return 10.0 ** math.ceil(math.log10(raw))


def stable_digits(value: float, noise: float) -> str:
    """``value`` 를 ``±noise`` 만큼 흔들어도 바뀌지 않는 유효숫자(최대 4 자리)까지만 적는다.

    ``value`` 가 ``noise`` 보다 크게 커서 자릿수가 하나도 남지 않는 일이 없을 때는 ``'1e-11 ~ 1e-10'`` 처럼 자릿수의
    범위를 적는다. ``value <= 10 * noise`` 면 값을 적을 수 없으므로 ValueError.
    """
    if not value > 10 * noise:
        raise ValueError(f"value={value!r} is within 10x of the rounding noise {noise!r}: print a bound instead")
    for digits in (4, 3, 2, 1):
        low, high = f"{value - noise:.{digits - 1}e}", f"{value + noise:.{digits - 1}e}"
        if low == high:
            return low
    decade = math.floor(math.log10(value - noise))
    if decade != math.floor(math.log10(value + noise)):
        return f"≈ {value:.0e}"
    return f"1e{decade} ~ 1e{decade + 1}"


@dataclass(frozen=True)
class Row:
    """표의 한 줄: ``ours`` 와 ``reference`` 의 스텝별 최대 차이."""

    ours: str
    reference: str
    max_abs: float
    max_rel: float

    def claim(self, bound: float) -> str:
        """어느 CPU 에서나 같은 글: 반올림 수준이면 ``'< bound'``, 아니면 :func:`stable_digits` 의 값."""
        if self.max_rel < bound:
            return f"< {bound:.0e}"
        if self.max_rel <= 100 * bound:  # 한계 근처: 반올림인지 식의 차이인지 이 표로는 가를 수 없다
            return f"< {100 * bound:.0e}"
        # 두 궤적이 각자 반올림으로 bound 만큼 움직일 수 있으므로 차이의 흔들림은 2 * bound 까지다.
        return stable_digits(self.max_rel, 2 * bound)


@dataclass(frozen=True, repr=False)
class CrossCheck:
    """교차 확인(cross-check) 결과. ``print`` 하면 표가, 노트북에서는 HTML 표가 나온다.

    표는 어느 CPU 에서나 같다: 반올림 수준의 줄은 ``< bound`` 로, 나머지는 :func:`stable_digits` 로 적는다.
    측정값은 ``rows`` (``row(...).max_rel``) 에 그대로 있다.
    """

    name: str
    steps: int
    dtype: str
    rows: tuple[Row, ...]

    def row(self, reference_prefix: str, ours_prefix: str = "adamlearn") -> Row:
        """``ours`` 가 ``ours_prefix`` 로, 기준이 ``reference_prefix`` 로 시작하는 줄.

        ``row("torch")`` 는 adamlearn 과 torch.optim 의 줄, ``row("keras", "torch")`` 는 두 프레임워크 사이의 줄이다.
        """
        for r in self.rows:
            if r.ours.startswith(ours_prefix) and r.reference.startswith(reference_prefix):
                return r
        raise KeyError(f"no row {ours_prefix}* vs {reference_prefix}*")

    @property
    def max_rel(self) -> float:
        return max(r.max_rel for r in self.rows)

    @property
    def bound(self) -> float:
        """반올림만으로 생길 수 있는 최대 상대 차이의 상계: :func:`rounding_bound` (float64, 1000 스텝이면 1e-12)."""
        return rounding_bound(self.dtype, self.steps)

    def assert_rounding_level(self, ours_prefix: str = "adamlearn") -> CrossCheck:
        """``ours`` 가 ``ours_prefix`` 로 시작하는 모든 줄이 반올림 수준(``< bound``)인지 확인한다. 아니면 AssertionError."""
        rows = [r for r in self.rows if r.ours.startswith(ours_prefix)]
        assert rows, f"no row starts with {ours_prefix!r}"
        bad = [f"{r.ours} vs {r.reference}: {r.max_rel:.3e}" for r in rows if not r.max_rel < self.bound]
        assert not bad, f"{self.name}: not within rounding (< {self.bound:.0e}): {bad}"
        return self

    def _header(self) -> str:
        return f"{self.name}: {self.steps} 스텝, {self.dtype} (반올림 한계 {self.bound:.0e})"

    def __str__(self) -> str:
        table = [("구현", "기준", "최대 상대 차이")]
        table += [(r.ours, r.reference, r.claim(self.bound)) for r in self.rows]
        widths = [max(_width(row[i]) for row in table) for i in range(3)]
        lines = [self._header()]
        for row in table:
            cells = [_pad(c, w, right=i >= 2) for i, (c, w) in enumerate(zip(row, widths))]
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td><code>{html.escape(r.ours)}</code></td><td><code>{html.escape(r.reference)}</code></td>"
            f"<td>{html.escape(r.claim(self.bound))}</td></tr>"
            for r in self.rows
        )
        return (
            f"<table><caption>{html.escape(self._header())}</caption>"
            "<thead><tr><th>구현</th><th>기준</th><th>최대 상대 차이</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def _width(text: str) -> int:
    """터미널에서의 폭: 한글 같은 전각 문자는 두 칸."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def cross_check(name, *, torch=None, keras=None, steps=1000, dtype="float64", seed=0,
                shapes=DEFAULT_SHAPES) -> CrossCheck:
    """``name`` 옵티마이저를 세 구현으로 같은 그래디언트 열 위에서 돌리고 차이를 잰다.

    Args:
        name: ``torch.optim`` 의 클래스 이름 (``"Adam"``, ``"NAdam"`` ...). Keras 쪽 이름은 자동으로 맞춘다.
        torch: ``torch.optim.<name>`` 과 ``adamlearn.<name>`` 에 줄 하이퍼파라미터 dict.
        keras: ``keras.optimizers.<name>`` 과 ``adamlearn.keras.<name>`` 에 줄 하이퍼파라미터 dict.
            둘 다 None 이면 둘 다 기본값으로 (그 프레임워크에 그 클래스가 있을 때) 돌린다.
        steps, dtype, seed, shapes: 그래디언트 열 (:func:`gradient_sequence`).

    Returns:
        :class:`CrossCheck`. 두 프레임워크를 다 돌리면 ``torch.optim`` 과 ``keras`` 의 차이도 한 줄 붙인다.
    """
    keras_name = KERAS_NAME.get(name, name)
    if torch is None and keras is None:
        torch = {} if hasattr(torch_flavour, name) else None
        keras = {} if hasattr(keras_flavour, keras_name) else None
    params0, grads = gradient_sequence(shapes, steps, dtype, seed)
    rows, trajectories = [], {}
    if torch is not None:
        ours = _run_adamlearn(getattr(torch_flavour, name), torch, params0, grads)
        ref = _run_torch(name, torch, params0, grads)
        rows.append(Row(f"adamlearn.{name}", f"torch.optim.{name}", *_differences(ours, ref)))
        trajectories["torch"] = ref
    if keras is not None:
        ours = _run_adamlearn(getattr(keras_flavour, keras_name), keras, params0, grads)
        ref = _run_keras(keras_name, keras, params0, grads)
        rows.append(Row(f"adamlearn.keras.{keras_name}", f"keras.optimizers.{keras_name}", *_differences(ours, ref)))
        trajectories["keras"] = ref
    if len(trajectories) == 2:
        rows.append(Row(f"torch.optim.{name}", f"keras.optimizers.{keras_name}",
                        *_differences(trajectories["torch"], trajectories["keras"])))
    return CrossCheck(name, steps, str(np.dtype(dtype)), tuple(rows))


def _differences(a, b) -> tuple[float, float]:
    max_abs = max_rel = 0.0
    for pa, pb in zip(a, b):
        diff = max(float(np.max(np.abs(x.astype(np.float64) - y.astype(np.float64)), initial=0.0))
                   for x, y in zip(pa, pb))
        scale = max(float(np.max(np.abs(y), initial=0.0)) for y in pb)
        max_abs = max(max_abs, diff)
        max_rel = max(max_rel, diff / scale if scale > 0 else diff)
    return max_abs, max_rel


def _run_adamlearn(cls, hyper, params0, grads):
    params = [p.copy() for p in params0]
    opt = cls(params, **hyper)
    out = []
    for gs in grads:
        opt.step(gs)
        out.append([p.copy() for p in params])
    return out


@contextlib.contextmanager
def torch_default_dtype(dtype):
    """torch 의 기본 dtype 을 잠시 ``dtype`` 으로 둔다. torch 옵티마이저는 스텝 수와 NAdam 의 모멘텀 곱 같은
    스칼라 상태를 이 dtype 으로 저장하므로, float64 비교에서는 float64 여야 한다."""
    import torch

    old = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, np.dtype(dtype).name))
    try:
        yield
    finally:
        torch.set_default_dtype(old)


def _run_torch(name, hyper, params0, grads):
    import torch

    with torch_default_dtype(params0[0].dtype):
        tensors = [torch.tensor(p, requires_grad=True) for p in params0]
        opt = getattr(torch.optim, name)(tensors, **hyper)
        out = []
        for gs in grads:
            for t, g in zip(tensors, gs):
                t.grad = torch.from_numpy(g.copy())
            opt.step()
            out.append([t.detach().numpy().copy() for t in tensors])
    return out


def import_keras():
    """torch 백엔드의 keras 를 가져온다. 다른 백엔드로 이미 가져왔다면 RuntimeError."""
    if "keras" not in sys.modules:  # 아직 가져오지 않았으면 독자의 KERAS_BACKEND(jax 등)와 상관없이 torch 로
        os.environ["KERAS_BACKEND"] = "torch"
    import keras

    if keras.backend.backend() != "torch":
        raise RuntimeError(
            f"keras was imported with backend {keras.backend.backend()!r}; "
            "set KERAS_BACKEND=torch before importing keras"
        )
    return keras


@contextlib.contextmanager
def keras_floatx(dtype):
    """keras 의 floatx 를 잠시 ``dtype`` 으로 둔다 (학습률 같은 옵티마이저 변수의 dtype)."""
    keras = import_keras()
    old = keras.config.floatx()
    keras.config.set_floatx(np.dtype(dtype).name)
    try:
        yield keras
    finally:
        keras.config.set_floatx(old)


def _run_keras(name, hyper, params0, grads):
    import torch

    dtype = params0[0].dtype
    with keras_floatx(dtype) as keras, warnings.catch_warnings():
        # keras 의 torch Nadam 이 내부에서 np.array(텐서) 를 불러 numpy 2 의 DeprecationWarning 을 낸다.
        # 우리 코드가 아닌 keras 안의 일이므로 이 메시지만 조용히 한다.
        warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept a copy keyword")
        variables = [keras.Variable(torch.from_numpy(p.copy()), dtype=dtype.name) for p in params0]
        opt = getattr(keras.optimizers, name)(**hyper)
        out = []
        for gs in grads:
            opt.apply([torch.from_numpy(g.copy()) for g in gs], variables)
            # v.value 는 torch 텐서다 (v.numpy() 는 numpy 2 에서 DeprecationWarning 을 낸다).
            out.append([v.value.detach().numpy().copy() for v in variables])
    return out
