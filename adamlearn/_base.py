"""옵티마이저 클래스의 공통 껍데기: 입력 검사, 상태 보관, ``step``, ``state_dict``.

알고리즘은 여기 없다. 클래스마다 :mod:`adamlearn.functional` 의 순수 함수 하나를 가리키고,
사용자 쪽 이름(PyTorch 의 ``betas``, Keras 의 ``beta_1`` ...)을 그 함수의 키워드로 옮기기만 한다.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


# --------------------------------------------------------------------------- validators
def nonnegative(name, value):
    """값이 0 이상의 유한한 실수인지 검사한다."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"invalid {name}={value!r}: must be a finite number >= 0")


def unit_interval(name, value):
    """값이 [0, 1) 안의 실수인지 검사한다 (감쇠율 beta, rho, alpha)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"invalid {name}={value!r}: must be in [0, 1)")


def closed_unit_interval(name, value):
    """값이 [0, 1] 안의 실수인지 검사한다 (모멘텀, dampening)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"invalid {name}={value!r}: must be in [0, 1]")


def boolean(name, value):
    """값이 bool 인지 검사한다."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"invalid {name}={value!r}: must be True or False")


def beta_pair(name, value):
    """PyTorch 의 ``betas=(beta1, beta2)``: 두 값 모두 [0, 1)."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        raise ValueError(f"invalid {name}={value!r}: must be a pair (beta1, beta2)")
    for i, b in enumerate(value):
        try:
            unit_interval(f"{name}[{i}]", b)
        except ValueError as err:
            raise ValueError(f"invalid {name}={value!r}: {name}[{i}]={b!r} must be in [0, 1)") from err


def optional_nonnegative(name, value):
    """None 이거나 0 이상 (Keras 의 ``weight_decay=None``)."""
    if value is not None:
        nonnegative(name, value)


# --------------------------------------------------------------------------- base class
class Optimizer:
    """``Cls(params, **hyperparameters)``; ``step(grads)`` 가 params 배열을 제자리에서 바꾼다.

    하이퍼파라미터는 ``opt.hyper`` (dict) 에 있다. 학습 도중 학습률을 바꾸려면
    ``opt.hyper["lr"] = 0.01`` (Keras 형식은 ``opt.hyper["learning_rate"]``) 로 쓴다. torch 의
    ``opt.param_groups[0]["lr"]`` 에 해당하며, 다음 ``step`` 이 값을 다시 검사한다.

    하위 클래스가 정하는 것:

    - ``defaults``: 사용자 쪽 하이퍼파라미터 이름과 기본값 (프레임워크와 같은 이름, 같은 기본값)
    - ``checks``: 이름 -> 검사 함수
    - ``_init(param, hyper)`` / ``_update`` (functional 의 순수 함수) / ``_core_kwargs(hyper)``
    """

    defaults: Mapping[str, object] = {}
    checks: Mapping[str, Callable[[str, object], None]] = {}
    framework: str = ""  # "torch" 또는 "keras": 같은 이름의 기준 구현이 있는 곳
    reference: str = ""  # 기준 클래스의 이름, 예: "Adam"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # 클래스 수준의 기본값을 읽기 전용으로: 한 인스턴스가 바꿔도 다른 인스턴스에 번지지 않게.
        cls.defaults = MappingProxyType(dict(cls.defaults))
        cls.checks = MappingProxyType(dict(cls.checks))

    def __init__(self, params, **hyper):
        unknown = sorted(set(hyper) - set(self.defaults))
        if unknown:
            raise TypeError(
                f"{type(self).__name__} got unexpected hyperparameter(s) {unknown}; "
                f"accepted: {sorted(self.defaults)}"
            )
        merged = {**self.defaults, **hyper}
        self._validate_hyper(merged)
        self.params = _check_params(params)
        self.hyper = merged
        self.state = [self._init(p, merged) for p in self.params]

    # -- hooks -------------------------------------------------------------
    @staticmethod
    def _update(param, grad, state, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError

    def _init(self, param, hyper):  # pragma: no cover - abstract
        raise NotImplementedError

    def _core_kwargs(self, hyper) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _extra_checks(self, hyper) -> None:
        """하이퍼파라미터 사이의 조건 (예: nesterov 는 momentum > 0 을 요구)."""

    # -- public API --------------------------------------------------------
    def step(self, grads, trace=None):
        """그래디언트 목록으로 한 스텝 움직인다. 잘못된 입력이면 아무 배열도 바꾸지 않고 예외를 낸다."""
        self._validate_hyper(self.hyper)
        grads = _check_grads(grads, self.params)
        kwargs = self._core_kwargs(self.hyper)
        tapes = [{} if trace is not None else None for _ in self.params]
        results = [
            self._update(p, g, s, tape=tape, **kwargs)
            for p, g, s, tape in zip(self.params, grads, self.state, tapes)
        ]
        # 모든 계산이 끝난 뒤에만 적용한다: 중간에 실패해도 params 는 그대로다.
        for p, (new_p, new_s), i in zip(self.params, results, range(len(results))):
            p[...] = new_p
            self.state[i] = new_s
        if trace is not None:
            trace.append(tapes)

    @property
    def t(self) -> int:
        """지금까지 밟은 스텝 수."""
        return self.state[0].t if self.state else 0

    def state_dict(self) -> dict:
        """하이퍼파라미터와 상태의 깊은 복사본. ``load_state_dict`` 로 되돌리면 이어서 학습할 수 있다."""
        return {
            "optimizer": type(self).__name__,
            "hyper": copy.deepcopy(self.hyper),
            "state": [{k: copy.deepcopy(v) for k, v in s._asdict().items()} for s in self.state],
        }

    def load_state_dict(self, state_dict) -> None:
        """``state_dict`` 가 만든 dict 를 읽어 들인다. 모양이 맞지 않으면 아무것도 바꾸지 않고 ValueError."""
        name = state_dict.get("optimizer")
        if name != type(self).__name__:
            raise ValueError(f"invalid state_dict: optimizer={name!r}, expected {type(self).__name__!r}")
        hyper = copy.deepcopy(dict(state_dict["hyper"]))
        self._validate_hyper(hyper)
        states = state_dict["state"]
        if len(states) != len(self.params):
            raise ValueError(
                f"invalid state_dict: {len(states)} parameter states for {len(self.params)} params"
            )
        state_type = type(self.state[0]) if self.state else None
        new_states = []
        for i, (p, s) in enumerate(zip(self.params, states)):
            fields = {k: copy.deepcopy(v) for k, v in s.items()}
            for k, v in fields.items():
                if isinstance(v, np.ndarray) and (v.shape != p.shape or v.dtype != p.dtype):
                    raise ValueError(
                        f"invalid state_dict: state[{i}][{k!r}] has shape {v.shape} dtype {v.dtype}, "
                        f"params[{i}] has shape {p.shape} dtype {p.dtype}"
                    )
            new_states.append(state_type(**fields))
        self.hyper = hyper
        self.state = new_states

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        return f"{type(self).__module__}.{type(self).__name__}({args})"

    # -- internals ---------------------------------------------------------
    def _validate_hyper(self, hyper) -> None:
        for name, check in self.checks.items():
            check(name, hyper[name])
        self._extra_checks(hyper)


def _check_params(params) -> list[np.ndarray]:
    if isinstance(params, np.ndarray):
        raise TypeError("params must be a list of numpy arrays, not a single array; wrap it: [x]")
    params = list(params)
    if not params:
        raise ValueError("params is an empty list")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray):
            raise TypeError(f"params[{i}] is {type(p).__name__}, expected a numpy float array")
        if p.dtype not in FLOAT_DTYPES:
            raise TypeError(
                f"params[{i}] has dtype {p.dtype}; expected float32 or float64 "
                "(the update is written into the array in place)"
            )
        if not p.flags.writeable:
            raise ValueError(f"params[{i}] is read-only; the update is written into it in place")
    return params


def _check_grads(grads, params) -> list[np.ndarray]:
    if isinstance(grads, np.ndarray):
        raise TypeError("grads must be a list of arrays (one per parameter), not a single array")
    grads = list(grads)
    if len(grads) != len(params):
        raise ValueError(f"invalid grads: got {len(grads)} gradients for {len(params)} params")
    out = []
    for i, (g, p) in enumerate(zip(grads, params)):
        g = np.asarray(g)
        if g.shape != p.shape:
            raise ValueError(f"invalid grads[{i}]: shape {g.shape} does not match params[{i}] shape {p.shape}")
        if g.dtype != p.dtype:
            raise TypeError(f"invalid grads[{i}]: dtype {g.dtype} does not match params[{i}] dtype {p.dtype}")
        if not np.all(np.isfinite(g)):
            bad = g[~np.isfinite(g)].ravel()[0]
            raise ValueError(f"invalid grads[{i}]: contains non-finite value {bad!r} (NaN or inf)")
        out.append(g)
    return out
