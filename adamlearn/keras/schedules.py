"""Keras 형식 학습률 스케줄: ``keras.optimizers.schedules`` (Keras 3) 와 같은 이름, 같은 인자, 같은 식.

스케줄은 스텝 수 하나를 받아 학습률 하나(파이썬 float)를 돌려주는 객체다. Keras 형식 옵티마이저
(:mod:`adamlearn.keras`)에 ``learning_rate=`` 로 주면, 옵티마이저는 스텝마다 Keras 처럼
**이번 스텝 전에 끝난 스텝 수** (``optimizer._iterations``: 첫 스텝에서 0) 로 스케줄을 부른다
(keras/src/optimizers/base_optimizer.py, ``_get_current_learning_rate``: ``self._learning_rate(self._iterations)``;
``apply`` 는 ``_iterations.assign_add(1)`` 을 업데이트가 끝난 뒤에 한다).

식은 keras/src/optimizers/schedules/learning_rate_schedule.py 의 ``__call__`` 을 연산 하나하나, 같은 순서로
옮긴 것이다. Keras 는 이 연산을 ``initial_learning_rate`` 를 텐서로 바꾼 dtype, 즉 ``keras.config.floatx()``
(기본 float32) 로 하고, 여기서는 float64 (파이썬 float) 로 한다. 그래서 floatx 가 float64 이면 같은 값이고,
float32 이면 Keras 의 학습률은 이 값을 float32 로 반올림한 것에 가깝다.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["CosineDecay", "ExponentialDecay", "LearningRateSchedule", "PiecewiseConstantDecay", "PolynomialDecay"]


def _real(name, value, *, positive=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"invalid {name}={value!r}: must be a finite number")
    if positive and value <= 0:
        # Keras 와 같은 문장 (learning_rate_schedule.py, decay_steps 검사)
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value!r}")
    return value


def _nonnegative_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"invalid {name}={value!r}: must be an int >= 0")
    return int(value)


def _boolean(name, value):
    if not isinstance(value, bool):
        raise TypeError(f"invalid {name}={value!r}: must be True or False")
    return value


def _step(step) -> float:
    """옵티마이저의 스텝 수 (0 이상의 정수) 를 float 로 (Keras: ``ops.cast(step, dtype)``)."""
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
        raise ValueError(f"invalid step={step!r}: a schedule takes the optimizer's iteration count, an int >= 0")
    return float(step)


class LearningRateSchedule:
    """학습률 스케줄의 바탕 클래스 (``keras.optimizers.schedules.LearningRateSchedule``).

    하위 클래스는 ``__call__(step) -> float`` 와 ``get_config() -> dict`` 를 정한다.
    ``cls.from_config(schedule.get_config())`` 는 같은 스케줄을 만든다.
    """

    def __call__(self, step):  # pragma: no cover - abstract
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`.")

    def get_config(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()`.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"adamlearn.keras.schedules.{type(self).__name__}({args})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()

    __hash__ = None  # 설정이 같으면 같다 (state_dict 를 되돌린 뒤 비교할 수 있게)


class ExponentialDecay(LearningRateSchedule):
    r"""지수 감쇠: :math:`\eta_0 \cdot r^{\,s/S}` (``staircase`` 면 지수를 내림 :math:`\lfloor s/S \rfloor`).

    Args:
        initial_learning_rate (float): :math:`\eta_0`
        decay_steps (int): :math:`S` > 0
        decay_rate (float): :math:`r`
        staircase (bool, optional): (default: False)
        name (str, optional): (default: "ExponentialDecay")
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        self.initial_learning_rate = _real("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _real("decay_steps", decay_steps, positive=True)
        self.decay_rate = _real("decay_rate", decay_rate)
        self.staircase = _boolean("staircase", staircase)
        self.name = name

    def __call__(self, step):
        p = _step(step) / float(self.decay_steps)
        if self.staircase:
            p = math.floor(p)
        return float(self.initial_learning_rate) * float(self.decay_rate) ** p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    r"""구간마다 상수: ``values[0]`` (:math:`s \le b_0`), ``values[i]`` (:math:`b_{i-1} < s \le b_i`),
    ``values[-1]`` (:math:`s > b_{-1}`).

    Args:
        boundaries (list[int]): 순증가하는 스텝 수 (Keras 는 경계를 스텝의 정수 dtype 으로 바꾼다)
        values (list[float]): ``len(boundaries) + 1`` 개의 학습률
        name (str, optional): (default: "PiecewiseConstant")
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of values. "
                             f"Received: boundaries={boundaries} of length {len(boundaries)}, and values={values} "
                             f"of length {len(values)}.")
        for i, b in enumerate(boundaries):
            if isinstance(b, bool) or not isinstance(b, numbers.Integral):
                raise ValueError(f"invalid boundaries[{i}]={b!r}: boundaries are step counts (ints)")
            if i and b <= boundaries[i - 1]:
                raise ValueError(f"invalid boundaries={boundaries!r}: must be strictly increasing")
        for i, v in enumerate(values):
            _real(f"values[{i}]", v)
        self.boundaries = [int(b) for b in boundaries]
        self.values = values
        self.name = name

    def __call__(self, step):
        s = int(_step(step))
        b, v = self.boundaries, [float(x) for x in self.values]
        # Keras 는 구간마다 (조건을 0/1 로 바꾼 값) * 값 을 0 에 더한다: 값이 유한하면 고른 값과 정확히 같다.
        if s <= b[0]:
            return v[0]
        if s > b[-1]:
            return v[-1]
        for low, high, value in zip(b[:-1], b[1:], v[1:-1]):
            if low < s <= high:
                return value
        raise AssertionError("unreachable: the boundaries are strictly increasing")  # pragma: no cover

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    r"""다항식 감쇠: :math:`(\eta_0-\eta_{end})(1 - s/S)^{p} + \eta_{end}`, :math:`s \leftarrow \min(s, S)`.

    ``cycle=True`` 면 :math:`s` 를 자르지 않고 :math:`S` 를 :math:`s` 이상인 가장 작은 :math:`S` 의 배수로
    (:math:`s = 0` 이면 :math:`S`) 바꾼다.

    Args:
        initial_learning_rate (float): :math:`\eta_0`
        decay_steps (int): :math:`S` > 0
        end_learning_rate (float, optional): :math:`\eta_{end}` (default: 0.0001)
        power (float, optional): :math:`p` (default: 1.0)
        cycle (bool, optional): (default: False)
        name (str, optional): (default: "PolynomialDecay")
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        self.initial_learning_rate = _real("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _real("decay_steps", decay_steps, positive=True)
        self.end_learning_rate = _real("end_learning_rate", end_learning_rate)
        self.power = _real("power", power)
        self.cycle = _boolean("cycle", cycle)
        self.name = name

    def __call__(self, step):
        s = _step(step)
        initial, end = float(self.initial_learning_rate), float(self.end_learning_rate)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            multiplier = 1.0 if s == 0 else math.ceil(s / self.decay_steps)
            decay_steps = decay_steps * multiplier
        else:
            s = min(s, decay_steps)
        p = s / decay_steps
        return (initial - end) * (1 - p) ** float(self.power) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class CosineDecay(LearningRateSchedule):
    r"""코사인 감쇠, 선형 워밍업(warmup) 선택.

    워밍업 (``warmup_target`` 이 있고 :math:`s < W`): :math:`(\eta_{w} - \eta_0)\, s/W + \eta_0`.
    그 뒤: :math:`\eta_{top}\left[(1-\alpha)\tfrac12\left(1+\cos\tfrac{\pi\,\min(s', S)}{S}\right) + \alpha\right]`,
    여기서 :math:`s' = s - W`, :math:`\eta_{top}` 은 ``warmup_target`` (없으면 :math:`\eta_0`, :math:`W = 0`).
    Keras 처럼 :math:`s` 를 먼저 :math:`S + W` 로 자른다.

    Args:
        initial_learning_rate (float): :math:`\eta_0`
        decay_steps (int): :math:`S` > 0
        alpha (float, optional): 마지막 학습률의 비율 :math:`\alpha` (default: 0.0)
        name (str, optional): (default: "CosineDecay")
        warmup_target (float | None, optional): :math:`\eta_w` (default: None, 워밍업 없음)
        warmup_steps (int, optional): :math:`W` (default: 0)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        self.initial_learning_rate = _real("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _real("decay_steps", decay_steps, positive=True)
        self.alpha = _real("alpha", alpha)
        self.name = name
        self.warmup_steps = _nonnegative_int("warmup_steps", warmup_steps)
        self.warmup_target = None if warmup_target is None else _real("warmup_target", warmup_target)

    def _decay_function(self, step, decay_steps, decay_from_lr):
        completed_fraction = step / decay_steps
        cosine_decayed = 0.5 * (1.0 + math.cos(math.pi * completed_fraction))
        decayed = (1 - self.alpha) * cosine_decayed + self.alpha
        return decay_from_lr * decayed

    def __call__(self, step):
        s = _step(step)
        initial = float(self.initial_learning_rate)
        decay_steps = float(self.decay_steps)
        if self.warmup_target is None:
            return self._decay_function(min(s, decay_steps), decay_steps, initial)
        warmup_target, warmup_steps = float(self.warmup_target), float(self.warmup_steps)
        s = min(s, decay_steps + warmup_steps)
        if s < warmup_steps:
            return (warmup_target - initial) * (s / warmup_steps) + initial
        return self._decay_function(s - warmup_steps, decay_steps, warmup_target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}
