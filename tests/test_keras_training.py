"""Keras 의 학습 옵션 (clipnorm/clipvalue/global_clipnorm, 학습률 스케줄, 가중치 EMA, 그래디언트 누적,
exclude_from_weight_decay) 을 ``keras.optimizers`` (Keras 3, torch 백엔드, float64) 와 비교한다.

교차 확인의 허용 오차
--------------------
float64, 스텝마다의 max|ours - keras| / max|keras| <= 1e-12 (``rounding_bound("float64", 1000)``).
같은 식을 같은 순서로 계산하지만 두 곳에서 반올림이 갈릴 수 있다:

- torch 의 ``sum`` (clipnorm, global_clipnorm 의 제곱합) 은 numpy 의 pairwise 합과 더하는 순서가 달라
  노름이 1 ulp 쯤 다를 수 있다. 자른 그래디언트는 그만큼 (~1e-16) 상대적으로 다르다.
- torch 의 foreach 커널(``_foreach_add_(..., alpha=)``)은 곱셈-덧셈을 FMA 로 한 번에 반올림할 수 있다
  (test_agreement.py 의 설명과 같다). 스케줄의 cos, pow 는 torch 와 libm 이 1 ulp 다를 수 있다.

스텝마다의 이런 ~1e-16 상대 차이는 이어지는 스텝에서 쌓이기만 한다 (그래디언트 열이 정해져 있고 모멘트는
EMA 라 수축한다). 300 스텝이면 ``2 * 300 * eps = 1.3e-13`` 이 상계이고, 10 의 거듭제곱으로 올린 것이 1e-12 다
(``adamlearn.crosscheck.rounding_bound``). 가중치 EMA 의 배열도 같은 한계로 비교한다 (파라미터의 볼록 결합).
이 머신에서 잰 최댓값은 42 설정 x 300 스텝에서 3.3e-15 (파라미터) 와 1.5e-15 (EMA) 다.

Keras 3.15.1 의 torch 백엔드는 clipnorm 의 분모와 global_clipnorm 의 배율을 float64 에서도 float32 로 반올림한다
(adamlearn/keras/__init__.py 의 설명). 이 반올림을 빼면 차이는 1e-8 수준이 되어 이 테스트가 실패한다.
"""

import os
import warnings

import numpy as np
import pytest

import adamlearn.keras as K
from adamlearn.crosscheck import _differences, keras_floatx, rounding_bound
from adamlearn.keras import schedules

STEPS = 300
SHAPES = ((3, 4), (5,), ())
NAMES = ["kernel", "bias", "scale"]  # Keras 의 variable.name (var_names 는 이것에 re.search 한다)
OPTIMIZERS = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Nadam", "Adamax"]
TOLERANCE = rounding_bound("float64", 1000)  # = 1e-12; 300 스텝의 상계 1.3e-13 을 10 의 거듭제곱으로 올린 값 이상


def _loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _random_hyper(rng, name):
    h = {"learning_rate": _loguniform(rng, 1e-3, 1e-1)}
    if name in {"Adam", "AdamW", "Nadam", "Adamax"}:
        h["beta_1"] = float(rng.uniform(0.5, 0.99))
        h["beta_2"] = float(rng.uniform(0.9, 0.9999))
    if name in {"Adam", "AdamW", "Nadam", "Adamax", "RMSprop", "Adagrad"}:
        h["epsilon"] = _loguniform(rng, 1e-10, 1e-6)
    if name in {"SGD", "RMSprop"} and rng.random() < 0.7:
        h["momentum"] = float(rng.uniform(0.5, 0.95))
    if name == "SGD" and "momentum" in h and rng.random() < 0.5:
        h["nesterov"] = True
    if name == "RMSprop":
        h["rho"] = float(rng.uniform(0.8, 0.999))
        h["centered"] = bool(rng.random() < 0.5)
    if name in {"Adam", "AdamW"}:
        h["amsgrad"] = bool(rng.random() < 0.3)
    if rng.random() < 0.6:
        h["weight_decay"] = _loguniform(rng, 1e-3, 1e-1)
    return h


def _random_schedule(rng):
    """(이름, 인자) 또는 None. 인자는 두 라이브러리에 그대로 준다."""
    lr0 = _loguniform(rng, 1e-3, 1e-1)
    kind = rng.integers(5)
    if kind == 0:
        return None
    if kind == 1:
        args = dict(initial_learning_rate=lr0, decay_steps=int(rng.integers(20, 200)), alpha=float(rng.uniform(0, 0.3)))
        if rng.random() < 0.7:
            args.update(warmup_target=_loguniform(rng, 1e-3, 1e-1), warmup_steps=int(rng.integers(0, 60)))
        return "CosineDecay", args
    if kind == 2:
        return "ExponentialDecay", dict(initial_learning_rate=lr0, decay_steps=int(rng.integers(10, 100)),
                                        decay_rate=float(rng.uniform(0.5, 0.99)), staircase=bool(rng.random() < 0.5))
    if kind == 3:
        return "PolynomialDecay", dict(initial_learning_rate=lr0, decay_steps=int(rng.integers(20, 150)),
                                       end_learning_rate=lr0 * float(rng.uniform(0, 0.5)),
                                       power=float(rng.uniform(0.5, 3.0)), cycle=bool(rng.random() < 0.5))
    cuts = sorted(int(b) for b in rng.choice(np.arange(1, STEPS), size=3, replace=False))
    return "PiecewiseConstantDecay", dict(boundaries=cuts, values=[_loguniform(rng, 1e-3, 1e-1) for _ in range(4)])


def _random_options(rng):
    o = {}
    clip = rng.integers(4)
    if clip:
        # 그래디언트의 노름은 배열마다 ~1-3, 전체로 ~4 다: 값의 범위는 자르는 스텝과 자르지 않는 스텝이 섞이게 골랐다.
        key = ("clipnorm", "global_clipnorm", "clipvalue")[clip - 1]
        o[key] = float(rng.uniform(0.5, 4.0)) if key != "clipvalue" else float(rng.uniform(0.3, 2.0))
    if rng.random() < 0.5:
        o.update(use_ema=True, ema_momentum=float(rng.uniform(0.5, 0.99)))
        if rng.random() < 0.5:
            o["ema_overwrite_frequency"] = int(rng.integers(1, 30))
    if rng.random() < 0.4:
        o["gradient_accumulation_steps"] = int(rng.integers(2, 5))
    return o


def _configs(n, seed=20261205):
    rng = np.random.default_rng(seed)
    out = []
    for c in range(n):
        name = OPTIMIZERS[c % len(OPTIMIZERS)]
        hyper = _random_hyper(rng, name)
        schedule = _random_schedule(rng)
        options = _random_options(rng)
        exclude = None
        if "weight_decay" in hyper or name == "AdamW":
            exclude = [None, dict(var_names=["bias"]), dict(var_list=[2]), dict(var_list=[0], var_names=["scale"])][
                int(rng.integers(4))]
        grads_scale = float(rng.choice([0.3, 1.0, 3.0]))
        out.append((name, hyper, schedule, options, exclude, grads_scale, int(rng.integers(2**31))))
    return out


def _problem(seed, scale):
    rng = np.random.default_rng(seed)
    params0 = [np.asarray(rng.standard_normal(s)) for s in SHAPES]
    grads = [[np.asarray(scale * rng.standard_normal(s)) for s in SHAPES] for _ in range(STEPS)]
    return params0, grads


def _our_class(name):
    if name == "Lion":
        from adamlearn._lion import Lion
        return Lion
    if name == "Lamb":
        from adamlearn._lamb import Lamb
        return Lamb
    return getattr(K, name)


def _run_ours(name, hyper, schedule, options, exclude, params0, grads):
    params = [p.copy() for p in params0]
    h = dict(hyper)
    if schedule is not None:
        h["learning_rate"] = getattr(schedules, schedule[0])(**schedule[1])
    opt = _our_class(name)(params, names=NAMES, **h, **options)
    if exclude is not None:
        opt.exclude_from_weight_decay(var_list=[params[i] for i in exclude.get("var_list", [])],
                                      var_names=exclude.get("var_names"))
    traj, emas = [], []
    for gs in grads:
        opt.step(gs)
        traj.append([p.copy() for p in params])
        if opt.ema is not None:
            emas.append([a.copy() for a in opt.ema])
    return traj, emas, opt.iterations


def _run_keras(name, hyper, schedule, options, exclude, params0, grads):
    import torch

    with keras_floatx("float64") as keras, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept a copy keyword")
        variables = [keras.Variable(torch.from_numpy(p.copy()), dtype="float64", name=n)
                     for p, n in zip(params0, NAMES)]
        h = dict(hyper)
        if schedule is not None:
            h["learning_rate"] = getattr(keras.optimizers.schedules, schedule[0])(**schedule[1])
        opt = getattr(keras.optimizers, name)(**h, **options)
        if exclude is not None:
            opt.exclude_from_weight_decay(var_list=[variables[i] for i in exclude.get("var_list", [])],
                                          var_names=exclude.get("var_names"))
        traj, emas = [], []
        for gs in grads:
            opt.apply([torch.from_numpy(g.copy()) for g in gs], variables)
            traj.append([v.value.detach().numpy().copy() for v in variables])
            if options.get("use_ema"):
                emas.append([a.value.detach().numpy().copy() for a in opt._model_variables_moving_average])
        return traj, emas, int(opt.iterations)


def _case_id(config):
    name, _, schedule, options, exclude, _, _ = config
    parts = [name, schedule[0] if schedule else "const", *sorted(options)]
    if exclude:
        parts.append("exclude")
    return "-".join(parts)


CONFIGS = _configs(42)


@pytest.fixture(scope="module", autouse=True)
def _torch_backend():
    os.environ.setdefault("KERAS_BACKEND", "torch")


def _compare(config):
    name, hyper, schedule, options, exclude, scale, seed = config
    params0, grads = _problem(seed, scale)
    ours = _run_ours(name, hyper, schedule, options, exclude, params0, grads)
    ref = _run_keras(name, hyper, schedule, options, exclude, params0, grads)
    rel = _differences(ours[0], ref[0])[1]
    rel_ema = _differences(ours[1], ref[1])[1] if ours[1] else 0.0
    return rel, rel_ema, ours, ref


@pytest.mark.parametrize("config", CONFIGS, ids=[f"{i}-{_case_id(c)}" for i, c in enumerate(CONFIGS)])
def test_matches_keras(config):
    """무작위 설정 (옵티마이저 x 스케줄 x 자르기 x EMA x 누적 x 감쇠 제외), 300 스텝, 파라미터와 EMA 모두."""
    rel, rel_ema, ours, ref = _compare(config)
    assert rel <= TOLERANCE, (rel, config)
    assert rel_ema <= TOLERANCE, (rel_ema, config)
    assert ours[2] == ref[2]  # optimizer.iterations 의 뜻 (누적이면 업데이트 수)
    # 설정이 실제로 무엇인가를 했는지: 파라미터가 움직였다
    assert not np.array_equal(ours[0][-1][0], ours[0][0][0])


# --------------------------------------------------------------------------- schedules
def _keras_schedule(name, args):
    with keras_floatx("float64") as keras:
        ref = getattr(keras.optimizers.schedules, name)(**args)
        return [float(ref(keras.ops.convert_to_tensor(s, dtype="int64"))) for s in range(STEPS + 50)]


@pytest.mark.parametrize("i", range(12))
def test_schedules_match_keras(i):
    """스케줄만 따로: 스텝 0..349 에서 Keras (floatx=float64) 의 값과 같다.

    허용 오차 4 ulp (상대 1e-15): 식과 연산 순서는 같고, 다를 수 있는 것은 cos/pow 의 마지막 자리뿐이다
    (torch 의 커널과 C 라이브러리의 math.cos/pow; 각각 1 ulp 이내). 이 머신에서는 모두 비트 단위로 같다.
    """
    rng = np.random.default_rng(1000 + i)
    spec = None
    while spec is None:
        spec = _random_schedule(rng)
    ours = getattr(schedules, spec[0])(**spec[1])
    ref = _keras_schedule(*spec)
    got = [ours(s) for s in range(STEPS + 50)]
    assert all(isinstance(v, float) for v in got)
    np.testing.assert_allclose(got, ref, rtol=1e-15, atol=0)
    assert type(ours).from_config(ours.get_config()) == ours


def test_cosine_decay_warmup_by_hand():
    """워밍업 구간은 선형, 끝은 warmup_target, 그 뒤 코사인으로 alpha * warmup_target 까지 (손으로 계산한 값)."""
    s = schedules.CosineDecay(0.0, decay_steps=10, alpha=0.1, warmup_target=1.0, warmup_steps=4)
    assert [s(k) for k in range(5)] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert s(9) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * 5 / 10)), rel=1e-15)
    assert s(14) == s(1000) == pytest.approx(0.1, rel=1e-15)


def test_schedule_sees_the_iteration_count_before_the_step():
    """Keras 는 스텝 t (1부터) 에서 schedule(t - 1) 을 부른다 (_iterations 는 apply 의 끝에서 늘어난다).

    PiecewiseConstantDecay([0], [1.0, 0.0]) 이면 첫 스텝만 학습률 1, 그 뒤는 0 이다. schedule(t) 를 부르면
    첫 스텝부터 0 이라 x 가 움직이지 않는다.
    """
    x = np.array([1.0, -2.0])
    opt = K.SGD([x], learning_rate=schedules.PiecewiseConstantDecay([0], [1.0, 0.0]))
    assert opt.learning_rate == 1.0
    opt.step([np.array([0.5, 0.25])])
    np.testing.assert_array_equal(x, [0.5, -2.25])
    assert opt.learning_rate == 0.0 and opt.iterations == 1
    opt.step([np.array([0.5, 0.25])])
    np.testing.assert_array_equal(x, [0.5, -2.25])
    assert opt.hyper["learning_rate"] == schedules.PiecewiseConstantDecay([0], [1.0, 0.0])  # 스케줄은 그대로다


# --------------------------------------------------------------------------- hand-checked semantics
def test_gradient_accumulation_by_hand():
    """k=3: 두 번은 더하기만 하고 (x, iterations 그대로), 세 번째에 평균 (g1+g2+g3)/3 으로 한 번 움직인다."""
    x = np.array([1.0])
    opt = K.SGD([x], learning_rate=0.5, gradient_accumulation_steps=3)
    for g in (1.0, 2.0):
        opt.step([np.array([g])])
        assert x[0] == 1.0 and opt.iterations == 0
    opt.step([np.array([6.0])])
    assert x[0] == 1.0 - 0.5 * 3.0 and opt.iterations == 1
    np.testing.assert_array_equal(opt._accumulated[0], [0.0])


def test_ema_first_step_and_overwrite_by_hand():
    """EMA 는 iterations == 0 인 첫 스텝에서 파라미터 그 자체, 그 뒤 m a + (1-m) θ. f=2 면 2번째 스텝 끝에 덮어쓴다."""
    x = np.array([0.0])
    opt = K.SGD([x], learning_rate=1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    np.testing.assert_array_equal(opt.ema[0], [0.0])
    opt.step([np.array([-4.0])])  # x = 4, a = 4 (첫 스텝: 모멘텀 0)
    assert x[0] == 4.0 and opt.ema[0][0] == 4.0
    opt.step([np.array([-4.0])])  # x = 8, a = 0.5*4 + 0.5*8 = 6, (iterations+1) % 2 == 0 이라 x <- 6
    assert opt.ema[0][0] == 6.0 and x[0] == 6.0


def test_clipping_by_hand():
    """clipnorm 은 배열마다, global_clipnorm 은 전체로, clipvalue 는 값마다 자른다 (노름 5 인 [3, 4])."""
    g = [np.array([3.0, 4.0]), np.array([0.0])]
    for options, expected in [(dict(clipnorm=1.0), [0.6, 0.8]), (dict(global_clipnorm=2.5), [1.5, 2.0]),
                              (dict(clipvalue=3.5), [3.0, 3.5])]:
        x, y = np.zeros(2), np.zeros(1)
        K.SGD([x, y], learning_rate=1.0, **options).step(g)
        np.testing.assert_allclose(-x, expected, rtol=1e-15)
        assert y[0] == 0.0


def test_exclude_from_weight_decay_by_hand():
    """뺀 배열은 감쇠 없이, 나머지는 θ(1 - ηλ) 뒤 업데이트. var_names 는 names 에 re.search, var_list 는 같은 객체."""
    w, b, s = np.ones(2), np.ones(2), np.ones(1)
    opt = K.SGD([w, b, s], learning_rate=0.5, weight_decay=0.2, names=["dense/kernel", "dense/bias", "scale"])
    opt.exclude_from_weight_decay(var_list=[s], var_names=["bias"])
    zero = [np.zeros(2), np.zeros(2), np.zeros(1)]
    opt.step(zero)
    np.testing.assert_array_equal(w, [0.9, 0.9])
    np.testing.assert_array_equal(b, [1.0, 1.0])
    np.testing.assert_array_equal(s, [1.0])
    opt.exclude_from_weight_decay()  # Keras 처럼 다시 부르면 설정이 바뀐다: 이제 모두 감쇠한다
    opt.step(zero)
    np.testing.assert_array_equal(b, [0.9, 0.9])


# --------------------------------------------------------------------------- validation: clear error, nothing changes
def _snapshot(opt):
    sd = opt.state_dict()
    return [p.copy() for p in opt.params], sd, opt._iterations


def _assert_unchanged(opt, snap):
    params, sd, iterations = snap
    for p, q in zip(opt.params, params):
        np.testing.assert_array_equal(p, q)
    now = opt.state_dict()
    assert opt._iterations == iterations
    assert now.keys() == sd.keys() and now["hyper"] == sd["hyper"]
    for a, b in zip(now["state"], sd["state"]):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    for key in ("ema", "accumulated"):
        for a, b in zip(now["keras"][key] or [], sd["keras"][key] or []):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs, match", [
    (dict(clipnorm=-1.0), r"clipnorm=-1\.0"),
    (dict(clipnorm=0.0), r"clipnorm=0\.0"),
    (dict(global_clipnorm=float("nan")), r"global_clipnorm=nan"),
    (dict(clipvalue="1"), r"clipvalue='1'"),
    (dict(clipnorm=1.0, clipvalue=1.0), r"Only one of `clipnorm`, `clipvalue` and `global_clipnorm`"),
    (dict(gradient_accumulation_steps=1), r"gradient_accumulation_steps=1"),
    (dict(gradient_accumulation_steps=2.0), r"gradient_accumulation_steps=2\.0"),
    (dict(use_ema=True, ema_momentum=1.5), r"ema_momentum=1\.5"),
    (dict(use_ema=True, ema_overwrite_frequency=0), r"ema_overwrite_frequency=0"),
    (dict(use_ema=1), r"use_ema=1"),
    (dict(learning_rate=-0.1), r"learning_rate=-0\.1"),
    (dict(names=["a"]), r"names=\['a'\]"),
])
def test_invalid_options_are_rejected(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        K.Adam([np.zeros(2), np.zeros(3)], **kwargs)


class _Bad(schedules.LearningRateSchedule):
    def __init__(self, value, at=1):
        self.value, self.at = value, at

    def __call__(self, step):
        return 0.1 if step < self.at else self.value

    def get_config(self):
        return {"value": self.value, "at": self.at}


@pytest.mark.parametrize("value", [-0.5, float("nan"), float("inf"), "0.1", None])
def test_schedule_returning_an_invalid_learning_rate_changes_nothing(value):
    """k=2: 학습률은 업데이트하는 호출 (iterations 1, 3, ...) 에서만 읽는다 (Keras 의 ops.cond). 스케줄이 2 부터
    나쁜 값을 내도 누적만 하는 호출 2 는 지나가고, 호출 3 이 이름과 값을 말하며 거절된다."""
    x = np.array([1.0, 2.0])
    opt = K.Adam([x], learning_rate=_Bad(value, at=2), use_ema=True, gradient_accumulation_steps=2)
    for _ in range(3):
        opt.step([np.array([0.1, 0.2])])
    snap = _snapshot(opt)
    with pytest.raises(ValueError, match=rf"invalid learning_rate: the schedule .* returned {value!r} at iteration 3"):
        opt.step([np.array([0.1, 0.2])])
    _assert_unchanged(opt, snap)


def _busy_optimizer(**options):
    params = [np.linspace(-1, 1, 4), np.array([0.5])]
    opt = K.AdamW(params, weight_decay=0.1, names=["kernel", "bias"], use_ema=True, gradient_accumulation_steps=2,
                  **options)
    opt.exclude_from_weight_decay(var_names=["bias"])
    for k in range(3):
        opt.step([np.full(4, 0.1 * k), np.array([0.2])])
    return opt


@pytest.mark.parametrize("mutate, grads, match", [
    (lambda o: setattr(o, "clipnorm", -2.0), None, r"clipnorm=-2\.0"),
    (lambda o: setattr(o, "clipvalue", 1.0), None, r"Only one of"),
    (lambda o: setattr(o, "use_ema", False), None, r"use_ema=False"),
    (lambda o: setattr(o, "gradient_accumulation_steps", 3), None, r"gradient_accumulation_steps=3"),
    (lambda o: o.hyper.__setitem__("learning_rate", float("nan")), None, r"learning_rate=nan"),
    (None, [np.full(4, np.nan), np.array([0.2])], r"grads\[0\].*nan"),
    (None, [np.zeros(3), np.array([0.2])], r"grads\[0\]: shape"),
    (None, [np.full(4, 1e200), np.array([0.2])], r"grads\[0\]: global_clipnorm=1\.0 .* overflows"),
])
def test_bad_step_changes_nothing(mutate, grads, match):
    opt = _busy_optimizer(global_clipnorm=1.0)
    if mutate is not None:
        mutate(opt)
    snap = _snapshot(opt)
    with pytest.raises((ValueError, TypeError), match=match):
        opt.step(grads or [np.full(4, 0.3), np.array([0.2])])
    _assert_unchanged(opt, snap)


@pytest.mark.parametrize("first", [True, False])
def test_overflowing_accumulation_changes_nothing(first):
    """누적 (acc + g) 이나 평균 ((g + acc) / k) 이 넘치면 거절한다. first: 더하기만 하는 호출에서 넘친다."""
    x = np.array([1.0])
    opt = K.SGD([x], gradient_accumulation_steps=3, use_ema=True)
    opt.step([np.array([1.7e308])])
    if not first:
        opt.step([np.array([1.0])])
    snap = _snapshot(opt)
    with pytest.raises(ValueError, match=r"grads\[0\]: the accumulated gradient overflows float64"):
        opt.step([np.array([1.7e308])])
    _assert_unchanged(opt, snap)


def test_failed_update_after_weight_decay_is_undone():
    """감쇠를 뺀 배열이 있으면 감쇠는 업데이트 전에 제자리에서 한다. 업데이트가 실패하면 (g*g 오버플로) 되돌린다."""
    params = [np.linspace(1, 2, 3), np.array([1.0])]
    opt = K.Adam(params, weight_decay=0.1, learning_rate=0.1, names=["kernel", "bias"])
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.step([np.ones(3), np.ones(1)])
    before = [p.copy() for p in params]
    with pytest.raises(ValueError, match=r"g\*g overflows"):
        opt.step([np.full(3, 1e200), np.ones(1)])
    for p, q in zip(params, before):
        np.testing.assert_array_equal(p, q)
    assert opt.hyper["weight_decay"] == 0.1 and opt.hyper["learning_rate"] == 0.1


def test_learning_rate_property_like_keras():
    """opt.learning_rate 는 다음 스텝의 학습률. 수로 만든 옵티마이저는 바꿀 수 있고, 스케줄로 만든 것에 수를 쓰면 TypeError."""
    x = np.zeros(1)
    opt = K.Adam([x], learning_rate=0.1)
    opt.learning_rate = 0.2
    assert opt.hyper["learning_rate"] == 0.2 == opt.learning_rate
    with pytest.raises(ValueError, match=r"learning_rate=-1"):
        opt.learning_rate = -1
    sched = K.Adam([np.zeros(1)], learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match=r"not settable"):
        sched.learning_rate = 0.3
    assert sched.learning_rate == 0.1


def test_exclude_from_weight_decay_rejects_unknown_arrays_and_names():
    x = np.zeros(2)
    opt = K.AdamW([x])
    with pytest.raises(ValueError, match=r"var_list\[0\]: it is not one of opt.params"):
        opt.exclude_from_weight_decay(var_list=[x.copy()])
    with pytest.raises(ValueError, match=r"var_names=\['bias'\]: numpy arrays have no names"):
        opt.exclude_from_weight_decay(var_names=["bias"])
    assert opt._use_weight_decay(0)


# --------------------------------------------------------------------------- state_dict, imports
def test_state_dict_round_trip_mid_accumulation():
    """EMA, 누적 중인 그래디언트, 호출 수까지 저장한다: 되돌린 옵티마이저가 원래 것과 비트 단위로 같게 이어 간다."""
    rng = np.random.default_rng(7)
    grads = [[rng.standard_normal(4), rng.standard_normal(1)] for _ in range(12)]

    def make(params):
        return K.Nadam(params, learning_rate=schedules.CosineDecay(0.0, 20, warmup_target=0.05, warmup_steps=3),
                       use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=4, gradient_accumulation_steps=3,
                       clipnorm=0.7)

    a = [np.linspace(-1, 1, 4), np.array([0.3])]
    opt = make(a)
    for g in grads[:7]:  # 7 = 3 + 3 + 1: 누적 중간에서 저장한다
        opt.step(g)
    sd = opt.state_dict()
    b = [p.copy() for p in a]
    other = make(b)
    other.load_state_dict(sd)
    assert other._iterations == 7 and other.iterations == 2
    for g in grads[7:]:
        opt.step(g)
        other.step(g)
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p, q)
    for p, q in zip(opt.ema, other.ema):
        np.testing.assert_array_equal(p, q)
    bad = {**sd, "keras": {**sd["keras"], "iterations": -1}}
    with pytest.raises(ValueError, match=r"invalid state_dict: .*iterations'\]=-1"):
        other.load_state_dict(bad)
    with pytest.raises(ValueError, match=r"invalid state_dict: missing key 'keras'"):
        other.load_state_dict({k: v for k, v in sd.items() if k != "keras"})


def test_package_layout():
    """keras.py 가 패키지가 된 뒤에도 예전 import 가 모두 된다."""
    import importlib

    import adamlearn
    from adamlearn import keras as flavour

    mod = importlib.import_module("adamlearn.keras.schedules")
    assert flavour is adamlearn.keras and flavour.schedules is mod
    assert adamlearn.keras.Adam.__module__ == "adamlearn.keras"
    assert set(mod.__all__) >= {"CosineDecay", "ExponentialDecay", "PolynomialDecay", "PiecewiseConstantDecay"}


@pytest.mark.parametrize("name", ["Lion", "Lamb"])
def test_other_keras_classes_get_the_options(name):
    """_KerasOptimizer 를 물려받은 다른 클래스도 (알고리즘 코드 없이) 같은 옵션을 Keras 와 같게 얻는다."""
    hyper = {"learning_rate": 0.01, "beta_1": 0.8, "weight_decay": 0.01}
    schedule = ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=100, warmup_target=0.01, warmup_steps=20))
    for options in (dict(global_clipnorm=1.5, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=7),
                    dict(clipnorm=0.8, gradient_accumulation_steps=3, use_ema=True)):
        params0, grads = _problem(5, 1.0)
        ours = _run_ours(name, hyper, schedule, options, None, params0, grads)
        ref = _run_keras(name, hyper, schedule, options, None, params0, grads)
        assert _differences(ours[0], ref[0])[1] <= TOLERANCE  # 허용 오차의 이유: 파일 첫머리
        assert _differences(ours[1], ref[1])[1] <= TOLERANCE
        assert ours[2] == ref[2]


@pytest.mark.parametrize("clip", [dict(clipnorm=0.5), dict(global_clipnorm=0.5), dict(clipvalue=0.1)])
def test_float32_stays_float32(clip):
    """float32 파라미터: 자르기의 float32 반올림, EMA 의 모멘텀, 누적 평균 모두 float32 로 계산한다 (float64 로 새지 않는다)."""
    params = [np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3), np.array(0.5, dtype=np.float32)]
    opt = K.Adam(params, learning_rate=schedules.PolynomialDecay(0.01, 10), use_ema=True,
                 gradient_accumulation_steps=2, **clip)
    for k in range(5):
        opt.step([np.full((2, 3), 0.3 * k, dtype=np.float32), np.array(-2.0, dtype=np.float32)])
    assert all(p.dtype == np.float32 for p in params)
    assert all(a.dtype == np.float32 for a in opt.ema + opt._accumulated)
    assert all(v.dtype == np.float32 for s in opt.state for v in s if isinstance(v, np.ndarray))
