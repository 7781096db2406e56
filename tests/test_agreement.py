"""adamlearn 이 torch.optim 과 keras.optimizers 를 마지막 자리까지 재현하는지 확인한다.

각 경우는 시드를 고정한 무작위 하이퍼파라미터로, 섞인 모양((3,4), (5,), 0-d)의 파라미터를
1000 스텝 돌린다. 차이는 스텝마다 max|a-b| / max|b| 의 최댓값이다 (adamlearn.crosscheck 참고).

허용 오차
---------
float64, 1e-12: 같은 식을 계산해도 torch 는 lerp_/addcmul_/addcdiv_ 커널 안에서 곱셈-덧셈을 한 번에
반올림(FMA)하고, numpy 는 연산마다 반올림한다. 그래서 스텝마다 몇 ulp (~1e-16) 가 어긋난다. EMA 는
수축하므로 이 어긋남이 불어나지 않는다: 이 머신에서 잰 최댓값은 Adam 2e-16, NAdam 5e-15 다.
1e-12 는 그보다 200 배 여유가 있고, 우리가 잡아내야 할 가장 작은 실제 차이(엡실론 위치가 다른
torch Adam 과 keras Adam: ~2e-8)보다 네 자리 작다.

float32, 1e-5: float32 의 ulp 는 ~6e-8 이다. 게다가 keras 는 beta**t 를 float32 로, torch 는 NAdam 의
모멘텀 곱을 float32 텐서로 저장하지만 adamlearn 은 이런 스칼라를 파이썬 float(64비트)로 계산한다.
1000 스텝 동안 쌓인 차이는 이 머신에서 최대 2.3e-6 (torch NAdam) 이었다.
"""

import numpy as np
import pytest

from adamlearn import cross_check

STEPS = 1000


def _loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def torch_hyper(name, options, seed):
    """torch.optim 이름의 무작위 하이퍼파라미터 (시드 고정)."""
    rng = np.random.default_rng(seed)
    h = {"lr": _loguniform(rng, 1e-4, 1e-1)}
    if name in {"Adam", "AdamW", "NAdam", "RAdam", "Adamax"}:
        h["betas"] = (float(rng.uniform(0.5, 0.99)), float(rng.uniform(0.9, 0.9999)))
    if name in {"Adam", "AdamW", "NAdam", "RAdam", "Adamax", "RMSprop", "Adagrad"}:
        h["eps"] = _loguniform(rng, 1e-10, 1e-6)
    if name == "RMSprop":
        h["alpha"] = float(rng.uniform(0.8, 0.999))
    if name == "NAdam":
        h["momentum_decay"] = _loguniform(rng, 1e-3, 1e-1)
    if name == "Adagrad":
        h["lr_decay"] = _loguniform(rng, 1e-4, 1e-2)
        h["initial_accumulator_value"] = float(rng.uniform(0, 0.5))
    for key, value in options.items():
        h[key] = _loguniform(rng, 1e-4, 1e-1) if value == "random" else value
    if options.get("momentum") == "random":
        h["momentum"] = float(rng.uniform(0.5, 0.99))
    if options.get("dampening") == "random":
        h["dampening"] = float(rng.uniform(0.0, 0.5))
    return h


def keras_hyper(name, options, seed):
    """keras.optimizers 이름의 무작위 하이퍼파라미터 (시드 고정)."""
    rng = np.random.default_rng(seed)
    h = {"learning_rate": _loguniform(rng, 1e-4, 1e-1)}
    if name in {"Adam", "AdamW", "Nadam", "Adamax"}:
        h["beta_1"] = float(rng.uniform(0.5, 0.99))
        h["beta_2"] = float(rng.uniform(0.9, 0.9999))
    if name in {"Adam", "AdamW", "Nadam", "Adamax", "RMSprop", "Adagrad"}:
        h["epsilon"] = _loguniform(rng, 1e-10, 1e-6)
    if name == "RMSprop":
        h["rho"] = float(rng.uniform(0.8, 0.999))
    if name == "Adagrad":
        h["initial_accumulator_value"] = float(rng.uniform(0, 0.5))
    for key, value in options.items():
        h[key] = _loguniform(rng, 1e-4, 1e-1) if value == "random" else value
    if options.get("momentum") == "random":
        h["momentum"] = float(rng.uniform(0.5, 0.99))
    return h


TORCH_CASES = [
    ("SGD", {}),
    ("SGD", {"momentum": "random"}),
    ("SGD", {"momentum": "random", "dampening": "random", "weight_decay": "random"}),
    ("SGD", {"momentum": "random", "nesterov": True}),
    ("SGD", {"momentum": "random", "maximize": True}),
    ("Adagrad", {}),
    ("Adagrad", {"weight_decay": "random", "maximize": True}),
    ("RMSprop", {}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": "random"}),
    ("RMSprop", {"centered": True, "momentum": "random", "weight_decay": "random", "maximize": True}),
    ("Adam", {}),
    ("Adam", {"amsgrad": True}),
    ("Adam", {"weight_decay": "random"}),
    ("Adam", {"weight_decay": "random", "decoupled_weight_decay": True}),
    ("Adam", {"amsgrad": True, "weight_decay": "random", "maximize": True}),
    ("AdamW", {}),
    ("AdamW", {"weight_decay": "random", "amsgrad": True}),
    ("NAdam", {}),
    ("NAdam", {"weight_decay": "random"}),
    ("NAdam", {"weight_decay": "random", "decoupled_weight_decay": True, "maximize": True}),
    ("RAdam", {}),
    ("RAdam", {"weight_decay": "random"}),
    ("RAdam", {"weight_decay": "random", "decoupled_weight_decay": True, "maximize": True}),
    ("Adamax", {}),
    ("Adamax", {"weight_decay": "random", "maximize": True}),
]

KERAS_CASES = [
    ("SGD", {}),
    ("SGD", {"momentum": "random"}),
    ("SGD", {"momentum": "random", "nesterov": True, "weight_decay": "random"}),
    ("Adagrad", {}),
    ("Adagrad", {"weight_decay": "random"}),
    ("RMSprop", {}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": "random"}),
    ("RMSprop", {"centered": True, "momentum": "random", "weight_decay": "random"}),
    ("Adam", {}),
    ("Adam", {"amsgrad": True}),
    ("Adam", {"weight_decay": "random"}),
    ("AdamW", {}),
    ("AdamW", {"weight_decay": "random", "amsgrad": True}),
    ("Nadam", {}),
    ("Nadam", {"weight_decay": "random"}),
    ("Adamax", {}),
    ("Adamax", {"weight_decay": "random"}),
]

TORCH_NAME = {"Nadam": "NAdam"}
TOLERANCE = {"float64": 1e-12, "float32": 1e-5}


def _case_id(case):
    name, options = case
    return name + ("[" + ",".join(options) + "]" if options else "")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", TORCH_CASES, ids=_case_id)
def test_matches_torch(case, dtype):
    name, options = case
    seed = TORCH_CASES.index(case)
    hyper = torch_hyper(name, options, seed)
    result = cross_check(name, torch=hyper, steps=STEPS, dtype=dtype, seed=seed)
    row = result.row("torch")
    assert row.max_rel <= TOLERANCE[dtype], f"{hyper}\n{result}"


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", KERAS_CASES, ids=_case_id)
def test_matches_keras(case, dtype):
    name, options = case
    seed = 100 + KERAS_CASES.index(case)
    hyper = keras_hyper(name, options, seed)
    result = cross_check(TORCH_NAME.get(name, name), keras=hyper, steps=STEPS, dtype=dtype, seed=seed)
    row = result.row("keras")
    assert row.max_rel <= TOLERANCE[dtype], f"{hyper}\n{result}"


def test_defaults_match_both_frameworks():
    """기본값만으로 (하이퍼파라미터를 주지 않고) 세 구현이 같은 기본값을 쓰는지."""
    for name in ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "NAdam", "RAdam", "Adamax"]:
        result = cross_check(name, steps=200)
        for row in result.rows:
            if row.ours.startswith("adamlearn"):
                assert row.max_rel <= TOLERANCE["float64"], str(result)


def test_same_epsilon_torch_and_keras_adam_differ():
    """같은 epsilon 이면 torch Adam 과 keras Adam 은 다른 궤적을 그린다 (엡실론 위치가 다르다)."""
    result = cross_check("Adam", torch={"lr": 1e-3, "eps": 1e-7},
                         keras={"learning_rate": 1e-3, "epsilon": 1e-7}, steps=STEPS)
    between = result.row("keras", "torch")
    assert between.ours == "torch.optim.Adam" and between.reference == "keras.optimizers.Adam"
    # 1e-7 의 엡실론이 sqrt(s) ~ 1 에 비해 만드는 차이: 스텝마다 상대적으로 ~1e-7 * (1/sqrt(1-b2^t) - 1).
    assert 1e-9 < between.max_rel < 1e-6, str(result)
    # 각자는 자기 기준과 마지막 자리까지 맞는다.
    assert result.row("torch").max_rel <= TOLERANCE["float64"]
    assert result.row("keras").max_rel <= TOLERANCE["float64"]


def test_epsilon_zero_torch_and_keras_adam_coincide():
    """epsilon = 0 이면 두 형식은 수학적으로 같다: 남는 것은 반올림 차이뿐이다."""
    result = cross_check("Adam", torch={"lr": 1e-3, "eps": 0.0},
                         keras={"learning_rate": 1e-3, "epsilon": 0.0}, steps=STEPS)
    assert result.row("keras", "torch").max_rel <= TOLERANCE["float64"], str(result)
