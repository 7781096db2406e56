"""잘못된 입력은 파라미터 이름과 값을 말하는 ValueError/TypeError 를 내고, 어떤 배열도 바꾸지 않는다."""

import re

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
