"""Keras 형식 옵티마이저: ``keras.optimizers`` (Keras 3) 와 같은 이름, 같은 키워드, 같은 기본값.

Keras 는 PyTorch 와 실제로 다르게 계산하는 곳이 있고, 이 클래스들은 그 차이를 그대로 재현한다.
알고리즘은 :mod:`adamlearn.functional` 의 같은 함수이고, 차이는 그 함수의 옵션이다.

- Adam/AdamW: ``epsilon`` 은 논문의 :math:`\\hat\\epsilon` (보정 전 :math:`\\sqrt{v_t}` 에 더한다).
- RMSprop, Adagrad: ``epsilon`` 이 제곱근 안에 있다.
- SGD, RMSprop 의 모멘텀 버퍼에는 학습률이 곱해진 증분이 쌓인다.
- Nadam 의 모멘텀 스케줄은 :math:`0.96^{t}` (PyTorch 는 :math:`0.96^{0.004 t}`).
- ``weight_decay`` 는 모든 옵티마이저에서 분리된(decoupled) 가중치 감쇠다:
  업데이트 전에 :math:`\\theta \\leftarrow \\theta - \\eta\\lambda\\theta`.

Keras 의 ``BaseOptimizer`` 가 업데이트 둘레에서 하는 일도 같은 이름으로 있다 (:class:`_KerasOptimizer`):
``clipnorm``, ``clipvalue``, ``global_clipnorm``, 스케줄인 ``learning_rate`` (:mod:`adamlearn.keras.schedules`),
``use_ema``, ``ema_momentum``, ``ema_overwrite_frequency``, ``gradient_accumulation_steps``,
``exclude_from_weight_decay``. 업데이트 규칙은 여기서도 functional 에만 있다: 이 층은 그래디언트를 손보고,
그 스텝의 학습률을 정하고, 업데이트 뒤에 가중치의 EMA 를 갱신할 뿐이다.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np

from .. import functional as F
from .._base import Optimizer, boolean, closed_unit_interval, nonnegative, optional_nonnegative, unit_interval
from . import schedules
from .schedules import LearningRateSchedule

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "schedules"]


def learning_rate_or_schedule(name, value):
    """0 이상의 유한한 수, 또는 스케줄 (:class:`~adamlearn.keras.schedules.LearningRateSchedule`, 인자 없는 callable)."""
    if callable(value):
        return
    nonnegative(name, value)


_COMMON_CHECKS = {"learning_rate": learning_rate_or_schedule, "weight_decay": optional_nonnegative}
_BETAS = {"beta_1": unit_interval, "beta_2": unit_interval, "epsilon": nonnegative}

#: Keras ``BaseOptimizer.__init__`` 의 학습 옵션과 기본값 (keras/src/optimizers/base_optimizer.py).
TRAINING_OPTIONS = dict(clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                        ema_overwrite_frequency=None, gradient_accumulation_steps=None)
_CLIP_OPTIONS = ("clipnorm", "clipvalue", "global_clipnorm")
_KERAS_STATE_KEY = "keras"


def _real(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real)


def _int(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Integral)


def check_training_options(o: Mapping) -> None:
    """학습 옵션의 검사. Keras 가 거절하는 값은 Keras 와 같은 문장으로, Keras 가 조용히 무시하는 값
    (0 이하의 clip 값, 0 인 ema_overwrite_frequency) 은 이름과 값을 말하며 거절한다."""
    for name in _CLIP_OPTIONS:
        v = o[name]
        if v is not None and (not _real(v) or not math.isfinite(v) or v <= 0):
            # Keras 는 `if self.clipnorm and self.clipnorm > 0` 이라 0 이하를 조용히 무시한다 (_clip_gradients).
            raise ValueError(f"invalid {name}={v!r}: must be a finite number > 0 or None (Keras silently ignores "
                             "values <= 0; pass None for no clipping)")
    if sum(o[name] is not None for name in _CLIP_OPTIONS) > 1:
        raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                         f"clipnorm={o['clipnorm']}, clipvalue={o['clipvalue']}, global_clipnorm={o['global_clipnorm']}")
    boolean("use_ema", o["use_ema"])
    m = o["ema_momentum"]
    if not _real(m) or not 0 <= m <= 1:
        raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={m!r}")
    f = o["ema_overwrite_frequency"]
    if f is not None and (not _int(f) or f < 1):
        raise ValueError(f"`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                         f"ema_overwrite_frequency={f!r}")
    k = o["gradient_accumulation_steps"]
    if k is not None and (not _int(k) or k < 2):
        raise ValueError(f"`gradient_accumulation_steps` must be an integer >= 2. Received: "
                         f"gradient_accumulation_steps={k!r}")


# --------------------------------------------------------------------------- clipping (Keras 의 식 그대로)
# Keras 3 의 torch 백엔드에서 ``ops.maximum(x, c)``, ``ops.minimum(x, c)`` (c 는 파이썬 float) 는 float32 로 계산된다:
# keras/src/backend/torch/numpy.py 의 maximum/minimum 이 ``dtypes.result_type(x1.dtype, float)`` 로 dtype 을 정하는데,
# 이 값이 x1 이 float64 여도 "float32" 다 (Keras 3.15.1 에서 잰 값; keras/src/backend/common/dtypes.py 의
# ``PYTHON_DTYPES_MAP`` 은 ``float: "float32"``). 그래서 float64 그래디언트에서도
# clipnorm 의 분모와 global_clipnorm 의 배율은 float32 로 반올림된다 (상대 ~1e-8). 아래 함수는 그 반올림을 그대로 한다.
# float32 그래디언트에서는 아무 일도 하지 않는다.
def clip_by_norm(grad, clipnorm):
    """배열마다 자르기 (``BaseOptimizer._clip_by_norm``): ``g * c / float32(max(||g||, c))``.

    자르지 않을 때도 ``g * c / float32(c)`` 를 계산한다 (Keras 가 그렇게 한다; ``g`` 와 다를 수 있다).
    """
    l2sum = np.sum(np.square(grad), keepdims=True)
    pred = l2sum > 0
    l2norm = np.where(pred, np.sqrt(np.where(pred, l2sum, np.ones_like(l2sum))), l2sum)
    return grad * clipnorm / np.maximum(l2norm, clipnorm).astype(np.float32)


def clip_by_global_norm(grads, clip_norm):
    """전체 노름으로 자르기 (base_optimizer.py 의 ``clip_by_global_norm``): ``g * c * min(1/n, 1/c)``.

    ``min`` 은 float32 로 (위의 설명), ``c *`` 도 그 float32 텐서와의 곱이라 float32 로 계산된다.
    ``+ (n - n)`` 은 n 이 유한하면 0 을 더하고 (배율의 dtype 을 그래디언트의 것으로 되돌린다), 아니면 NaN 이다.
    """
    use_norm = np.sqrt(np.sum(np.stack([np.sum(np.square(g)) for g in grads])))
    with np.errstate(divide="ignore", invalid="ignore"):  # n = 0 이면 1/n = inf 이고 min 이 1/c 를 고른다
        smaller = np.minimum(np.float32(1.0 / use_norm), np.float32(1.0 / clip_norm))
        scale = np.float32(clip_norm) * smaller + (use_norm - use_norm)
    return [g * scale for g in grads]


def clip_by_value(grads, clipvalue):
    """값마다 자르기: ``clip(g, -v, v)``."""
    return [np.clip(g, -clipvalue, clipvalue) for g in grads]


class _KerasOptimizer(Optimizer):
    """Keras 형식 옵티마이저의 공통 껍데기: ``keras.optimizers.Optimizer.apply`` 가 한 스텝에 하는 일.

    ``step(grads)`` 한 번은 Keras 의 ``optimizer.apply(grads)`` 한 번이다
    (keras/src/optimizers/base_optimizer.py, ``apply`` 와 ``_backend_apply_gradients``). 순서:

    1. 학습률: ``learning_rate`` 가 스케줄이면 ``schedule(opt._iterations)`` (이번 스텝 **전** 의 호출 수;
       첫 스텝은 0). 인자 없는 callable 이면 ``learning_rate()``. 0 이상의 유한한 수가 아니면 거절한다.
    2. ``gradient_accumulation_steps = k`` 면 호출 k 번마다 한 번만 업데이트한다: 그 사이에는 그래디언트를
       더해 두기만 하고 (파라미터, 옵티마이저 상태는 그대로), k 번째 호출에서 ``(g + acc) / k`` 로 업데이트한다.
       학습률 스케줄은 호출 수 ``_iterations`` 를, Adam 의 :math:`t` 와 EMA 는 ``iterations = _iterations // k``
       (업데이트 수) 를 본다.
    3. 자르기 (업데이트하는 호출에서만, 누적 평균 뒤에): ``clipnorm`` (배열마다), ``global_clipnorm``
       (전체), ``clipvalue`` (값마다). 셋 중 하나만 쓸 수 있다.
    4. 분리된 가중치 감쇠와 업데이트: functional 의 함수 (``exclude_from_weight_decay`` 로 뺀 배열은 감쇠 없이).
    5. ``use_ema`` 면 매 호출 (누적 중에도) EMA 를 갱신한다: ``a = m a + (1-m) θ``, 단 ``iterations == 0`` 인
       동안은 ``m = 0`` (즉 ``a = θ``). ``ema_overwrite_frequency = f`` 면 ``(iterations + 1) % f == 0`` 인
       호출에서 파라미터를 EMA 로 덮어쓴다. :meth:`finalize_variable_values` 는 언제든 덮어쓴다.
    6. ``_iterations += 1``.

    numpy 배열에는 이름이 없으므로 ``names=[...]`` (파라미터마다 문자열 하나, Keras 의 ``variable.name``) 를
    줄 수 있다. ``exclude_from_weight_decay(var_names=...)`` 만 이 이름을 쓴다.
    Keras 의 ``loss_scale_factor`` 는 없다 (그래디언트를 미리 나누어 주면 된다).

    ``opt.ema`` 는 EMA 배열의 목록 (``use_ema=False`` 면 None), ``opt.iterations`` 는 Keras 의
    ``optimizer.iterations`` 와 같은 값이다. 학습 옵션은 Keras 처럼 속성이다 (``opt.clipnorm`` 등) 이고
    스텝마다 다시 검사한다. ``use_ema`` 와 ``gradient_accumulation_steps`` 는 배열을 만드는 옵션이라
    생성 뒤에 바꿀 수 없다.

    어느 단계에서 실패해도 (잘못된 그래디언트, 옵션, 스케줄 값, 유한하지 않은 결과) 아무것도 바꾸지 않는다.
    """

    framework = "keras"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # 학습률 검사가 "0 이상의 수" 인 Keras 형식 클래스 (Lion, Lamb, ... 도) 는 스케줄도 받는다: 스텝마다 이 층이
        # 스케줄의 값을 opt.hyper["learning_rate"] 에 넣고 부르므로 _core_kwargs 는 늘 수를 본다.
        if cls.checks.get("learning_rate") is nonnegative:
            cls.checks = MappingProxyType({**cls.checks, "learning_rate": learning_rate_or_schedule})

    # 가중치 감쇠를 Keras 처럼 업데이트 전에 θ(1 - ηλ) 로 하는 클래스 (exclude_from_weight_decay 를 쓸 수 있다).
    _decay_before_update = False

    def __init__(self, params, *, names=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, gradient_accumulation_steps=None, **hyper):
        options = dict(clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                       ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                       gradient_accumulation_steps=gradient_accumulation_steps)
        check_training_options(options)
        own_step = type(self).step is not _KerasOptimizer.step
        if own_step and (options != TRAINING_OPTIONS or callable(hyper.get("learning_rate"))):
            changed = sorted(k for k in options if options[k] != TRAINING_OPTIONS[k])
            raise TypeError(f"{type(self).__name__} has its own step(); the Keras training options "
                            f"{changed or ['learning_rate=<schedule>']} are not available for it")
        super().__init__(params, **hyper)
        if names is not None:
            names = list(names) if isinstance(names, Sequence) and not isinstance(names, str) else names
            if not isinstance(names, list) or len(names) != len(self.params) or not all(
                    isinstance(n, str) for n in names):
                raise ValueError(f"invalid names={names!r}: must be a list of {len(self.params)} strings, one per "
                                 "parameter (Keras's variable.name)")
        self.names = names
        for k, v in options.items():
            setattr(self, k, v)
        self._built_options = (use_ema, gradient_accumulation_steps)
        self._iterations = 0
        self.ema = [np.zeros_like(p) for p in self.params] if use_ema else None
        self._accumulated = [np.zeros_like(p) for p in self.params] if gradient_accumulation_steps else None
        self._exclude_ids: frozenset = frozenset()
        self._exclude_pattern = None

    # -- Keras 의 공개 속성/메서드 --------------------------------------------
    @property
    def iterations(self) -> int:
        """Keras 의 ``optimizer.iterations``: 누적이 있으면 ``_iterations // k`` (업데이트 수), 없으면 호출 수."""
        k = self.gradient_accumulation_steps
        return self._iterations // k if k else self._iterations

    @property
    def learning_rate(self) -> float:
        """Keras 의 ``optimizer.learning_rate``: 다음 스텝이 쓸 학습률 (스케줄이면 ``schedule(_iterations)``).

        쓰기 (``opt.learning_rate = 0.01``) 는 ``opt.hyper["learning_rate"]`` 를 바꾼다. Keras 처럼 스케줄로 만든
        옵티마이저에 수를 쓰면 TypeError 다 (스케줄을 새 스케줄로 바꾸는 것은 된다).
        """
        return self._learning_rate_now()

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        learning_rate_or_schedule("learning_rate", value)
        if callable(self.hyper["learning_rate"]) and not callable(value):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                            "constructor argument, hence its learning rate is not settable. If you need the learning "
                            "rate to be settable, you should instantiate the optimizer with a float `learning_rate` "
                            "argument.")
        self.hyper["learning_rate"] = value

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """가중치 감쇠에서 뺄 파라미터 (``BaseOptimizer.exclude_from_weight_decay``).

        Keras 처럼 부를 때마다 앞의 설정을 바꾼다. numpy 배열에는 이름이 없으므로:

        - ``var_list``: ``opt.params`` 의 배열 그 자체 (같은 객체; Keras 의 ``id(variable)``).
        - ``var_names``: 문자열 목록. 생성자의 ``names=[...]`` (파라미터마다 Keras 의 ``variable.name``) 에
          Keras 처럼 ``re.search("|".join(set(var_names)), name)`` 이 맞으면 뺀다.
        """
        if not self._decay_before_update:
            raise NotImplementedError(f"{type(self).__name__} does not apply Keras's decoupled weight decay before "
                                      "the update; exclude_from_weight_decay is not available for it")
        ids = set()
        for i, v in enumerate(var_list or []):
            hits = [j for j, p in enumerate(self.params) if p is v]
            if not hits:
                raise ValueError(f"invalid var_list[{i}]: it is not one of opt.params (pass the same array objects "
                                 "the optimizer was built with)")
            ids.update(hits)
        pattern = None
        if var_names:
            if isinstance(var_names, str) or not all(isinstance(n, str) for n in var_names):
                raise ValueError(f"invalid var_names={var_names!r}: must be a list of strings")
            if self.names is None:
                raise ValueError(f"invalid var_names={var_names!r}: numpy arrays have no names; build the optimizer "
                                 "with names=[...] (one string per parameter) to use var_names")
            pattern = re.compile("|".join(set(var_names)))
        self._exclude_ids, self._exclude_pattern = frozenset(ids), pattern

    def _use_weight_decay(self, i) -> bool:
        """``BaseOptimizer._use_weight_decay``: 파라미터 i 에 감쇠를 하는가."""
        if i in self._exclude_ids:
            return False
        return not (self._exclude_pattern is not None and re.search(self._exclude_pattern, self.names[i]))

    def finalize_variable_values(self) -> None:
        """``use_ema`` 면 파라미터를 EMA 로 덮어쓴다 (Keras 의 ``finalize_variable_values``; ``fit`` 이 끝에 부른다)."""
        if self.ema is not None:
            for p, a in zip(self.params, self.ema):
                p[...] = a

    # -- 한 스텝 -------------------------------------------------------------
    def _options(self) -> dict:
        options = {k: getattr(self, k) for k in TRAINING_OPTIONS}
        check_training_options(options)
        if (options["use_ema"], options["gradient_accumulation_steps"]) != self._built_options:
            raise ValueError(f"invalid use_ema={options['use_ema']!r}, gradient_accumulation_steps="
                             f"{options['gradient_accumulation_steps']!r}: the optimizer was built with "
                             f"{self._built_options}; these options create arrays and cannot change after "
                             "construction. Build a new optimizer")
        return options

    def _learning_rate_now(self) -> float:
        lr = self.hyper["learning_rate"]
        if not callable(lr):
            return lr
        value = lr(self._iterations) if isinstance(lr, LearningRateSchedule) else lr()
        try:
            ok = _real(value) and math.isfinite(value) and value >= 0
        except TypeError:
            ok = False
        if not ok:
            raise ValueError(f"invalid learning_rate: the schedule {lr!r} returned {value!r} at iteration "
                             f"{self._iterations}; a learning rate must be a finite number >= 0. Nothing was changed")
        return float(value)

    def _checked_grads(self, grads) -> list[np.ndarray]:
        if isinstance(grads, np.ndarray):
            raise TypeError("grads must be a list of arrays (one per parameter), not a single array")
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"invalid grads: got {len(grads)} gradients for {len(self.params)} params")
        out = []
        for i, (g, p) in enumerate(zip(grads, self.params)):
            if g is None:
                raise TypeError(f"invalid grads[{i}]: None; this optimizer steps every parameter, "
                                "pass an array of zeros if that is what you mean")
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

    def _clip(self, grads, o) -> list[np.ndarray]:
        """``BaseOptimizer._clip_gradients``: clipnorm, global_clipnorm, clipvalue 의 순서로 (하나만 켜진다)."""
        with np.errstate(over="ignore", invalid="ignore"):
            if o["clipnorm"] is not None:
                name, out = "clipnorm", [clip_by_norm(g, o["clipnorm"]) for g in grads]
            elif o["global_clipnorm"] is not None:
                name, out = "global_clipnorm", clip_by_global_norm(grads, o["global_clipnorm"])
            elif o["clipvalue"] is not None:
                return clip_by_value(grads, o["clipvalue"])
            else:
                return grads
        for i, g in enumerate(out):
            if not np.all(np.isfinite(g)):
                raise ValueError(f"invalid grads[{i}]: {name}={o[name]!r} gives non-finite values because the sum "
                                 f"of squared gradients overflows {g.dtype}. Nothing was changed")
        return out

    def step(self, grads, trace=None):
        """Keras 의 ``optimizer.apply(grads)`` 한 번 (클래스 설명의 1-6). 실패하면 아무것도 바꾸지 않는다."""
        o = self._options()
        grads = self._checked_grads(grads)
        k = o["gradient_accumulation_steps"]
        it = self._iterations
        update = not k or (it + 1) % k == 0
        # Keras 는 업데이트하는 호출에서만 학습률을 읽는다 (누적만 하는 호출은 ops.cond 의 다른 가지).
        lr = self._learning_rate_now() if update else None
        accumulated = self._accumulated
        if k:
            with np.errstate(over="ignore"):
                if update:  # _update_step_fn: (g + acc_g) / steps, 그 뒤 누적을 0 으로
                    grads = [(g + a) / k for g, a in zip(grads, self._accumulated)]
                    accumulated = [np.zeros_like(a) for a in self._accumulated]
                else:  # _backend_increment_gradient_accumulators: acc += g
                    accumulated = [a + g for a, g in zip(self._accumulated, grads)]
            for i, g in enumerate(accumulated if not update else grads):
                if not np.all(np.isfinite(g)):
                    raise ValueError(f"invalid grads[{i}]: the accumulated gradient overflows {g.dtype}. "
                                     "Nothing was changed")
        if update:
            self._update_params(self._clip(grads, o), lr, trace)
        elif trace is not None:
            trace.append([None] * len(self.params))
        # 여기부터는 실패할 수 없다 (유한한 배열의 볼록 결합과 복사).
        self._accumulated = accumulated
        if o["use_ema"]:
            iterations = it // k if k else it
            momentum = o["ema_momentum"] if iterations != 0 else 0.0
            # Keras: momentum = cast(iterations != 0, dtype) * ema_momentum 를 변수의 dtype 으로 계산한다.
            self.ema = [F.ema(a, p, p.dtype.type(momentum)) for a, p in zip(self.ema, self.params)]
            f = o["ema_overwrite_frequency"]
            if f and (iterations + 1) % f == 0:
                self.finalize_variable_values()
        self._iterations = it + 1

    def _update_params(self, grads, lr, trace) -> None:
        """분리된 가중치 감쇠 + functional 의 업데이트를 이 스텝의 학습률 ``lr`` 로 (``Optimizer.step``)."""
        h = self.hyper
        schedule, wd = h["learning_rate"], h.get("weight_decay")
        excluded = [i for i in range(len(self.params)) if not self._use_weight_decay(i)] if wd else []
        saved = []
        try:
            h["learning_rate"] = lr
            if excluded:
                # 뺀 배열이 있으면 감쇠를 functional 의 apply_weight_decay 로 업데이트 전에 하고 (Keras 의
                # _apply_weight_decay 와 같은 자리, 같은 식 θ(1 - ηλ)), 업데이트는 감쇠 없이 한다.
                h["weight_decay"] = 0.0
                for i, (p, g) in enumerate(zip(self.params, grads)):
                    if i not in excluded:
                        saved.append((p, p.copy()))
                        p[...] = F.apply_weight_decay(p, g, lr=lr, weight_decay=wd, decoupled=True,
                                                      maximize=False)[0]
            super().step(grads, trace)
        except BaseException:
            for p, old in saved:  # 업데이트가 실패하면 감쇠도 되돌린다: 아무것도 바뀌지 않는다
                p[...] = old
            raise
        finally:
            h["learning_rate"] = schedule
            if excluded:
                h["weight_decay"] = wd

    # -- state_dict: EMA, 누적, 호출 수 ----------------------------------------
    def state_dict(self) -> dict:
        """``Optimizer.state_dict`` 에, EMA 나 누적이 켜져 있으면 ``"keras"``: {iterations, ema, accumulated} 를 더한다."""
        sd = super().state_dict()
        if self.ema is not None or self._accumulated is not None:
            sd[_KERAS_STATE_KEY] = {
                "iterations": self._iterations,
                "ema": None if self.ema is None else [a.copy() for a in self.ema],
                "accumulated": None if self._accumulated is None else [a.copy() for a in self._accumulated],
            }
        return sd

    def load_state_dict(self, state_dict) -> None:
        extra = None
        if isinstance(state_dict, Mapping):
            extra = state_dict.get(_KERAS_STATE_KEY)
            state_dict = {k: v for k, v in state_dict.items() if k != _KERAS_STATE_KEY}
        try:
            fields = self._read_keras_state(extra)
        except (TypeError, ValueError) as err:
            raise type(err)(f"invalid state_dict: {err}") from None
        super().load_state_dict(state_dict)  # 모두 검사한 뒤에만 쓴다
        if fields is None:
            self._iterations = self.t
        else:
            self._iterations, self.ema, self._accumulated = fields

    def _read_keras_state(self, extra):
        needed = self.ema is not None or self._accumulated is not None
        if extra is None:
            if needed:
                raise ValueError(f"missing key '{_KERAS_STATE_KEY}' (iterations, EMA and accumulated gradients), "
                                 "needed because use_ema or gradient_accumulation_steps is set")
            return None
        if not needed:
            raise ValueError(f"unexpected key '{_KERAS_STATE_KEY}': this optimizer has neither use_ema nor "
                             "gradient_accumulation_steps")
        if not isinstance(extra, Mapping) or set(extra) != {"iterations", "ema", "accumulated"}:
            raise ValueError(f"'{_KERAS_STATE_KEY}' must be a dict with keys ['iterations', 'ema', 'accumulated']")
        it = extra["iterations"]
        if not _int(it) or it < 0:
            raise ValueError(f"'{_KERAS_STATE_KEY}']['iterations']={it!r}, expected an int >= 0")
        out = [int(it)]
        for key, mine in (("ema", self.ema), ("accumulated", self._accumulated)):
            arrays = extra[key]
            if mine is None:
                if arrays is not None:
                    raise ValueError(f"'{_KERAS_STATE_KEY}']['{key}'] must be None for this optimizer")
                out.append(None)
                continue
            if not isinstance(arrays, Sequence) or len(arrays) != len(self.params):
                raise ValueError(f"'{_KERAS_STATE_KEY}']['{key}'] must be a list of {len(self.params)} arrays")
            for i, (a, p) in enumerate(zip(arrays, self.params)):
                if not isinstance(a, np.ndarray) or a.shape != p.shape or a.dtype != p.dtype \
                        or not np.all(np.isfinite(a)):
                    raise ValueError(f"'{_KERAS_STATE_KEY}']['{key}'][{i}] must be a finite numpy array of shape "
                                     f"{p.shape} dtype {p.dtype}")
            out.append([np.array(a) for a in arrays])
        return tuple(out)

    @staticmethod
    def _decay(h) -> dict:
        """Keras 의 weight_decay 는 늘 분리된 감쇠다 (None 은 0)."""
        return dict(weight_decay=h["weight_decay"] or 0.0, decoupled_weight_decay=True)


class SGD(_KerasOptimizer):
    r"""SGD (``keras.optimizers.SGD``): 학습률이 모멘텀 버퍼 안에 있다.

    .. math::
        v_t = \mu v_{t-1} + \eta g_t,\qquad \theta_t = \theta_{t-1} - v_t
        \quad(\text{nesterov: } \theta_{t-1} - \eta g_t - \mu v_t)

    Args:
        learning_rate (float, optional): (default: 0.01)
        momentum (float, optional): [0, 1] (default: 0.0)
        nesterov (bool, optional): (default: False)
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "SGD"
    defaults = dict(learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None)
    checks = {**_COMMON_CHECKS, "momentum": closed_unit_interval, "nesterov": boolean}
    _update = staticmethod(F.sgd)

    def _init(self, param, h):
        return F.sgd_init(param, h["momentum"], lr_in_buffer=True)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], momentum=h["momentum"], nesterov=h["nesterov"],
                    lr_in_buffer=True, **self._decay(h))


class Adagrad(_KerasOptimizer):
    r"""Adagrad (``keras.optimizers.Adagrad``): 엡실론이 제곱근 안에 있다.

    .. math::
        G_t = G_{t-1} + g_t^2,\qquad \theta_t = \theta_{t-1} - \eta\, g_t / \sqrt{G_t + \epsilon}

    Args:
        learning_rate (float, optional): (default: 0.001)
        initial_accumulator_value (float, optional): :math:`G_0` (default: 0.1)
        epsilon (float, optional): (default: 1e-7)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "Adagrad"
    defaults = dict(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None)
    checks = {**_COMMON_CHECKS, "initial_accumulator_value": nonnegative, "epsilon": nonnegative}
    _update = staticmethod(F.adagrad)

    def _init(self, param, h):
        return F.adagrad_init(param, h["initial_accumulator_value"])

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], eps=h["epsilon"], eps_inside_sqrt=True, **self._decay(h))


class RMSprop(_KerasOptimizer):
    r"""RMSprop (``keras.optimizers.RMSprop``): 엡실론이 제곱근 안에, 학습률이 모멘텀 버퍼 안에 있다.

    .. math::
        s_t = \rho s_{t-1} + (1-\rho) g_t^2,\qquad
        v_t = \mu v_{t-1} + \eta\, g_t / \sqrt{s_t + \epsilon},\qquad \theta_t = \theta_{t-1} - v_t

    Args:
        learning_rate (float, optional): (default: 0.001)
        rho (float, optional): (default: 0.9)
        momentum (float, optional): (default: 0.0)
        epsilon (float, optional): (default: 1e-7)
        centered (bool, optional): (default: False)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "RMSprop"
    defaults = dict(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, weight_decay=None)
    checks = {**_COMMON_CHECKS, "rho": unit_interval, "momentum": nonnegative, "epsilon": nonnegative,
              "centered": boolean}
    _update = staticmethod(F.rmsprop)

    def _init(self, param, h):
        return F.rmsprop_init(param, h["centered"], h["momentum"])

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], alpha=h["rho"], eps=h["epsilon"], momentum=h["momentum"],
                    centered=h["centered"], eps_inside_sqrt=True, lr_in_buffer=True, **self._decay(h))


class Adam(_KerasOptimizer):
    r"""Adam (``keras.optimizers.Adam`` = ``tf.keras.optimizers.Adam``): 엡실론은 논문의 :math:`\hat\epsilon`.

    .. math::
        \alpha_t = \eta \sqrt{1-\beta_2^t} / (1-\beta_1^t),\qquad
        \theta_t = \theta_{t-1} - \alpha_t\, m_t / (\sqrt{v_t} + \hat\epsilon)

    이는 PyTorch 형식의 식 (5) 에서 :math:`\epsilon` 을 :math:`\hat\epsilon/\sqrt{1-\beta_2^t}` 로 바꾼 것과 같다.

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1 (float, optional): (default: 0.9)
        beta_2 (float, optional): (default: 0.999)
        epsilon (float, optional): :math:`\hat\epsilon` (default: 1e-7)
        amsgrad (bool, optional): (default: False)
        weight_decay (float | None, optional): 분리된 가중치 감쇠 (default: None)
    """

    reference = "Adam"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, weight_decay=None)
    checks = {**_COMMON_CHECKS, **_BETAS, "amsgrad": boolean}
    _update = staticmethod(F.adam)

    def _init(self, param, h):
        return F.adam_init(param, h["amsgrad"])

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    amsgrad=h["amsgrad"], epsilon_hat=True, **self._decay(h))


class AdamW(Adam):
    r"""AdamW (``keras.optimizers.AdamW``): :class:`Adam` 에 ``weight_decay=0.004`` 가 기본인 것.

    Args:
        learning_rate (float, optional): (default: 0.001)
        weight_decay (float, optional): (default: 0.004)
        beta_1, beta_2, epsilon, amsgrad: :class:`Adam` 과 같다.
    """

    reference = "AdamW"
    defaults = dict(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)
    checks = {**Adam.checks, "weight_decay": nonnegative}


class Nadam(_KerasOptimizer):
    r"""Nadam (``keras.optimizers.Nadam``): 모멘텀 스케줄이 :math:`\mu_t = \beta_1(1 - \tfrac12 0.96^{t})`.

    :func:`adamlearn.functional.nadam` 에 ``momentum_decay=1`` 을 준 것과 같다 (PyTorch 의 기본값은 0.004).

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1, beta_2 (float, optional): (default: 0.9, 0.999)
        epsilon (float, optional): (default: 1e-7)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "Nadam"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None)
    checks = {**_COMMON_CHECKS, **_BETAS}
    _update = staticmethod(F.nadam)

    def _init(self, param, h):
        return F.nadam_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    momentum_decay=1.0, **self._decay(h))


class Adamax(_KerasOptimizer):
    r"""Adamax (``keras.optimizers.Adamax``): 엡실론을 max 밖, 분모에 더한다.

    .. math::
        u_t = \max(\beta_2 u_{t-1}, |g_t|),\qquad
        \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\, m_t / (u_t + \epsilon)

    Args:
        learning_rate (float, optional): (default: 0.001)
        beta_1, beta_2 (float, optional): (default: 0.9, 0.999)
        epsilon (float, optional): (default: 1e-7)
        weight_decay (float | None, optional): (default: None)
    """

    reference = "Adamax"
    defaults = dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None)
    checks = {**_COMMON_CHECKS, **_BETAS}
    _update = staticmethod(F.adamax)

    def _init(self, param, h):
        return F.adamax_init(param)

    def _core_kwargs(self, h):
        return dict(lr=h["learning_rate"], beta1=h["beta_1"], beta2=h["beta_2"], eps=h["epsilon"],
                    eps_inside_max=False, **self._decay(h))


# Keras 처럼 가중치 감쇠를 업데이트 전에 θ(1 - ηλ) 로 하는 클래스 (``_decay``): exclude_from_weight_decay 를 쓸 수 있다.
for _cls in (SGD, Adagrad, RMSprop, Adam, Nadam, Adamax):
    _cls._decay_before_update = True
del _cls

# Adam 이후의 Keras 형식 옵티마이저: 알고리즘마다 모듈 하나에 있고 (adamlearn._adafactor, _lion, _lamb, _muon,
# _schedulefree), 여기서 Keras 의 이름으로 내보낸다. 처음 쓸 때 가져온다: 그 모듈들이 이 모듈의 _KerasOptimizer 와
# adamlearn.functional 을 쓰고, functional 은 그 모듈들의 순수 함수를 다시 내보내므로 여기서 바로 가져오면 순환한다.
_AFTER_ADAM = {
    "Adafactor": ("_adafactor", "KerasAdafactor"),
    "Lamb": ("_lamb", "Lamb"),
    "Lion": ("_lion", "Lion"),
    "Muon": ("_muon", "KerasMuon"),
    "ScheduleFreeAdamW": ("_schedulefree", "KerasScheduleFreeAdamW"),
}
__all__ += sorted(_AFTER_ADAM)


def __getattr__(name):
    if name in _AFTER_ADAM:
        import importlib

        module, attr = _AFTER_ADAM[name]
        return getattr(importlib.import_module(f"adamlearn.{module}"), attr)
    raise AttributeError(f"module 'adamlearn.keras' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_AFTER_ADAM])
