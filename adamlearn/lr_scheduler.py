r"""학습률 스케줄러: ``torch.optim.lr_scheduler`` (2.13) 와 같은 이름, 같은 인자, 같은 식.

>>> import numpy as np, adamlearn
>>> w = np.zeros(2)
>>> opt = adamlearn.AdamW([w], lr=0.1)
>>> sched = adamlearn.lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=2)
>>> for _ in range(3):
...     opt.step([np.ones(2)])
...     sched.step()
>>> sched.get_last_lr()
[0.1]

스케줄러는 PyTorch 형식 옵티마이저의 그룹마다 ``group["lr"]`` 를 바꾸기만 한다. 알고리즘은 건드리지 않는다.
torch 처럼 만들 때 그룹마다 ``group["initial_lr"]`` 를 적고 (``base_lrs`` 가 그 값이다) 첫 ``step`` 을 한 번
부른다 (``last_epoch`` 가 -1 에서 0 이 된다). 그 뒤 ``opt.step(grads)`` 다음에 ``sched.step()`` 을 부른다.

마지막 자리까지 torch 와 같게: torch 의 ``step()`` 은 대부분 *연쇄형(chainable)* 식으로 지금의 ``group["lr"]`` 에
배율을 곱해 다음 값을 만든다 (``LinearLR``, ``CosineAnnealingLR``, ``StepLR``, ``ConstantLR``). 닫힌 꼴
(``base_lr`` 에서 바로 계산)과는 끝자리가 다르다. 여기의 ``get_lr`` 은 torch 의 ``get_lr`` 을 식 그대로 옮긴 것이고,
``_get_closed_form_lr`` 은 torch 가 그것을 쓰는 곳 (``step(epoch)``, ``SequentialLR`` 의 이정표)에서만 쓴다.
모두 파이썬 float 연산이므로 결과는 torch 와 비트 단위로 같다.

잘못된 값: 스케줄러가 계산한 학습률이 음수이거나 유한하지 않으면 (``LambdaLR`` 의 함수가 -1 이나 nan 을 주면)
``step`` 은 그룹 번호, 키, 값을 밝힌 ValueError 를 내고 아무것도 바꾸지 않는다 (그룹의 lr 도, 스케줄러의 상태도).
단, 정확히는 0 인 값을 torch 의 식이 base_lr 의 1 ulp 도 안 되는 음수로 반올림한 것은 0.0 으로 쓴다 (``_check_lr``).

torch 와 다른 점: 호출 순서 경고 (``optimizer.step()`` 보다 먼저 부른 ``lr_scheduler.step()``) 는 내지 않는다.
텐서 학습률은 없다 (학습률은 파이썬 float).
"""

from __future__ import annotations

import copy
import math
import numbers
import types
import warnings
from bisect import bisect_right
from collections.abc import Mapping, Sequence

from ._base import _finite, plain

__all__ = ["ConstantLR", "CosineAnnealingLR", "LRScheduler", "LambdaLR", "LinearLR", "SequentialLR", "StepLR"]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible "
    "(torch.optim.lr_scheduler). If epoch is not None, the closed form is used instead of the chainable form, "
    "where available."
)


# --------------------------------------------------------------------------- checks
def _int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"invalid {name}={value!r}: must be an int >= {low}")
    return int(value)


def _real(name, value, low, high=None, low_open=False):
    """[low, high] (low_open 이면 (low, high]) 안의 유한한 실수인지 검사한다. high 가 None 이면 위로 열려 있다."""
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value)
    bad = bad or (value <= low if low_open else value < low) or (high is not None and value > high)
    if bad:
        interval = (f"{'(' if low_open else '['}{low}, {high}]" if high is not None
                    else f"{'>' if low_open else '>='} {low}")
        raise ValueError(f"invalid {name}={value!r}: must be a finite number {'in ' if high is not None else ''}"
                         f"{interval}")
    return plain(value)


def _check_lr(where, value, scale=None):
    """스케줄러가 그룹에 쓸 학습률: 0 이상의 유한한 실수. 검사한 값 (파이썬 float) 을 돌려준다.

    한 가지 예외: 크기가 그 그룹의 base_lr (``scale``) 의 1 ulp 보다 작은 음수는 0.0 으로 쓴다. torch 의 연쇄형 식은
    정확히는 0 인 값을 그런 음수로 반올림한다: 예를 들어 ``LinearLR(end_factor=0.0)`` 의 마지막 값은 base_lr,
    start_factor, total_iters 에 따라 ``-7.4e-22`` 가 된다 (lr 1e-3/1e-2/5e-2, start_factor 0.01/0.1/1/3,
    total_iters 2-59 의 522 가지 중 204 가지). torch 는 그 음수를 그대로 쓰고, adamlearn 의 옵티마이저는 음수 학습률을
    받지 않으므로 0.0 으로 쓴다 (torch 와의 차이는 base_lr 의 1 ulp 미만). 그보다 큰 음수, NaN, inf 는 오류다.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value):
        raise ValueError(f"invalid {where}={value!r}: a learning rate must be a finite number >= 0. "
                         "Nothing was changed")
    if value < 0 and scale and -value < math.ulp(scale):
        return 0.0
    if value < 0:
        raise ValueError(f"invalid {where}={value!r}: a learning rate must be a finite number >= 0. "
                         "Nothing was changed")
    return plain(value)


def _groups(optimizer):
    groups = getattr(optimizer, "param_groups", None)
    if not getattr(optimizer, "_param_groups_api", False) or not isinstance(groups, list):
        raise TypeError(f"{type(optimizer).__name__} is not a torch-flavoured adamlearn optimizer "
                        "(adamlearn.SGD, Adam, AdamW, ...); Keras-flavoured optimizers take a schedule as learning_rate")
    return groups


class _Atomic:
    """``with _Atomic(obj):``: 안에서 예외가 나면 obj 의 속성을 들어올 때의 값으로 되돌린다."""

    def __init__(self, obj):
        self.obj = obj

    def __enter__(self):
        self.saved = {k: copy.copy(v) if isinstance(v, (list, dict)) else v for k, v in vars(self.obj).items()}

    def __exit__(self, kind, value, tb):
        if kind is not None:
            vars(self.obj).clear()
            vars(self.obj).update(self.saved)
        return False


# --------------------------------------------------------------------------- base class
class LRScheduler:
    r"""모든 스케줄러의 부모 (``torch.optim.lr_scheduler.LRScheduler``).

    Args:
        optimizer: PyTorch 형식 adamlearn 옵티마이저
        last_epoch (int): 마지막 에포크의 번호. -1 (기본값) 이면 새로 시작한다. 체크포인트에서 이어 갈 때만
            다른 값을 주며, 그때는 그룹마다 ``"initial_lr"`` 가 있어야 한다.
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer, last_epoch=-1):
        groups = _groups(optimizer)
        last_epoch = _int("last_epoch", last_epoch, -1)
        self.optimizer = optimizer
        added = []
        if last_epoch == -1:
            for group in groups:
                if "initial_lr" not in group:
                    group["initial_lr"] = _check_lr(f"param_groups[{len(added)}]['lr']", group["lr"])
                    added.append(group)
        else:
            for i, group in enumerate(groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                                   "scheduler with last_epoch >= 0")
        try:
            self.base_lrs = [_check_lr(f"param_groups[{i}]['initial_lr']", g["initial_lr"])
                             for i, g in enumerate(groups)]
            self.last_epoch = last_epoch
            self._initial_step()
        except BaseException:
            for group in added:  # 실패한 생성은 그룹에 아무 흔적도 남기지 않는다
                group.pop("initial_lr", None)
            raise

    def _initial_step(self):
        """스텝 수를 0 으로 두고 첫 스텝을 한 번 밟는다 (torch 와 같다)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_last_lr(self) -> list:
        """가장 최근에 계산한 그룹마다의 학습률 (복사본)."""
        return list(self._last_lr)

    def get_lr(self) -> list:  # pragma: no cover - abstract
        """다음 학습률의 목록 (그룹마다). 하위 클래스가 torch 의 식 그대로 정한다."""
        raise NotImplementedError

    def step(self, epoch=None):
        """한 스텝: ``last_epoch`` 을 1 늘리고 그룹마다 ``lr`` 을 새 값으로 바꾼다. ``opt.step`` 다음에 부른다."""
        with _Atomic(self):
            self._step_count += 1
            if epoch is not None:
                warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
            self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        groups = _groups(self.optimizer)
        with _Atomic(self):
            self._get_lr_called_within_step = True
            try:
                if epoch is None:
                    self.last_epoch += 1
                    values = self.get_lr()
                else:
                    self.last_epoch = _int("epoch", epoch, 0)
                    closed = getattr(self, "_get_closed_form_lr", None)
                    values = closed() if closed is not None else self.get_lr()
            finally:
                self._get_lr_called_within_step = False
            values = list(values)
            if len(values) != len(groups):
                raise ValueError(f"{type(self).__name__} computed {len(values)} learning rates for "
                                 f"{len(groups)} parameter groups")
            # 모두 검사한 뒤에 쓴다: 한 그룹이라도 틀리면 어느 그룹도 바뀌지 않는다.
            bases = getattr(self, "base_lrs", [None] * len(values))
            values = [_check_lr(f"param_groups[{i}]['lr']", v, b) for i, (v, b) in enumerate(zip(values, bases))]
        for group, lr in zip(groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in groups]

    def state_dict(self) -> dict:
        """옵티마이저를 뺀 스케줄러의 모든 속성 (torch 와 같은 키, 같은 값)."""
        return {k: copy.deepcopy(v) for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict) -> None:
        """``state_dict`` 를 검사해 읽어 들인다: 키가 정확히 같고 값이 맞아야 하며, 틀리면 아무것도 바꾸지 않는다."""
        candidate = self._checked_state(state_dict)
        vars(self).update(candidate)

    # -- internals ---------------------------------------------------------
    def _checked_state(self, state_dict, mine=None) -> dict:
        """검사한 새 속성 값들. ``mine`` 은 비교할 키 (기본: 지금의 ``state_dict()``)."""
        name = type(self).__name__
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"invalid {name} state_dict: got {type(state_dict).__name__}, expected a dict")
        mine = self.state_dict() if mine is None else mine
        missing = [k for k in mine if k not in state_dict]
        extra = sorted(repr(k) for k in state_dict if k not in mine)
        if missing or extra:
            raise ValueError(f"invalid {name} state_dict: missing key(s) {missing}, unexpected key(s) "
                             f"[{', '.join(extra)}]; expected exactly {list(mine)}")
        candidate = {k: copy.deepcopy(state_dict[k]) for k in mine}
        n = len(_groups(self.optimizer))
        try:
            for key in ("base_lrs", "_last_lr"):
                if key in candidate:
                    v = candidate[key]
                    if not isinstance(v, Sequence) or isinstance(v, str) or len(v) != n:
                        raise ValueError(f"{key}={v!r} must be a list with one learning rate per group ({n})")
                    candidate[key] = [_check_lr(f"{key}[{i}]", x) for i, x in enumerate(v)]
            if "last_epoch" in candidate:
                candidate["last_epoch"] = _int("last_epoch", candidate["last_epoch"], -1)
            if "_step_count" in candidate:
                candidate["_step_count"] = _int("_step_count", candidate["_step_count"], 0)
            for key in ("_is_initial", "_get_lr_called_within_step"):
                if key in candidate and not isinstance(candidate[key], bool):
                    raise TypeError(f"{key}={candidate[key]!r} must be True or False")
            self._check_args(candidate)
        except (TypeError, ValueError) as err:
            raise type(err)(f"invalid {name} state_dict: {err}") from None
        return candidate

    def _check_args(self, values) -> None:
        """하위 클래스의 인자 (state_dict 에도 들어 있다) 를 검사한다."""


# --------------------------------------------------------------------------- schedulers
class LambdaLR(LRScheduler):
    r"""``lr = initial_lr * lr_lambda(last_epoch)`` (``torch.optim.lr_scheduler.LambdaLR``).

    Args:
        optimizer: PyTorch 형식 옵티마이저
        lr_lambda (callable | list[callable]): 에포크 번호를 받아 배율을 주는 함수, 또는 그룹마다 하나씩
        last_epoch (int): (default: -1)
    """

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        groups = _groups(optimizer)
        if not isinstance(lr_lambda, (list, tuple)):
            lambdas = [lr_lambda] * len(groups)
        else:
            if len(lr_lambda) != len(groups):
                raise ValueError(f"Expected {len(groups)} lr_lambdas, but got {len(lr_lambda)}")
            lambdas = list(lr_lambda)
        for i, fn in enumerate(lambdas):
            if not callable(fn):
                raise TypeError(f"invalid lr_lambda[{i}]={fn!r}: must be callable")
        self.optimizer = optimizer
        self.lr_lambdas = lambdas
        super().__init__(optimizer, last_epoch)

    def state_dict(self) -> dict:
        """torch 처럼: 함수(lambda, def)는 저장하지 않고 (None), 호출 가능한 객체는 그 ``__dict__`` 를 저장한다."""
        out = {k: copy.deepcopy(v) for k, v in vars(self).items() if k not in ("optimizer", "lr_lambdas")}
        out["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else copy.deepcopy(fn.__dict__)
                             for fn in self.lr_lambdas]
        return out

    def load_state_dict(self, state_dict) -> None:
        if not isinstance(state_dict, Mapping) or "lr_lambdas" not in state_dict:
            raise TypeError(f"invalid LambdaLR state_dict: expected a dict with 'lr_lambdas', got {state_dict!r:.80}")
        saved = state_dict["lr_lambdas"]
        if not isinstance(saved, Sequence) or len(saved) != len(self.lr_lambdas) or not all(
                s is None or isinstance(s, Mapping) for s in saved):
            raise ValueError(f"invalid LambdaLR state_dict: lr_lambdas={saved!r:.80} must be a list of "
                             f"{len(self.lr_lambdas)} entries, each None or a dict")
        rest = {k: v for k, v in state_dict.items() if k != "lr_lambdas"}
        mine = {k: v for k, v in self.state_dict().items() if k != "lr_lambdas"}
        candidate = self._checked_state(rest, mine)
        vars(self).update(candidate)
        for fn, s in zip(self.lr_lambdas, saved):
            if s is not None:
                fn.__dict__.update(copy.deepcopy(dict(s)))

    def get_lr(self):
        return [base_lr * lmbda(self.last_epoch) for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class StepLR(LRScheduler):
    r"""``step_size`` 에포크마다 lr 에 ``gamma`` 를 곱한다 (``torch.optim.lr_scheduler.StepLR``).

    Args:
        optimizer: PyTorch 형식 옵티마이저
        step_size (int): 감쇠 주기 (> 0)
        gamma (float): 곱하는 배율 (default: 0.1)
        last_epoch (int): (default: -1)
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self._check_args(dict(step_size=step_size, gamma=gamma))
        self.step_size = int(step_size)
        self.gamma = plain(gamma)
        super().__init__(optimizer, last_epoch)

    def _check_args(self, v):
        _int("step_size", v["step_size"], 1)
        _real("gamma", v["gamma"], 0)

    def get_lr(self):
        groups = _groups(self.optimizer)
        if (self.last_epoch == 0) or (self.last_epoch % self.step_size != 0):
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]


class ConstantLR(LRScheduler):
    r"""``total_iters`` 에포크 동안 lr 에 ``factor`` 를 곱해 둔다 (``torch.optim.lr_scheduler.ConstantLR``).

    Args:
        optimizer: PyTorch 형식 옵티마이저
        factor (float): [0, 1] 의 배율 (default: 1/3)
        total_iters (int): 배율을 곱해 두는 스텝 수 (default: 5)
        last_epoch (int): (default: -1)
    """

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        self._check_args(dict(factor=factor, total_iters=total_iters))
        self.factor = plain(factor)
        self.total_iters = int(total_iters)
        super().__init__(optimizer, last_epoch)

    def _check_args(self, v):
        _real("factor", v["factor"], 0, 1)
        _int("total_iters", v["total_iters"], 0)

    def get_lr(self):
        groups = _groups(self.optimizer)
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in groups]
        if self.last_epoch != self.total_iters:
            return [group["lr"] for group in groups]
        return [group["lr"] * (1.0 / self.factor) for group in groups]

    def _get_closed_form_lr(self):
        return [base_lr * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    r"""lr 의 배율을 ``start_factor`` 에서 ``end_factor`` 까지 ``total_iters`` 스텝에 걸쳐 선형으로 바꾼다
    (``torch.optim.lr_scheduler.LinearLR``). 웜업(warmup)이나 선형 감쇠에 쓴다.

    torch 의 ``step()`` 은 연쇄형 식을 쓴다:
    :math:`\eta_t = \eta_{t-1}\,\bigl(1 + \frac{e - s}{N s + (t-1)(e - s)}\bigr)` (:math:`s, e, N` 은
    start_factor, end_factor, total_iters). 닫힌 꼴 :math:`\eta_0 (s + (e-s)\min(N, t)/N)` 과 끝자리가 다르다.

    Args:
        optimizer: PyTorch 형식 옵티마이저
        start_factor (float): (0, 1] (default: 1/3)
        end_factor (float): [0, 1] (default: 1.0)
        total_iters (int): (default: 5)
        last_epoch (int): (default: -1)
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        self._check_args(dict(start_factor=start_factor, end_factor=end_factor, total_iters=total_iters))
        self.start_factor = plain(start_factor)
        self.end_factor = plain(end_factor)
        self.total_iters = int(total_iters)
        super().__init__(optimizer, last_epoch)

    def _check_args(self, v):
        _real("start_factor", v["start_factor"], 0, 1, low_open=True)
        _real("end_factor", v["end_factor"], 0, 1)
        _int("total_iters", v["total_iters"], 0)

    def get_lr(self):
        groups = _groups(self.optimizer)
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return [group["lr"] for group in groups]
        return [
            group["lr"] * (1.0 + (self.end_factor - self.start_factor)
                           / (self.total_iters * self.start_factor
                              + (self.last_epoch - 1) * (self.end_factor - self.start_factor)))
            for group in groups
        ]

    def _get_closed_form_lr(self):
        return [base_lr * (self.start_factor + (self.end_factor - self.start_factor)
                           * min(self.total_iters, self.last_epoch) / self.total_iters)
                for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    r"""코사인 감쇠 (``torch.optim.lr_scheduler.CosineAnnealingLR``; Loshchilov & Hutter, SGDR).

    닫힌 꼴은 :math:`\eta_t = \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min})(1 + \cos(\pi t / T_{\max}))` 이지만
    torch 의 ``step()`` 은 연쇄형 식
    :math:`\eta_t = \eta_{\min} + (\eta_{t-1} - \eta_{\min})\,\frac{1 + \cos(\pi t/T_{\max})}{1 + \cos(\pi (t-1)/T_{\max})}`
    을 쓴다 (:math:`T_{\max}` 을 지나면 다시 올라간다: 재시작 없는 코사인).

    Args:
        optimizer: PyTorch 형식 옵티마이저
        T_max (int): 반 주기의 스텝 수 (> 0)
        eta_min (float): 최소 학습률 (default: 0)
        last_epoch (int): (default: -1)
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self._check_args(dict(T_max=T_max, eta_min=eta_min))
        self.T_max = int(T_max)
        self.eta_min = plain(eta_min)
        super().__init__(optimizer, last_epoch)

    def _check_args(self, v):
        _int("T_max", v["T_max"], 1)
        _real("eta_min", v["eta_min"], 0)

    def get_lr(self):
        groups = _groups(self.optimizer)
        if self._is_initial:
            return [group["lr"] for group in groups]
        elif self._step_count == 1 and self.last_epoch > 0:
            return [self.eta_min + (base_lr - self.eta_min)
                    * (1 + math.cos((self.last_epoch) * math.pi / self.T_max)) / 2
                    for base_lr, group in zip(self.base_lrs, groups)]
        elif (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            return [group["lr"] + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
                    for base_lr, group in zip(self.base_lrs, groups)]
        return [(1 + math.cos(math.pi * self.last_epoch / self.T_max))
                / (1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max))
                * (group["lr"] - self.eta_min) + self.eta_min
                for group in groups]

    def _get_closed_form_lr(self):
        return [self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base_lr in self.base_lrs]


class SequentialLR(LRScheduler):
    r"""스케줄러를 이정표(milestones)에서 차례로 바꿔 쓴다 (``torch.optim.lr_scheduler.SequentialLR``).

    웜업 뒤 코사인 감쇠: ``SequentialLR(opt, [LinearLR(opt, 0.01, total_iters=w), CosineAnnealingLR(opt, T)],
    milestones=[w])``. torch 처럼 이정표에 닿으면 다음 스케줄러를 ``epoch=0`` 의 닫힌 꼴로 시작한다.

    Args:
        optimizer: PyTorch 형식 옵티마이저
        schedulers (list): 같은 옵티마이저의 스케줄러들
        milestones (list[int]): 스케줄러를 바꾸는 스텝 번호 (스케줄러 수보다 하나 적다)
        last_epoch (int): (default: -1)
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        groups = _groups(optimizer)
        schedulers = list(schedulers)
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler, but got no scheduler.")
        for i, s in enumerate(schedulers):
            if not isinstance(s, LRScheduler):
                raise TypeError(f"SequentialLR at index {i} got {type(s).__name__}, expected an adamlearn scheduler")
            if s.optimizer is not optimizer:
                raise ValueError(f"SequentialLR expects all schedulers to belong to the same optimizer, but got "
                                 f"scheduler {type(s).__name__} at index {i} with a different optimizer")
        milestones = [_int(f"milestones[{i}]", m, 0) for i, m in enumerate(milestones)]
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more than the "
                             f"number of milestone points, but got number of schedulers {len(schedulers)} and the "
                             f"number of milestones to be equal to {len(milestones)}")
        if milestones != sorted(milestones):
            raise ValueError(f"invalid milestones={milestones!r}: must be in increasing order")
        last_epoch = _int("last_epoch", last_epoch, -1)
        saved_lrs = [g["lr"] for g in groups]
        saved = [dict(vars(s)) for s in schedulers]
        try:
            self._schedulers = schedulers
            self._milestones = milestones
            self.last_epoch = last_epoch + 1
            self.optimizer = optimizer
            for group in groups:  # 학습률을 처음 값으로 되돌린다
                group["lr"] = group["initial_lr"]
            self.recursive_undo()  # 다른 스케줄러가 만들 때 밟은 스텝을 되돌린다
            idx = bisect_right(self._milestones, 0)
            self._schedulers[idx]._initial_step()
            self._last_lr = schedulers[idx].get_last_lr()
        except BaseException:
            for group, lr in zip(groups, saved_lrs):
                group["lr"] = lr
            for s, d in zip(schedulers, saved):
                vars(s).clear()
                vars(s).update(d)
            raise

    def recursive_undo(self, sched=None):
        """안의 스케줄러가 만들 때 밟은 스텝을 되돌린다 (``last_epoch`` 를 1 줄인다)."""
        scheds = self if sched is None else sched
        if hasattr(scheds, "_schedulers"):
            for s in scheds._schedulers:
                self.recursive_undo(s)
        elif hasattr(scheds, "last_epoch"):
            scheds.last_epoch -= 1

    def step(self):
        """한 스텝: 이정표에 닿으면 다음 스케줄러를 ``epoch=0`` 으로, 아니면 지금 스케줄러의 ``step``."""
        with _Atomic(self):
            self.last_epoch += 1
            idx = bisect_right(self._milestones, self.last_epoch)
            scheduler = self._schedulers[idx]
            if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
                scheduler._update_lr(0)
            else:
                scheduler.step()
            self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict:
        out = {k: copy.deepcopy(v) for k, v in vars(self).items() if k not in ("optimizer", "_schedulers")}
        out["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return out

    def load_state_dict(self, state_dict) -> None:
        if not isinstance(state_dict, Mapping) or "_schedulers" not in state_dict:
            raise TypeError(f"invalid SequentialLR state_dict: expected a dict with '_schedulers', "
                            f"got {state_dict!r:.80}")
        subs = state_dict["_schedulers"]
        if not isinstance(subs, Sequence) or len(subs) != len(self._schedulers):
            raise ValueError(f"invalid SequentialLR state_dict: _schedulers must be a list of "
                             f"{len(self._schedulers)} state dicts")
        rest = {k: v for k, v in state_dict.items() if k != "_schedulers"}
        mine = {k: v for k, v in self.state_dict().items() if k != "_schedulers"}
        candidate = self._checked_state(rest, mine)
        milestones = candidate.get("_milestones")
        if milestones != self._milestones:
            raise ValueError(f"invalid SequentialLR state_dict: _milestones={milestones!r}, this scheduler has "
                             f"{self._milestones!r}")
        saved = [dict(vars(s)) for s in self._schedulers]
        try:
            for s, d in zip(self._schedulers, subs):
                s.load_state_dict(d)
        except BaseException:
            for s, d in zip(self._schedulers, saved):
                vars(s).clear()
                vars(s).update(d)
            raise
        vars(self).update(candidate)
