"""잘못된 입력은 파라미터 이름과 값을 말하는 ValueError/TypeError 를 내고, 어떤 배열도 바꾸지 않는다."""

import re
import warnings

import numpy as np
import pytest

import adamlearn

ALL_TORCH = [adamlearn.SGD, adamlearn.Adagrad, adamlearn.RMSprop, adamlearn.Adam, adamlearn.AdamW,
             adamlearn.NAdam, adamlearn.RAdam, adamlearn.Adamax]
ALL_KERAS = [adamlearn.keras.SGD, adamlearn.keras.Adagrad, adamlearn.keras.RMSprop, adamlearn.keras.Adam,
             adamlearn.keras.AdamW, adamlearn.keras.Nadam, adamlearn.keras.Adamax]


def _params():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((2, 3)), rng.standard_normal(4), np.array(0.5)]


def _grads(params):
    return [np.full_like(p, 0.1) for p in params]


BAD_HYPER = [
    (adamlearn.Adam, "lr", -1e-3, ValueError),
    (adamlearn.Adam, "betas", (1.0, 0.999), ValueError),
    (adamlearn.Adam, "betas", (0.9, -0.1), ValueError),
    (adamlearn.Adam, "betas", (0.9,), ValueError),
    (adamlearn.Adam, "eps", -1e-8, ValueError),
    (adamlearn.Adam, "eps", float("nan"), ValueError),
    (adamlearn.Adam, "weight_decay", -0.1, ValueError),
    (adamlearn.Adam, "amsgrad", "yes", TypeError),
    (adamlearn.AdamW, "lr", float("inf"), ValueError),
    (adamlearn.AdamW, "lr", 10**400, ValueError),  # 유한한 int 지만 float 로는 inf: 예전에는 알 수 없는 TypeError
    (adamlearn.SGD, "momentum", -0.5, ValueError),
    (adamlearn.RMSprop, "alpha", 1.0, ValueError),
    (adamlearn.NAdam, "momentum_decay", -1.0, ValueError),
    (adamlearn.Adagrad, "lr_decay", -1.0, ValueError),
    (adamlearn.keras.Adam, "learning_rate", -0.1, ValueError),
    (adamlearn.keras.Adam, "beta_1", 1.5, ValueError),
    (adamlearn.keras.Adam, "beta_2", 1.0, ValueError),
    (adamlearn.keras.Adam, "epsilon", -1e-7, ValueError),
    (adamlearn.keras.SGD, "momentum", 1.5, ValueError),
    (adamlearn.keras.RMSprop, "rho", -0.1, ValueError),
    (adamlearn.keras.AdamW, "weight_decay", None, ValueError),
]


@pytest.mark.parametrize(("cls", "name", "value", "error"), BAD_HYPER,
                         ids=[f"{c.__module__.split('.')[-1]}.{c.__name__}-{n}={v!r}" for c, n, v, _ in BAD_HYPER])
def test_invalid_hyperparameter_is_rejected_with_its_name_and_value(cls, name, value, error):
    params = _params()
    with pytest.raises(error, match=re.escape(name)) as info:
        cls(params, **{name: value})
    assert repr(value) in str(info.value) or str(value) in str(info.value)


@pytest.mark.parametrize("cls", ALL_TORCH + ALL_KERAS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_defaults_are_valid_and_unknown_keywords_rejected(cls):
    params = _params()
    cls(params)
    with pytest.raises(TypeError, match="betaz"):
        cls(params, betaz=0.5)


def test_nesterov_needs_momentum():
    with pytest.raises(ValueError, match="nesterov"):
        adamlearn.SGD(_params(), nesterov=True)


def _assert_rejected_without_change(opt, grads, error, pattern):
    before_params = [p.copy() for p in opt.params]
    before_state = opt.state_dict()
    with pytest.raises(error, match=pattern):
        opt.step(grads)
    for p, b in zip(opt.params, before_params):
        np.testing.assert_array_equal(p, b)
    after_state = opt.state_dict()
    assert after_state["hyper"] == before_state["hyper"]
    for s_after, s_before in zip(after_state["state"], before_state["state"]):
        for k in s_before:
            np.testing.assert_array_equal(np.asarray(s_after[k], dtype=object), np.asarray(s_before[k], dtype=object))


def _bad_step_cases():
    def wrong_length(params):
        return _grads(params)[:-1], ValueError, r"3 params"

    def wrong_shape(params):
        g = _grads(params)
        g[1] = np.zeros(5)
        return g, ValueError, r"grads\[1\].*\(5,\).*\(4,\)"

    def wrong_dtype(params):
        g = _grads(params)
        g[0] = g[0].astype(np.float32)
        return g, TypeError, r"grads\[0\].*float32.*float64"

    def nan_in_last(params):
        g = _grads(params)
        g[2] = np.array(np.nan)
        return g, ValueError, r"grads\[2\].*nan"

    def inf_in_middle(params):
        g = _grads(params)
        g[1][2] = np.inf
        return g, ValueError, r"grads\[1\].*inf"

    return [wrong_length, wrong_shape, wrong_dtype, nan_in_last, inf_in_middle]


@pytest.mark.parametrize("make_bad", _bad_step_cases(), ids=lambda f: f.__name__)
@pytest.mark.parametrize("cls", ALL_TORCH + ALL_KERAS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_bad_gradient_rejected_and_nothing_changes(cls, make_bad):
    params = _params()
    opt = cls(params, **({"momentum": 0.9} if cls.__name__ == "SGD" else {}))
    opt.step(_grads(params))  # 상태가 0 이 아니게 한 스텝 간다
    grads, error, pattern = make_bad(params)
    _assert_rejected_without_change(opt, grads, error, pattern)


def test_hyperparameter_changed_to_invalid_value_rejected_at_step():
    params = _params()
    opt = adamlearn.Adam(params)
    opt.hyper["lr"] = -1.0
    _assert_rejected_without_change(opt, _grads(params), ValueError, r"lr=-1\.0")


@pytest.mark.parametrize(("params", "error", "pattern"), [
    ([np.arange(3)], TypeError, r"params\[0\].*int64"),
    ([np.zeros(2), np.zeros(2, dtype=np.float16)], TypeError, r"params\[1\].*float16"),
    ([[0.0, 1.0]], TypeError, r"params\[0\] is list"),
    (np.zeros(3), TypeError, "list of numpy arrays"),
    ([], ValueError, "empty"),
])
def test_invalid_params(params, error, pattern):
    with pytest.raises(error, match=pattern):
        adamlearn.Adam(params)


def test_load_state_dict_rejects_mismatch_and_keeps_state():
    params = _params()
    opt = adamlearn.Adam(params)
    opt.step(_grads(params))
    other = adamlearn.Adam([np.zeros(2)])
    other.step([np.ones(2)])
    before = opt.state_dict()
    with pytest.raises(ValueError, match="parameter states"):
        opt.load_state_dict(other.state_dict())
    with pytest.raises(ValueError, match="optimizer='SGD'"):
        opt.load_state_dict(adamlearn.SGD(params).state_dict())
    assert opt.state_dict()["state"][0]["t"] == before["state"][0]["t"] == 1


# --------------------------------------------------------------------------- 파라미터가 메모리를 나누면
def _snapshot(opt):
    """파라미터와 상태의 비트 단위 사본: 거절된 호출 뒤에 아무것도 바뀌지 않았는지 비교한다."""
    return [p.copy() for p in opt.params], opt.state_dict()


def _assert_same(opt, snapshot):
    params, sd = snapshot
    for p, q in zip(opt.params, params):
        assert p.dtype == q.dtype and p.tobytes() == q.tobytes()
    now = opt.state_dict()
    assert now["hyper"] == sd["hyper"]
    for a, b in zip(now["state"], sd["state"]):
        assert a.keys() == b.keys()
        for k in a:
            if isinstance(a[k], (np.ndarray, np.generic)):
                assert a[k].dtype == b[k].dtype and a[k].tobytes() == b[k].tobytes(), k
            else:
                assert type(a[k]) is type(b[k]) and a[k] == b[k], k


ALL = ALL_TORCH + ALL_KERAS
CLS_ID = {"ids": lambda c: f"{c.__module__}.{c.__name__}"}


@pytest.mark.parametrize("cls", ALL, **CLS_ID)
def test_same_array_twice_is_rejected_naming_both_indices(cls):
    x, y = np.zeros(3), np.zeros(2)
    with pytest.raises(ValueError, match=r"params\[0\] and params\[2\] share memory"):
        cls([x, y, x])


def _overlapping():
    a, m = np.zeros(10), np.zeros((4, 6))
    return {
        "overlapping slices": ([a[:6], a[4:]], r"params\[0\] and params\[1\]"),
        "strided views meeting at a[0]": ([a[::2], a[::3]], r"params\[0\] and params\[1\]"),
        "whole array and a row": ([np.zeros(2), m, m[2]], r"params\[1\] and params\[2\]"),
        "reshaped view": ([a.reshape(2, 5), np.zeros(1)[:0], a[9:]], r"params\[0\] and params\[2\]"),
    }


@pytest.mark.parametrize("case", _overlapping())
def test_overlapping_views_are_rejected(case):
    params, pattern = _overlapping()[case]
    with pytest.raises(ValueError, match=pattern + " share memory"):
        adamlearn.Adam(params)


def test_disjoint_views_of_one_array_are_allowed_and_update_like_separate_arrays():
    """같은 배열의 겹치지 않는 뷰 (이어진 조각, 엇갈린 뷰, 열 블록) 는 따로 만든 배열과 비트 단위로 같게 움직인다."""
    base, m = np.arange(12.0), np.arange(24.0).reshape(4, 6)
    views = [base[:5], base[5:], m[:, ::2], m[:, 1::2]]
    copies = [v.copy() for v in views]
    rng = np.random.default_rng(1)
    opt_v, opt_c = adamlearn.Adam(views, lr=0.1), adamlearn.Adam(copies, lr=0.1)
    for _ in range(3):
        grads = [rng.standard_normal(v.shape) for v in views]
        opt_v.step(grads)
        opt_c.step(grads)
    for v, c in zip(views, copies):
        assert v.tobytes() == c.tobytes()


# --------------------------------------------------------------------------- step 은 쓰기 전에 모두 검사한다
def _twin(cls, hyper=None, dtype=np.float64, steps=1):
    """같은 시작점, 같은 그래디언트의 옵티마이저 두 개: 하나는 거절될 호출을 받고, 다른 하나는 기준이다."""
    hyper = hyper or ({"momentum": 0.9} if cls.__name__ == "SGD" else {})
    opts = []
    for _ in range(2):
        opt = cls([p.astype(dtype) for p in _params()], **hyper)
        for _ in range(steps):
            opt.step([g.astype(dtype) for g in _grads(opt.params)])
        opts.append(opt)
    return opts


def _assert_next_step_matches(opt, ref):
    """거절 뒤에도 쓸 수 있고, 다음 스텝의 결과가 거절된 호출이 없었던 것과 비트 단위로 같다."""
    rng = np.random.default_rng(7)
    grads = [rng.standard_normal(p.shape).astype(p.dtype) for p in ref.params]
    opt.step(grads)
    ref.step(grads)
    _assert_same(opt, _snapshot(ref))


@pytest.mark.parametrize("cls", ALL, **CLS_ID)
def test_parameter_made_read_only_after_construction_is_rejected_before_any_write(cls):
    opt, ref = _twin(cls)
    opt.params[2].flags.writeable = False
    before = _snapshot(opt)
    with pytest.raises(ValueError, match=r"params\[2\] is read-only"):
        opt.step(_grads(opt.params))
    _assert_same(opt, before)  # params[0] 과 params[1] 도 그대로다
    opt.params[2].flags.writeable = True
    _assert_next_step_matches(opt, ref)


def test_parameter_reshaped_after_construction_is_rejected_before_any_write():
    opt, _ = _twin(adamlearn.Adam)
    opt.params[1].shape = (4, 1)  # 상태는 (4,): 계산이 (4, 4) 로 퍼져 쓰는 도중에 실패했었다
    before = _snapshot(opt)
    with pytest.raises(ValueError, match=r"params\[1\] now has shape \(4, 1\).*state\[1\]\['m'\] has shape \(4,\)"):
        opt.step(_grads(opt.params))
    _assert_same(opt, before)


# --------------------------------------------------------------------------- 결과가 유한하지 않은 스텝
SQUARING = [adamlearn.Adagrad, adamlearn.RMSprop, adamlearn.Adam, adamlearn.AdamW, adamlearn.NAdam, adamlearn.RAdam,
            adamlearn.keras.Adagrad, adamlearn.keras.RMSprop, adamlearn.keras.Adam, adamlearn.keras.AdamW,
            adamlearn.keras.Nadam]
HUGE = {np.float32: 1e38, np.float64: 1e300}  # 유한하지만 제곱하면 그 dtype 에서 inf


def _with_huge(params, dtype):
    grads = [g.astype(dtype) for g in _grads(params)]
    grads[1][1] = HUGE[dtype]  # 두 번째 파라미터의 한 성분만: params[0] 의 계산은 멀쩡하다
    return grads


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize("cls", SQUARING, **CLS_ID)
def test_overflowing_g_squared_is_rejected_without_change(cls, dtype):
    """예전에는 s 가 inf 가 되어 그 성분의 업데이트가 영원히 0 이었다 (조용히 얼어붙음)."""
    opt, ref = _twin(cls, dtype=dtype)
    before = _snapshot(opt)
    name = np.dtype(dtype).name
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # RuntimeWarning 이 새어 나오지 않는다
        with pytest.raises(ValueError, match=rf"grads\[1\]: g\*g overflows {name} .*state\[1\]\['(s|sum)'\]"):
            opt.step(_with_huge(opt.params, dtype))
    _assert_same(opt, before)
    _assert_next_step_matches(opt, ref)


@pytest.mark.parametrize("cls", [adamlearn.SGD, adamlearn.Adamax, adamlearn.keras.SGD, adamlearn.keras.Adamax], **CLS_ID)
def test_huge_finite_gradient_is_accepted_where_it_is_not_squared(cls):
    """g*g 를 쓰지 않는 알고리즘에는 1e38 (float32) 도 유한한 스텝이다: 검사가 지나치게 거절하지 않는다."""
    opt, _ = _twin(cls, dtype=np.float32)
    opt.step(_with_huge(opt.params, np.float32))
    assert all(np.isfinite(p).all() for p in opt.params)


ZERO_EPS = [
    (adamlearn.Adagrad, {"eps": 0.0}),
    (adamlearn.RMSprop, {"eps": 0.0}),
    (adamlearn.Adam, {"eps": 0.0}),
    (adamlearn.AdamW, {"eps": 0.0}),
    (adamlearn.NAdam, {"eps": 0.0}),
    (adamlearn.Adamax, {"eps": 0.0}),
    (adamlearn.keras.Adagrad, {"epsilon": 0.0, "initial_accumulator_value": 0.0}),
    (adamlearn.keras.RMSprop, {"epsilon": 0.0}),
    (adamlearn.keras.Adam, {"epsilon": 0.0}),
    (adamlearn.keras.Nadam, {"epsilon": 0.0}),
    (adamlearn.keras.Adamax, {"epsilon": 0.0}),
]


@pytest.mark.parametrize(("cls", "hyper"), ZERO_EPS, ids=[f"{c.__module__}.{c.__name__}" for c, _ in ZERO_EPS])
def test_zero_gradient_with_eps_zero_is_rejected_without_change(cls, hyper):
    """첫 스텝에 그래디언트가 0 인 성분: 분자와 분모가 모두 0 이라 예전에는 파라미터에 NaN 을 썼다."""
    opt, ref = _twin(cls, hyper, steps=0)
    grads = _grads(opt.params)
    grads[2] = np.zeros_like(grads[2])
    before = _snapshot(opt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"grads\[2\]: 0/0 with eps=0.*params\[2\]"):
            opt.step(grads)
    _assert_same(opt, before)
    _assert_next_step_matches(opt, ref)


def test_radam_rejects_the_first_rectified_step_with_zero_gradient_and_eps_zero():
    """RAdam 은 rho_t <= 5 인 처음 몇 스텝에는 나누지 않는다: 0/0 은 처음으로 나누는 스텝에서 잡힌다."""
    x = np.ones(2)
    opt = adamlearn.RAdam([x], eps=0.0, betas=(0.9, 0.9))
    for _ in range(5):  # beta2 = 0.9 이면 rho_6 > 5: 여섯 번째 스텝이 처음으로 나눈다
        opt.step([np.zeros(2)])
    before = _snapshot(opt)
    with pytest.raises(ValueError, match=r"grads\[0\]: 0/0 with eps=0"):
        opt.step([np.zeros(2)])
    _assert_same(opt, before)


def test_update_overflow_is_rejected_with_its_cause():
    opt = adamlearn.SGD([np.ones(3)], lr=1e300)
    before = _snapshot(opt)
    with pytest.raises(ValueError, match=r"grads\[0\]: the update overflows float64.*params\[0\]"):
        opt.step([np.full(3, 1e10)])
    _assert_same(opt, before)


# --------------------------------------------------------------------------- numpy 스칼라 하이퍼파라미터
NUMERIC_HYPER = {
    adamlearn.SGD: dict(lr=0.1, momentum=0.9, weight_decay=0.01),
    adamlearn.Adagrad: dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1),
    adamlearn.RMSprop: dict(lr=0.01, alpha=0.9, momentum=0.5, weight_decay=0.01, centered=True),
    adamlearn.Adam: dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, amsgrad=True),
    adamlearn.AdamW: dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1),
    adamlearn.NAdam: dict(lr=0.01, betas=(0.8, 0.99), momentum_decay=0.01, weight_decay=0.01),
    adamlearn.RAdam: dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01),
    adamlearn.Adamax: dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01),
    adamlearn.keras.SGD: dict(learning_rate=0.1, momentum=0.9, weight_decay=0.01),
    adamlearn.keras.Adagrad: dict(learning_rate=0.1, initial_accumulator_value=0.2, epsilon=1e-6),
    adamlearn.keras.RMSprop: dict(learning_rate=0.01, rho=0.8, momentum=0.5, centered=True, weight_decay=0.01),
    adamlearn.keras.Adam: dict(learning_rate=0.01, beta_1=0.8, beta_2=0.99, amsgrad=True, weight_decay=0.01),
    adamlearn.keras.AdamW: dict(learning_rate=0.01, beta_1=0.8, weight_decay=0.1),
    adamlearn.keras.Nadam: dict(learning_rate=0.01, beta_1=0.8, beta_2=0.99, weight_decay=0.01),
    adamlearn.keras.Adamax: dict(learning_rate=0.01, beta_1=0.8, epsilon=1e-6, weight_decay=0.01),
}


def _as_numpy(value, scalar):
    if isinstance(value, tuple):
        return tuple(scalar(v) for v in value)
    return value if isinstance(value, bool) else scalar(value)


@pytest.mark.parametrize("scalar", [np.float64, np.float32, np.longdouble], ids=lambda s: s.__name__)
@pytest.mark.parametrize("cls", ALL, **CLS_ID)
def test_numpy_scalar_hyperparameters_keep_float32_state_and_equal_python_floats(cls, scalar):
    """NEP 50: np.float64 은 float32 배열을 float64 로 올린다. 하이퍼파라미터는 파이썬 수로 바뀌어 계산에 들어간다."""
    hyper = NUMERIC_HYPER[cls]
    # 파이썬 float 로 준 것과 비교하려면 값이 같아야 한다: 먼저 scalar 로 반올림한 값을 파이썬 float 로 준다.
    as_python = {k: _as_numpy(v, lambda u: float(scalar(u))) for k, v in hyper.items()}
    as_numpy = {k: _as_numpy(v, scalar) for k, v in hyper.items()}
    ref, opt = (cls([p.astype(np.float32) for p in _params()], **h) for h in (as_python, as_numpy))
    for o in (ref, opt):
        for k in range(3):
            o.step([np.full_like(p, 0.1 * (k - 1.5)) for p in o.params])
    for s in opt.state:
        for v in s:
            assert not isinstance(v, (np.ndarray, np.generic)) or v.dtype == np.float32
    _assert_same(opt, _snapshot(ref))
    opt.load_state_dict(opt.state_dict())  # 예전에는 float64 상태 때문에 여기서 ValueError


def test_numpy_hyperparameter_set_after_construction_is_used_as_a_python_number():
    ref, opt = (adamlearn.Adam([np.ones(3, dtype=np.float32)]) for _ in range(2))
    ref.hyper["betas"] = (0.5, 0.75)
    opt.hyper["betas"] = (np.float64(0.5), np.float64(0.75))
    for o in (ref, opt):
        o.step([np.full(3, 0.3, dtype=np.float32)])
    assert opt.state[0].m.dtype == np.float32
    _assert_same(opt, _snapshot(ref))


def test_numpy_integer_hyperparameter_behaves_like_a_python_int():
    """Keras 의 SGD 는 learning_rate * g 를 버퍼에 쌓는다: np.int64 였다면 버퍼가 float64 가 되었다."""
    ref, opt = (adamlearn.keras.SGD([np.ones(3, dtype=np.float32)], learning_rate=lr, momentum=0.5)
                for lr in (1, np.int64(1)))
    for o in (ref, opt):
        o.step([np.full(3, 0.3, dtype=np.float32)])
    assert opt.state[0].buf.dtype == np.float32
    _assert_same(opt, _snapshot(ref))


def test_missing_or_extra_hyperparameter_set_after_construction_is_rejected_by_step():
    opt = adamlearn.Adam(_params())
    opt.hyper["learning_rate"] = 0.1  # Keras 의 이름: 예전에는 조용히 무시되었다
    with pytest.raises(ValueError, match=r"unexpected key\(s\) \['learning_rate'\]"):
        opt.step(_grads(opt.params))
    del opt.hyper["learning_rate"], opt.hyper["lr"]
    with pytest.raises(ValueError, match=r"missing key\(s\) \['lr'\]"):
        opt.step(_grads(opt.params))


@pytest.mark.parametrize(("make", "key", "value", "field"), [
    (lambda p: adamlearn.Adam(p), "amsgrad", True, "s_max"),
    (lambda p: adamlearn.RMSprop(p), "centered", True, "g_avg"),
    (lambda p: adamlearn.RMSprop(p), "momentum", 0.9, "buf"),
    (lambda p: adamlearn.keras.SGD(p), "momentum", 0.9, "buf"),
    (lambda p: adamlearn.keras.RMSprop(p), "momentum", 0.9, "buf"),
], ids=["adam-amsgrad", "rmsprop-centered", "rmsprop-momentum", "keras-sgd-momentum", "keras-rmsprop-momentum"])
def test_option_switched_on_after_construction_that_needs_a_missing_buffer_is_rejected(make, key, value, field):
    """예전에는 functional 안에서 None 을 계산에 써서 알 수 없는 numpy TypeError 가 났다."""
    opt = make(_params())
    opt.step(_grads(opt.params))
    opt.hyper[key] = value
    before = _snapshot(opt)
    with pytest.raises(ValueError, match=rf"state\[0\]\['{field}'\], which does not exist"):
        opt.step(_grads(opt.params))
    _assert_same(opt, before)


def test_torch_sgd_momentum_switched_on_later_starts_its_buffer_like_torch():
    """torch 의 SGD 는 모멘텀 버퍼를 첫 스텝에 만든다: 나중에 켠 모멘텀도 그렇게 시작한다 (거절하지 않는다)."""
    opt = adamlearn.SGD(_params(), lr=0.1)
    opt.step(_grads(opt.params))
    opt.hyper["momentum"] = 0.9
    opt.step(_grads(opt.params))
    assert opt.state[0].buf is not None
