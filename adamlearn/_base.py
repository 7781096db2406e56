"""옵티마이저 클래스의 공통 껍데기: 입력 검사, 상태 보관, ``step``, ``state_dict``.

알고리즘은 여기 없다. 클래스마다 :mod:`adamlearn.functional` 의 순수 함수 하나를 가리키고,
사용자 쪽 이름(PyTorch 의 ``betas``, Keras 의 ``beta_1`` ...)을 그 함수의 키워드로 옮기기만 한다.

잘못된 입력은 무엇이든 아무것도 바꾸기 전에 거절한다: 생성자는 파라미터를, ``step`` 은 그래디언트와
계산 결과(NaN, inf)를, ``load_state_dict`` 는 dict 전체를 먼저 검사하고 나서야 쓴다.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from types import MappingProxyType

import numpy as np
from numpy.lib.array_utils import byte_bounds

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))

# 두 파라미터의 겹침을 정확히 가릴 때 np.shares_memory 에 주는 노력 한도 (고려할 후보 해의 수).
# 같은 배열, 이어진 조각, 엇갈린 뷰(a[::2], a[1::2])는 몇 번 만에 결론이 나고, 한도는 일부러 만든
# 병적인 as_strided 뷰에서만 닿는다. 그때는 겹친다고 보고 거절한다 (조용히 덮어쓰는 것보다 낫다).
OVERLAP_MAX_WORK = 100_000

# functional 의 상태 중 g*g 를 쌓는 필드: 이 필드가 inf 가 되면 원인은 g*g 의 오버플로다.
SQUARED_GRAD_FIELDS = ("s", "s_max", "sum")

STATE_DICT_KEYS = ("optimizer", "framework", "hyper", "state")


# --------------------------------------------------------------------------- validators
def _finite(value) -> bool:
    """float 로서 유한한가: NaN, inf 와 float 로 바꿀 수 없이 큰 int (10**400) 는 아니다."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def nonnegative(name, value):
    """값이 0 이상의 유한한 실수인지 검사한다."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value) or value < 0:
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


def plain(value):
    """numpy 스칼라(와 Fraction 같은 실수)를 같은 값의 파이썬 bool/int/float 로, 시퀀스는 그 튜플로 바꾼다.

    NEP 50: 파이썬 float 는 배열의 dtype 을 따르지만 ``np.float64(0.9)`` 는 float32 배열을 float64 로
    올린다. 하이퍼파라미터를 이렇게 바꿔 넘기면 상태는 늘 파라미터의 dtype 이다. 파이썬 수는 그대로 돌려주므로
    파이썬 수로 준 하이퍼파라미터의 결과는 전과 비트 단위로 같다.
    """
    if type(value) in (bool, int, float) or value is None:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (tuple, list)):
        return tuple(plain(v) for v in value)
    return value


# --------------------------------------------------------------------------- parameter groups
# 그룹 dict 에서 하이퍼파라미터가 아닌 키: 배열 목록과, torch 의 스케줄러가 그룹에 적어 두는 시작 학습률
# (torch/optim/lr_scheduler.py, LRScheduler.__init__ 의 ``group.setdefault("initial_lr", ...)``).
PARAMS_KEY = "params"
GROUP_EXTRA_KEYS = ("initial_lr",)
_NOT_HYPER = frozenset((PARAMS_KEY, *GROUP_EXTRA_KEYS))

STATE_DICT_GROUPS_KEYS = ("optimizer", "framework", "param_groups", "state")


class HyperView(MutableMapping):
    """``opt.hyper``: 첫 파라미터 그룹 ``opt.param_groups[0]`` 의 하이퍼파라미터를 그대로 보여 주는 창.

    dict 처럼 읽고 쓰며, 쓰면 그룹 dict 가 바로 바뀐다 (``opt.hyper["lr"] = 0.01`` 은
    ``opt.param_groups[0]["lr"] = 0.01`` 과 같다). ``"params"`` 와 스케줄러의 ``"initial_lr"`` 는 보이지 않는다.
    """

    __slots__ = ("_opt",)

    def __init__(self, opt):
        self._opt = opt

    def _group(self) -> dict:
        return self._opt.param_groups[0]

    def _key(self, key):
        if key in _NOT_HYPER:
            raise KeyError(f"{key!r} is not a hyperparameter; use opt.param_groups[0][{key!r}]")
        return key

    def __getitem__(self, key):
        return self._group()[self._key(key)]

    def __setitem__(self, key, value):
        self._group()[self._key(key)] = value

    def __delitem__(self, key):
        del self._group()[self._key(key)]

    def __iter__(self):
        return (k for k in list(self._group()) if k not in _NOT_HYPER)

    def __len__(self):
        return sum(1 for _ in self)

    def copy(self) -> dict:
        return dict(self)

    def __repr__(self) -> str:
        return repr(dict(self))


# --------------------------------------------------------------------------- base class
class Optimizer:
    """``Cls(params, **hyperparameters)``; ``step(grads)`` 가 params 배열을 제자리에서 바꾼다.

    하이퍼파라미터는 파라미터 그룹마다 ``opt.param_groups`` (dict 의 목록; 각 dict 에 ``"params"`` 와
    하이퍼파라미터) 에 있다. ``opt.hyper`` 는 첫 그룹 ``opt.param_groups[0]`` 의 하이퍼파라미터를 보여 주는
    살아 있는 창(dict 처럼 쓴다)이다. 학습 도중 학습률을 바꾸려면 ``opt.hyper["lr"] = 0.01``
    (Keras 형식은 ``opt.hyper["learning_rate"]``) 이나 torch 처럼 ``opt.param_groups[0]["lr"] = 0.01`` 로 쓴다.
    다음 ``step`` 이 값을 다시 검사한다.

    PyTorch 형식(``_param_groups_api = True``)은 torch 처럼 ``params`` 에 그룹 dict 의 목록
    ``[{"params": [w1, w2], "weight_decay": 0.01}, {"params": [b], "weight_decay": 0.0}]`` 을 받는다. 그룹에 없는
    키는 생성자의 하이퍼파라미터로 채운다. ``add_param_group`` 으로 그룹을 더할 수 있고, ``step`` 의 그래디언트
    목록에서 ``None`` 인 파라미터는 건너뛴다 (torch 의 ``p.grad is None``: 그 상태와 스텝 수는 그대로다).

    ``opt.params`` 는 모든 그룹의 배열을 그룹 순서대로 이은 목록이고, ``opt.state[i]`` 와 ``grads[i]`` 는
    ``opt.params[i]`` 의 것이다 (torch 의 ``state_dict`` 가 파라미터에 매기는 번호와 같은 순서).

    하위 클래스가 정하는 것:

    - ``defaults``: 사용자 쪽 하이퍼파라미터 이름과 기본값 (프레임워크와 같은 이름, 같은 기본값)
    - ``checks``: 이름 -> 검사 함수
    - ``_init(param, hyper)`` / ``_update`` (functional 의 순수 함수) / ``_core_kwargs(hyper)``
    """

    defaults: Mapping[str, object] = {}
    checks: Mapping[str, Callable[[str, object], None]] = {}
    framework: str = ""  # "torch" 또는 "keras": 같은 이름의 기준 구현이 있는 곳
    reference: str = ""  # 기준 클래스의 이름, 예: "Adam"
    # torch 형식의 파라미터 그룹 API: 그룹 dict, add_param_group, None 그래디언트 건너뛰기, 처음 움직이는 파라미터의
    # 상태를 그때의 하이퍼파라미터로 만들기 (torch 는 상태를 첫 그래디언트에서 만든다). Keras 에는 그룹이 없다.
    _param_groups_api: bool = False

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
        merged = {k: plain(v) for k, v in merged.items()}
        self._group_defaults = merged  # 그룹 dict 에 없는 키의 값 (torch 의 ``optimizer.defaults``)
        groups = self._new_groups(params)
        self.param_groups: list[dict] = groups
        self.params: list[np.ndarray] = [p for g in groups for p in g[PARAMS_KEY]]
        self.state = [self._init(p, self._group_hyper(g)) for g in groups for p in g[PARAMS_KEY]]

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

    def _lazy_fields(self, hyper) -> frozenset:
        """``_init`` 에서는 None 이고 첫 스텝에 배열이 되는 상태 필드 (torch SGD 의 모멘텀 버퍼)."""
        return frozenset()

    # -- public API --------------------------------------------------------
    @property
    def hyper(self) -> HyperView:
        """첫 파라미터 그룹의 하이퍼파라미터 (살아 있는 창: 쓰면 ``param_groups[0]`` 이 바뀐다)."""
        return HyperView(self)

    @hyper.setter
    def hyper(self, value) -> None:
        group = self.param_groups[0]
        kept = {k: group[k] for k in group if k in _NOT_HYPER}
        group.clear()
        group.update(kept)
        group.update(value)

    def step(self, grads, trace=None):
        """그래디언트 목록으로 한 스텝 움직인다. ``grads[i]`` 는 ``opt.params[i]`` 의 그래디언트다.

        PyTorch 형식에서는 ``grads[i]`` 가 ``None`` 이면 그 파라미터를 건너뛴다: 배열도 상태(스텝 수 포함)도
        그대로다 (torch 가 ``p.grad is None`` 인 파라미터를 건너뛰는 것과 같다).

        잘못된 입력(그래디언트, 하이퍼파라미터, 읽기 전용이 된 파라미터)이나 결과가 유한하지 않은 스텝
        (g*g 의 오버플로, eps=0 에서 0/0)이면 아무 배열도 바꾸지 않고 예외를 낸다. 옵티마이저는 그대로 쓸 수 있다.
        """
        hypers = self._validate_groups()
        _check_live_params(self.params, self.state)
        grads = _check_grads(grads, self.params, allow_none=self._param_groups_api)
        owner = [j for j, g in enumerate(self.param_groups) for _ in g[PARAMS_KEY]]
        states = self._states_for_step(hypers, owner, grads)
        kwargs = [self._core_kwargs(h) for h in hypers]
        tapes = [{} if trace is not None else None for _ in self.params]
        with np.errstate(all="ignore"):  # 오버플로는 경고 대신 아래의 검사가 ValueError 로 알린다
            results = [
                None if g is None else self._update(p, g, s, tape=tape, **kwargs[j])
                for p, g, s, tape, j in zip(self.params, grads, states, tapes, owner)
            ]
        for i, (g, r) in enumerate(zip(grads, results)):
            if r is None:
                continue
            bad = _nonfinite(i, *r)
            if bad:
                raise self._nonfinite_error(i, g, bad, kwargs[owner[i]], states[i])
        # 모든 계산과 검사가 끝난 뒤에만 적용한다: 실패하면 params 와 상태는 그대로다.
        for i, (p, r) in enumerate(zip(self.params, results)):
            if r is not None:
                p[...] = r[0]
                self.state[i] = r[1]
        if trace is not None:
            trace.append(tapes)

    def add_param_group(self, param_group) -> None:
        """파라미터 그룹 하나를 더한다 (``torch.optim.Optimizer.add_param_group``).

        ``param_group`` 은 ``{"params": [...], "lr": ...}`` 꼴의 dict 다. 없는 키는 생성자의 하이퍼파라미터로 채운다.
        이미 있는 파라미터, 모르는 키, 잘못된 값이면 아무것도 바꾸지 않고 예외를 낸다.
        """
        if not self._param_groups_api:
            raise TypeError(f"{type(self).__name__} ({self.framework} flavour) has no parameter groups")
        group = self._new_group(param_group, f"param_groups[{len(self.param_groups)}]")
        labels = [*_group_labels(self.param_groups), *_group_labels([group], start=len(self.param_groups))]
        new_params = [*self.params, *group[PARAMS_KEY]]
        _check_not_in_two_groups([*self.param_groups, group], labels)
        _check_disjoint(new_params, labels)
        new_states = [self._init(p, self._group_hyper(group)) for p in group[PARAMS_KEY]]
        self.param_groups.append(group)
        self.params.extend(group[PARAMS_KEY])
        self.state.extend(new_states)

    @property
    def t(self) -> int:
        """지금까지 밟은 스텝 수 (그래디언트가 빠진 파라미터가 있으면 가장 많이 움직인 파라미터의 스텝 수)."""
        return max(s.t for s in self.state) if self.state else 0

    def state_dict(self) -> dict:
        """하이퍼파라미터와 상태의 깊은 복사본. ``load_state_dict`` 로 되돌리면 이어서 학습할 수 있다.

        그룹이 하나이고 그 그룹에 하이퍼파라미터만 있으면 예전과 같은 꼴
        ``{"optimizer", "framework", "hyper", "state"}`` 이다. 그룹이 여럿이거나 스케줄러의 ``initial_lr`` 가
        있으면 ``"hyper"`` 대신 torch 처럼 ``"param_groups"`` (그룹마다 하이퍼파라미터와 ``"params"``: 그 그룹에
        속한 파라미터의 번호) 가 들어간다. ``"state"`` 는 두 꼴 모두 파라미터마다 dict 하나의 목록이다.
        """
        head = {"optimizer": type(self).__name__, "framework": self.framework}
        states = [{k: copy.deepcopy(v) for k, v in s._asdict().items()} for s in self.state]
        groups = self.param_groups
        if len(groups) == 1 and not any(k in groups[0] for k in GROUP_EXTRA_KEYS):
            return {**head, "hyper": {k: copy.deepcopy(plain(v)) for k, v in self.hyper.items()}, "state": states}
        out, start = [], 0
        for g in groups:
            n = len(g[PARAMS_KEY])
            out.append({PARAMS_KEY: list(range(start, start + n)),
                        **{k: copy.deepcopy(plain(v)) for k, v in g.items() if k != PARAMS_KEY}})
            start += n
        return {**head, "param_groups": out, "state": states}

    def load_state_dict(self, state_dict) -> None:
        """``state_dict`` 가 만든 dict 를 읽어 들인다.

        dict 전체(이름, 그룹마다의 하이퍼파라미터와 파라미터 번호, 파라미터마다의 필드와 배열의 모양, dtype,
        유한성, 스텝 수)를 먼저 검사하고, 하나라도 틀리면 아무것도 바꾸지 않고 ValueError (타입이 틀리면
        TypeError) 를 낸다. 배열은 복사해서 쓴다. torch 처럼 그룹 dict 는 파일의 것으로 바뀌고 배열만 그대로다.
        """
        try:
            groups, states = self._read_state_dict(state_dict)
        except (TypeError, ValueError) as err:
            raise type(err)(f"invalid state_dict: {err}") from None
        self.param_groups[:] = [{PARAMS_KEY: old[PARAMS_KEY], **new} for old, new in zip(self.param_groups, groups)]
        self.state = states

    def __repr__(self) -> str:
        if len(self.param_groups) == 1:
            args = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        else:
            args = "param_groups=[" + ", ".join(
                "{" + ", ".join([f"'params': <{len(g[PARAMS_KEY])} arrays>",
                                 *(f"{k!r}: {v!r}" for k, v in g.items() if k != PARAMS_KEY)]) + "}"
                for g in self.param_groups) + "]"
        return f"{type(self).__module__}.{type(self).__name__}({args})"

    # -- internals ---------------------------------------------------------
    def _validate_hyper(self, hyper, what="hyper") -> None:
        if not isinstance(hyper, Mapping):
            raise TypeError(f"{what} is {type(hyper).__name__}, expected a dict")
        _expect_keys(what, hyper, self.defaults)
        for name, check in self.checks.items():
            check(name, hyper[name])
        self._extra_checks(hyper)

    @staticmethod
    def _group_hyper(group) -> dict:
        return {k: plain(v) for k, v in group.items() if k not in _NOT_HYPER}

    def _new_groups(self, params) -> list[dict]:
        """생성자의 ``params``: 배열의 목록 (그룹 하나) 이나 그룹 dict 의 목록."""
        if isinstance(params, np.ndarray):
            raise TypeError("params must be a list of numpy arrays, not a single array; wrap it: [x]")
        if isinstance(params, Mapping):
            raise TypeError("params is a dict; pass a list of parameter groups: [{'params': [...], ...}]")
        params = list(params)
        if not params:
            raise ValueError("params is an empty list")
        if not any(isinstance(p, Mapping) for p in params):
            group = {PARAMS_KEY: _check_params(params), **self._group_defaults}
            return [group]
        if not self._param_groups_api:
            raise TypeError(f"{type(self).__name__} ({self.framework} flavour) takes a list of arrays; "
                            "parameter groups (dicts) are a torch-flavour feature")
        for i, p in enumerate(params):
            if not isinstance(p, Mapping):
                raise TypeError(f"params[{i}] is {type(p).__name__}, but params[0] is a dict: pass either a list "
                                "of arrays or a list of parameter groups, not both")
        groups = [self._new_group(g, f"param_groups[{j}]") for j, g in enumerate(params)]
        labels = _group_labels(groups)
        _check_not_in_two_groups(groups, labels)
        _check_disjoint([p for g in groups for p in g[PARAMS_KEY]], labels)
        return groups

    def _new_group(self, spec, where) -> dict:
        """그룹 dict 하나를 검사해 새 dict 로: 없는 키는 생성자의 하이퍼파라미터로 채운다 (torch 의 add_param_group)."""
        if not isinstance(spec, Mapping):
            raise TypeError(f"{where} is {type(spec).__name__}, expected a dict with a 'params' key")
        if PARAMS_KEY not in spec:
            raise ValueError(f"{where} has no 'params' key; keys: {sorted(map(str, spec))}")
        unknown = sorted(repr(k) for k in spec if k not in self.defaults and k not in _NOT_HYPER)
        if unknown:
            raise ValueError(f"{where} has unexpected key(s) [{', '.join(unknown)}]; accepted: "
                             f"{[PARAMS_KEY, *self.defaults, *GROUP_EXTRA_KEYS]}")
        arrays = spec[PARAMS_KEY]
        if isinstance(arrays, np.ndarray):
            arrays = [arrays]
        elif isinstance(arrays, (set, frozenset, Mapping)):
            raise TypeError(f"{where}['params'] is a {type(arrays).__name__}; use a list (the order of a set "
                            "changes between runs)")
        arrays = list(arrays)
        if not arrays:
            raise ValueError(f"{where}['params'] is an empty list")
        arrays = _check_params(arrays, f"{where}['params']")
        hyper = {**self._group_defaults, **{k: v for k, v in spec.items() if k not in _NOT_HYPER}}
        try:
            self._validate_hyper(hyper)
        except (TypeError, ValueError) as err:
            raise type(err)(f"{where}: {err}") from None
        extras = {k: plain(spec[k]) for k in GROUP_EXTRA_KEYS if k in spec}
        for k, v in extras.items():
            _check_extra(f"{where}[{k!r}]", v)
        return {PARAMS_KEY: arrays, **{k: plain(v) for k, v in hyper.items()}, **extras}

    def _validate_groups(self) -> list[dict]:
        """``step`` 직전: 그룹의 구조(배열 목록이 생성 때와 같은가)와 그룹마다의 하이퍼파라미터를 검사한다.

        그룹이 하나면 오류 메시지는 예전과 같고, 여럿이면 앞에 ``param_groups[j]: `` 가 붙는다.
        검사한 하이퍼파라미터(파이썬 수로 바꾼 것)를 그룹마다 돌려준다.
        """
        groups = self.param_groups
        if not isinstance(groups, list) or not groups:
            raise TypeError(f"opt.param_groups is {groups!r}, expected the non-empty list of group dicts")
        flat = []
        for j, g in enumerate(groups):
            if not isinstance(g, MutableMapping) or PARAMS_KEY not in g:
                raise TypeError(f"param_groups[{j}] is {type(g).__name__} without 'params', expected a group dict")
            flat.extend(g[PARAMS_KEY])
        if len(flat) != len(self.params) or any(a is not b for a, b in zip(flat, self.params)):
            raise ValueError("the arrays in opt.param_groups differ from the ones the optimizer was built with; "
                             "add new arrays with add_param_group. Nothing was changed")
        hypers = []
        for j, g in enumerate(groups):
            what = "hyper" if len(groups) == 1 else f"param_groups[{j}]"
            view = {k: g[k] for k in g if k not in _NOT_HYPER}
            try:
                self._validate_hyper(view, what)
                for k in GROUP_EXTRA_KEYS:
                    if k in g:
                        _check_extra(f"{k}", g[k])
            except (TypeError, ValueError) as err:
                if len(groups) == 1:
                    raise
                raise type(err)(f"param_groups[{j}]: {err}") from None
            hypers.append({k: plain(v) for k, v in view.items()})
        return hypers

    def _states_for_step(self, hypers, owner, grads) -> list:
        """스텝에 들어갈 상태. 학습 도중 켠 옵션(amsgrad, centered, 모멘텀)이 없는 버퍼를 요구하면 알린다.

        아직 한 번도 움직이지 않은 파라미터(t = 0)는 torch 처럼 지금의 하이퍼파라미터로 상태를 새로 만든다
        (torch 는 상태를 첫 그래디언트에서 만든다). 아무것도 쓰지 않는다: 새 상태는 스텝이 성공할 때만 들어간다.
        """
        states = list(self.state)
        needed_by_group = []
        for h in hypers:
            # 어느 필드가 배열이어야 하는지는 하이퍼파라미터만 정한다 (파라미터의 모양·dtype 과 무관): 0차원으로 본다.
            template = self._init(np.zeros(()), h)
            lazy = self._lazy_fields(h)
            needed_by_group.append([name for name, like in zip(template._fields, template)
                                    if like is not None and name not in lazy])
        for i, (s, g) in enumerate(zip(self.state, grads)):
            if g is None:
                continue
            missing = [name for name in needed_by_group[owner[i]] if getattr(s, name) is None]
            if not missing:
                continue
            if self._param_groups_api and s.t == 0:
                states[i] = self._init(self.params[i], hypers[owner[i]])
                continue
            raise ValueError(
                f"invalid hyper: the current hyperparameters need state[{i}][{missing[0]!r}], which does not exist "
                "because the optimizer was built without that option (it was switched on via opt.hyper after "
                "construction). Build a new optimizer with the option instead. Nothing was changed")
        return states

    def _nonfinite_error(self, i, grad, bad, kwargs, state) -> ValueError:
        """유한하지 않은 결과의 원인을 찾는다. 실패했을 때만 불리므로 스텝을 한 번 더 계산해도 된다."""
        tape = {}
        with np.errstate(all="ignore"):
            new_p, _ = self._update(self.params[i], grad, state, tape=tape, **kwargs)
            g = tape.get("g", grad)  # weight_decay, maximize 를 적용한 그래디언트
            squared_overflow = bool(np.isinf(g * g).any())
        dtype, eps = grad.dtype, kwargs.get("eps")
        if squared_overflow and any(field in SQUARED_GRAD_FIELDS for _, field in bad):
            limit = math.sqrt(np.finfo(dtype).max)
            cause = (f"g*g overflows {dtype} (max |g| = {float(np.max(np.abs(g))):.3g}; "
                     f"|g| must stay below sqrt(max {dtype}) = {limit:.3g})")
        elif eps == 0 and np.isnan(new_p).any():
            cause = "0/0 with eps=0 (a zero gradient where the denominator is still 0)"
        elif eps == 0:
            cause = "division by zero with eps=0 (the denominator underflowed to 0)"
        else:
            cause = f"the update overflows {dtype}"
        where = ", ".join(label for label, _ in bad)
        return ValueError(f"invalid grads[{i}]: {cause}; the step would write non-finite values into {where}. "
                          "Nothing was changed")

    def _read_state_dict(self, sd):
        """``load_state_dict`` 의 검사: 검사한 (그룹 dict 목록 (params 없이), 상태 목록) 을 돌려준다. 아무것도 안 바꾼다."""
        if not isinstance(sd, Mapping):
            raise TypeError(f"got {type(sd).__name__}, expected a dict made by state_dict()")
        form = STATE_DICT_GROUPS_KEYS if "param_groups" in sd and "hyper" not in sd else STATE_DICT_KEYS
        _expect_keys("the dict", sd, form)
        mine, theirs = (type(self).__name__, self.framework), (sd["optimizer"], sd["framework"])
        if theirs != mine:
            raise ValueError(
                f"optimizer={theirs[0]!r} framework={theirs[1]!r} ({_public_name(*theirs)}), expected "
                f"optimizer={mine[0]!r} framework={mine[1]!r} ({_public_name(*mine)})"
                + ("; the torch and keras flavours name their hyperparameters and state differently"
                   if theirs[1] != mine[1] else "")
            )
        if form is STATE_DICT_KEYS:
            if len(self.param_groups) != 1:
                raise ValueError(f"the dict has one set of hyperparameters ('hyper'), but the optimizer has "
                                 f"{len(self.param_groups)} parameter groups")
            if not isinstance(sd["hyper"], Mapping):
                raise TypeError(f"hyper is {type(sd['hyper']).__name__}, expected a dict")
            hyper = {k: plain(v) for k, v in sd["hyper"].items()}
            self._validate_hyper(hyper)
            groups = [hyper]
        else:
            groups = self._read_groups(sd["param_groups"])
        states = sd["state"]
        if not isinstance(states, Sequence) or isinstance(states, str):
            raise TypeError(f"state is {type(states).__name__}, expected a list with one dict per parameter")
        if len(states) != len(self.params):
            raise ValueError(f"{len(states)} parameter states for {len(self.params)} params")
        owner = [j for j, g in enumerate(self.param_groups) for _ in g[PARAMS_KEY]]
        hypers = [{k: v for k, v in g.items() if k not in _NOT_HYPER} for g in groups]
        new_states = [self._read_param_state(i, p, s, hypers[owner[i]])
                      for i, (p, s) in enumerate(zip(self.params, states))]
        if not self._param_groups_api:  # torch 형식은 파라미터마다 스텝 수를 센다 (그래디언트가 빠진 파라미터)
            for i, s in enumerate(new_states):
                if s.t != new_states[0].t:
                    raise ValueError(f"state[{i}]['t']={s.t} differs from state[0]['t']={new_states[0].t}; "
                                     f"{self.framework}-flavoured optimizers step all parameters together")
        return groups, new_states

    def _read_groups(self, entries) -> list[dict]:
        """``"param_groups"`` 꼴: 그룹 수, 그룹마다의 파라미터 번호와 하이퍼파라미터를 검사한다."""
        if not isinstance(entries, Sequence) or isinstance(entries, str):
            raise TypeError(f"param_groups is {type(entries).__name__}, expected a list with one dict per group")
        if len(entries) != len(self.param_groups):
            raise ValueError(f"{len(entries)} parameter groups for the optimizer's {len(self.param_groups)}")
        out, start = [], 0
        for j, (entry, mine) in enumerate(zip(entries, self.param_groups)):
            where = f"param_groups[{j}]"
            if not isinstance(entry, Mapping):
                raise TypeError(f"{where} is {type(entry).__name__}, expected a dict")
            expected = list(range(start, start + len(mine[PARAMS_KEY])))
            start += len(expected)
            got = entry.get(PARAMS_KEY)
            if (not isinstance(got, Sequence) or isinstance(got, str) or len(got) != len(expected)
                    or any(isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral) or k != e
                           for k, e in zip(got, expected))):
                raise ValueError(f"{where}['params']={got!r}, expected {expected} (the parameters of the "
                                 f"optimizer's group {j})")
            hyper = {k: plain(v) for k, v in entry.items() if k not in _NOT_HYPER}
            try:
                self._validate_hyper(hyper, where)
                extras = {k: plain(entry[k]) for k in GROUP_EXTRA_KEYS if k in entry}
                for k, v in extras.items():
                    _check_extra(k, v)
            except (TypeError, ValueError) as err:
                raise type(err)(f"{where}: {err}" if not str(err).startswith(where) else str(err)) from None
            out.append({**hyper, **extras})
        return out

    def _read_param_state(self, i, param, s, hyper):
        """파라미터 하나의 상태. 필드마다 기대하는 꼴은 ``_init(param, hyper)`` 가 만드는 상태의 꼴이다."""
        template = self._init(param, hyper)
        if not isinstance(s, Mapping):
            raise TypeError(f"state[{i}] is {type(s).__name__}, expected a dict with fields {list(template._fields)}")
        _expect_keys(f"state[{i}]", s, template._fields)
        lazy = self._lazy_fields(hyper)
        fields = {}
        for name, like in zip(template._fields, template):
            where, value = f"state[{i}][{name!r}]", s[name]
            if name in lazy and value is None:
                fields[name] = None
            elif isinstance(like, np.ndarray) or name in lazy:
                fields[name] = _state_array(where, value, param)
            elif like is None:
                if value is not None:
                    raise TypeError(f"{where} is {type(value).__name__}, expected None for these hyperparameters")
                fields[name] = None
            elif isinstance(like, int):
                fields[name] = _step_count(where, value)
            else:
                fields[name] = _momentum_product(where, value)
        return type(template)(**fields)


def _check_extra(where, value) -> None:
    """그룹의 ``initial_lr`` (스케줄러가 적는 시작 학습률): 0 이상의 유한한 수."""
    nonnegative(where, value)


def _group_labels(groups, start=0) -> list[str]:
    """배열마다 오류 메시지에 쓸 이름: 그룹이 하나면 ``params[i]``, 여럿이면 ``param_groups[j]['params'][k]``."""
    if len(groups) == 1 and start == 0:
        return [f"params[{i}]" for i in range(len(groups[0][PARAMS_KEY]))]
    return [f"param_groups[{j}]['params'][{k}]" for j, g in enumerate(groups, start) for k in range(len(g[PARAMS_KEY]))]


def _check_not_in_two_groups(groups, labels) -> None:
    """같은 배열이 두 그룹에 있으면 (torch: "some parameters appear in more than one parameter group") 거절한다."""
    seen = {}
    n = 0
    for j, g in enumerate(groups):
        for p in g[PARAMS_KEY]:
            first = seen.get(id(p))
            if first is not None and first[0] != j:
                raise ValueError(f"{labels[n]} is the same array as {labels[first[1]]}: a parameter can be in one "
                                 "parameter group only")
            seen.setdefault(id(p), (j, n))
            n += 1


def _public_name(optimizer, framework) -> str:
    prefix = {"torch": "adamlearn.", "keras": "adamlearn.keras."}.get(framework)
    return f"{prefix}{optimizer}" if prefix else "not an adamlearn optimizer"


def _expect_keys(what, mapping, expected) -> None:
    """dict 의 키가 정확히 ``expected`` 인지: 빠진 키와 모르는 키를 모두 말한다."""
    missing = [k for k in expected if k not in mapping]
    extra = sorted(repr(k) for k in mapping if k not in expected)
    problems = [f"missing key(s) {missing}"] * bool(missing) + [f"unexpected key(s) [{', '.join(extra)}]"] * bool(extra)
    if problems:
        raise ValueError(f"{what} has {'; '.join(problems)}; expected exactly {list(expected)}")


def _state_array(where, value, param) -> np.ndarray:
    expected = f"expected numpy array of shape {param.shape} dtype {param.dtype}"
    if isinstance(value, np.generic) and param.ndim == 0:
        value = np.asarray(value)  # 0차원 파라미터의 상태는 계산 결과 numpy 스칼라다 (np.float64(0.1))
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{where} is {type(value).__name__}, {expected}")
    if value.shape != param.shape:
        raise ValueError(f"{where} has shape {value.shape}, {expected}")
    if value.dtype != param.dtype:
        raise TypeError(f"{where} has dtype {value.dtype}, {expected}")
    if not np.isfinite(value).all():
        raise ValueError(f"{where} contains NaN or inf, {expected} with finite values")
    return np.array(value)  # 복사본: 나중에 dict 의 배열을 바꿔도 옵티마이저는 그대로다


def _step_count(where, value) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where} is {type(value).__name__} {value!r}, expected a non-negative int")
    if value < 0:
        raise ValueError(f"{where}={value!r}, expected a non-negative int")
    return int(value)


def _momentum_product(where, value) -> float:
    """NAdam 의 모멘텀 곱 (상태의 유일한 float 필드). 0 도 된다: beta1=0 이거나 긴 학습에서 0 으로 언더플로."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} is {type(value).__name__} {value!r}, expected a float in [0, 1]")
    if not 0 <= value <= 1:
        raise ValueError(f"{where}={value!r}, expected a float in [0, 1]")
    return float(value)


def _writable(i, p) -> None:
    if not p.flags.writeable:
        raise ValueError(f"params[{i}] is read-only; the update is written into it in place")


def _check_params(params, where="params") -> list[np.ndarray]:
    """배열 목록 하나를 검사한다. ``where`` 는 오류 메시지 속 목록의 이름 (그룹이면 ``param_groups[j]['params']``)."""
    if isinstance(params, np.ndarray):
        raise TypeError("params must be a list of numpy arrays, not a single array; wrap it: [x]")
    params = list(params)
    if not params:
        raise ValueError(f"{where} is an empty list")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray):
            raise TypeError(f"{where}[{i}] is {type(p).__name__}, expected a numpy float array")
        if p.dtype not in FLOAT_DTYPES:
            raise TypeError(
                f"{where}[{i}] has dtype {p.dtype}; expected float32 or float64 "
                "(the update is written into the array in place)"
            )
        if not p.flags.writeable:
            raise ValueError(f"{where}[{i}] is read-only; the update is written into it in place")
    if where == "params":
        _check_disjoint(params)
    return params


def _check_disjoint(params, labels=None) -> None:
    """두 파라미터가 메모리를 나누면 (같은 배열 두 번, 겹치는 뷰) 나중 업데이트가 앞의 것을 덮어쓴다.

    주소 범위(byte_bounds)로 정렬해 범위가 겹치는 쌍만 ``np.shares_memory`` 로 정확히 가린다: 서로 다른
    배열 n 개는 O(n log n) 이고, 한 배열의 겹치지 않는 뷰(a[:5] 와 a[5:], a[::2] 와 a[1::2])는 허용된다.
    """
    spans = sorted((*byte_bounds(p), i) for i, p in enumerate(params) if p.size)
    for k, (_, hi, i) in enumerate(spans):
        n = k + 1
        while n < len(spans) and spans[n][0] < hi:  # 주소 범위가 겹치는 것만 (정렬했으므로 곧 끝난다)
            a, b = sorted((i, spans[n][2]))
            n += 1
            try:
                shared = np.shares_memory(params[a], params[b], max_work=OVERLAP_MAX_WORK)
                how = "share memory"
            except np.exceptions.TooHardError:
                shared, how = True, f"may share memory (np.shares_memory gave up at max_work={OVERLAP_MAX_WORK})"
            if shared:
                la, lb = (labels[a], labels[b]) if labels else (f"params[{a}]", f"params[{b}]")
                raise ValueError(f"{la} and {lb} {how}: one update would overwrite the other; "
                                 "pass separate arrays (e.g. a .copy()) or non-overlapping views")


def _check_live_params(params, states) -> None:
    """``step`` 직전: 생성 뒤에 읽기 전용이 되었거나 모양이 바뀐 파라미터를, 무엇이든 쓰기 전에 잡는다."""
    for i, (p, s) in enumerate(zip(params, states)):
        _writable(i, p)
        for name, v in zip(s._fields, s):
            if isinstance(v, np.ndarray) and (v.shape != p.shape or v.dtype != p.dtype):
                raise ValueError(f"params[{i}] now has shape {p.shape} dtype {p.dtype}, but state[{i}][{name!r}] "
                                 f"has shape {v.shape} dtype {v.dtype}; was the array reshaped after construction?")


def _check_grads(grads, params, allow_none=False) -> list[np.ndarray | None]:
    """그래디언트 목록을 검사한다. ``allow_none`` 이면 ``None`` 은 그 파라미터를 건너뛰라는 뜻으로 남겨 둔다."""
    if isinstance(grads, np.ndarray):
        raise TypeError("grads must be a list of arrays (one per parameter), not a single array")
    grads = list(grads)
    if len(grads) != len(params):
        raise ValueError(f"invalid grads: got {len(grads)} gradients for {len(params)} params")
    out = []
    for i, (g, p) in enumerate(zip(grads, params)):
        if g is None:
            if not allow_none:
                raise TypeError(f"invalid grads[{i}]: None; this optimizer steps every parameter, "
                                "pass an array of zeros if that is what you mean")
            out.append(None)
            continue
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


def _nonfinite(i, new_p, new_s) -> list[tuple[str, str]]:
    """한 파라미터의 새 값과 새 상태 중 NaN 이나 inf 가 든 것: (이름, 상태 필드) 의 목록."""
    bad = [] if np.isfinite(new_p).all() else [(f"params[{i}]", "")]
    for name, v in zip(new_s._fields, new_s):
        if isinstance(v, (np.ndarray, np.generic, float)) and not np.isfinite(v).all():
            bad.append((f"state[{i}][{name!r}]", name))
    return bad
