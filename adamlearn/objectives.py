"""시험용 목적 함수와 실행기. 모든 그래디언트는 해석적으로 계산한다.

- :class:`Rosenbrock`, :class:`Beale`: 최적화 교재의 고전적인 2차원 함수
- :class:`Quadratic`: :math:`\\tfrac12 x^\\top A x`, 조건수가 나쁜(ill-conditioned) 2차 함수
- :class:`ReddiProblem`: Reddi, Kale & Kumar (2018) 의 온라인 문제. Adam 이 최적해의 반대편으로 간다.
- :class:`StochasticReddiProblem`: 같은 논문의 확률적 문제.
- :func:`run`: 옵티마이저를 목적 함수 위에서 돌리고 궤적을 돌려준다 (원하면 상자에 사영).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .trace import Trace


@dataclass(frozen=True)
class Rosenbrock:
    """:math:`f(x, y) = (a - x)^2 + b (y - x^2)^2`, 최솟값 0 at :math:`(a, a^2)`."""

    a: float = 1.0
    b: float = 100.0

    def value(self, x, t=None):
        return (self.a - x[0]) ** 2 + self.b * (x[1] - x[0] ** 2) ** 2

    def grad(self, x, t=None):
        dx = -2 * (self.a - x[0]) - 4 * self.b * x[0] * (x[1] - x[0] ** 2)
        dy = 2 * self.b * (x[1] - x[0] ** 2)
        return np.array([dx, dy], dtype=np.asarray(x).dtype)

    @property
    def minimum(self):
        return np.array([self.a, self.a**2])


@dataclass(frozen=True)
class Beale:
    """:math:`f(x,y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2`, 최솟값 0 at (3, 0.5)."""

    def value(self, x, t=None):
        a, b = x[0], x[1]
        return (1.5 - a + a * b) ** 2 + (2.25 - a + a * b**2) ** 2 + (2.625 - a + a * b**3) ** 2

    def grad(self, x, t=None):
        a, b = x[0], x[1]
        r1, r2, r3 = 1.5 - a + a * b, 2.25 - a + a * b**2, 2.625 - a + a * b**3
        da = 2 * r1 * (b - 1) + 2 * r2 * (b**2 - 1) + 2 * r3 * (b**3 - 1)
        db = 2 * r1 * a + 2 * r2 * (2 * a * b) + 2 * r3 * (3 * a * b**2)
        return np.array([da, db], dtype=np.asarray(x).dtype)

    @property
    def minimum(self):
        return np.array([3.0, 0.5])


@dataclass(frozen=True)
class Quadratic:
    """:math:`f(x) = \\tfrac12 x^\\top A x` (A 는 대칭 양의 정부호), 최솟값 0 at 0."""

    A: np.ndarray = field(default_factory=lambda: np.diag([1.0, 100.0]))

    @classmethod
    def ill_conditioned(cls, condition: float = 100.0, dim: int = 2) -> Quadratic:
        """고윳값이 1 부터 ``condition`` 까지 로그 간격인 대각 행렬: 조건수가 ``condition``."""
        return cls(np.diag(np.geomspace(1.0, condition, dim)))

    def value(self, x, t=None):
        # einsum 으로 쓰면 x 가 (n, ...) 모양의 격자여도 (등고선 그림) 점마다 값을 준다.
        return 0.5 * np.einsum("i...,ij,j...->...", x, self.A, x)

    def grad(self, x, t=None):
        return (self.A @ x).astype(np.asarray(x).dtype)

    @property
    def minimum(self):
        return np.zeros(len(self.A))

    @property
    def condition(self) -> float:
        ev = np.linalg.eigvalsh(self.A)
        return float(ev[-1] / ev[0])


@dataclass(frozen=True)
class ReddiProblem:
    """Reddi, Kale & Kumar (2018) 의 온라인 문제: :math:`t \\bmod T = 1` 이면 :math:`f_t(x) = Cx`, 아니면 :math:`-ax`.

    정의역은 :math:`[-1, 1]`. 기본값(``C=3, period=3, small=1``)은 논문 정리 1의 문제로, 세 스텝의 합이
    :math:`(C-2)x` 이므로 C > 2 이면 최적해는 x = -1 이다. 논문 그림 1의 문제는 ``C=1010, period=101, small=10``
    (101 스텝에 한 번 1010x, 나머지는 -10x; 한 주기의 합은 10x) 이다. 큰 그래디언트 C 는 드물게 오고,
    Adam 의 2차 모멘트가 그 정보를 너무 빨리 잊는다.
    """

    C: float = 3.0
    box: tuple[float, float] = (-1.0, 1.0)
    period: int = 3
    small: float = 1.0

    def __post_init__(self):
        if isinstance(self.period, bool) or not isinstance(self.period, int) or self.period < 2:
            raise ValueError(f"invalid period={self.period!r}: must be an int >= 2")
        if not (self.C > (self.period - 1) * self.small > 0):
            raise ValueError(f"invalid C={self.C!r}, small={self.small!r}, period={self.period!r}: "
                             "need C > (period - 1) * small > 0 so that the optimum is x = -1")

    def value(self, x, t):
        return self.C * x[0] if t % self.period == 1 else -self.small * x[0]

    def grad(self, x, t):
        return np.array([self.C if t % self.period == 1 else -self.small], dtype=np.asarray(x).dtype)

    @property
    def minimum(self):
        return np.array([-1.0])

    def period_gradients(self) -> np.ndarray:
        """한 주기의 그래디언트 :math:`(g_1, \\dots, g_T)`: 첫 스텝이 C, 나머지는 -small (T = ``period``)."""
        return np.array([self.C] + [-self.small] * (self.period - 1), dtype=float)

    def adam_period_drift(self, beta1=0.0, beta2=0.999, eps=0.0) -> float:
        r"""주기적 정상 상태의 Adam 이 한 주기에 움직이는 거리, 학습률 단위: :math:`(x_{t+T} - x_t)/\eta`.

        양수면 x = +1 쪽(틀린 끝)으로, 음수면 최적해 x = -1 쪽으로 간다 (상자 사영은 하지 않는다).
        그래디언트가 x 에 의존하지 않으므로 m_t, s_t 는 주기 T 의 정상 상태로 간다. 한 주기를 마친 뒤의 정상 상태
        :math:`m^* = (1-\beta)\sum_{k=1}^{T}\beta^{T-k} g_k / (1-\beta^T)` (s 는 :math:`g_k^2` 로 같게) 에서
        :func:`adamlearn.functional.adam` 을 한 주기 돌린다. 스텝 번호를 아주 크게 두므로 편향 보정 인자는 1 이다.
        """
        from . import functional as F

        g = self.period_gradients()
        n = len(g)
        ages = np.arange(n - 1, -1, -1)  # g_k 가 한 주기 끝에서 몇 스텝 전의 값인가: T-k

        def steady(beta, values):
            return float((1 - beta) * np.sum(beta**ages * values) / (1 - beta**n))

        x = np.zeros(1)
        state = F.AdamState(10**12, np.array([steady(beta1, g)]), np.array([steady(beta2, g * g)]), None)
        for gk in g:
            x, state = F.adam(x, np.array([gk]), state, lr=1.0, beta1=beta1, beta2=beta2, eps=eps)
        return float(x[0])


@dataclass(frozen=True)
class StochasticReddiProblem:
    """Reddi 등 (2018) 의 확률적 문제: 확률 ``p`` 로 :math:`f_t(x) = Cx`, 확률 :math:`1-p` 로 :math:`-ax`.

    정의역은 :math:`[-1, 1]`. 기본값(``C=1010, p=0.01, small=10``)은 논문 그림 1 가운데 그림의 설정이다.
    기댓값은 :math:`E[f_t(x)] = (pC - (1-p)a)\\,x = 0.2x` 이므로 최적해는 x = -1 이다.
    스텝 t 의 동전은 ``(seed, t)`` 로 정해지므로, 같은 t 에는 몇 번을 물어도 같은 함수가 나온다.
    """

    C: float = 1010.0
    p: float = 0.01
    small: float = 10.0
    seed: int = 0
    box: tuple[float, float] = (-1.0, 1.0)

    def __post_init__(self):
        if not 0 < self.p < 1:
            raise ValueError(f"invalid p={self.p!r}: must be in (0, 1)")
        if not self.p * self.C - (1 - self.p) * self.small > 0:
            raise ValueError(f"invalid C={self.C!r}, p={self.p!r}, small={self.small!r}: "
                             "need p*C - (1-p)*small > 0 so that the optimum is x = -1")

    def _large(self, t) -> bool:
        return bool(np.random.default_rng([self.seed, t]).random() < self.p)

    def value(self, x, t):
        return self.C * x[0] if self._large(t) else -self.small * x[0]

    def grad(self, x, t):
        return np.array([self.C if self._large(t) else -self.small], dtype=np.asarray(x).dtype)

    @property
    def minimum(self):
        return np.array([-1.0])


@dataclass
class Run:
    """:func:`run` 의 결과: ``xs`` 는 (steps+1, n) 궤적, ``values`` 는 f(x_t), ``trace`` 는 중간값 기록."""

    xs: np.ndarray
    values: np.ndarray
    trace: Trace | None

    @property
    def final(self) -> np.ndarray:
        return self.xs[-1]


def run(optimizer, objective, x0, steps, *, box=None, trace=False, **hyperparameters) -> Run:
    """``optimizer([x], **hyperparameters)`` 를 ``objective`` 위에서 ``steps`` 번 돌린다.

    스텝 t (1부터) 의 그래디언트는 ``objective.grad(x, t)`` 다. ``box=(lo, hi)`` 를 주면 스텝마다
    x 를 그 상자에 사영한다 (``np.clip``). ``trace=True`` 면 중간값을 :class:`Trace` 로 모은다.
    """
    x = np.array(x0, dtype=np.float64 if np.asarray(x0).dtype.kind != "f" else np.asarray(x0).dtype)
    opt = optimizer([x], **hyperparameters)
    tr = Trace() if trace else None
    xs, values = [x.copy()], [objective.value(x, 1)]
    for t in range(1, steps + 1):
        opt.step([objective.grad(x, t)], trace=tr)
        if box is not None:
            np.clip(x, box[0], box[1], out=x)
        xs.append(x.copy())
        values.append(objective.value(x, t + 1))
    return Run(np.array(xs), np.array(values, dtype=float), tr)
