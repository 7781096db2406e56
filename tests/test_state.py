"""state_dict / load_state_dict 와 save_state / load_state: 잘못된 입력은 전부 먼저 검사해 거절하고, 저장했다가
불러와 이어 돌린 학습은 멈추지 않은 학습과 비트 단위로 같다."""

import io
import json
import re

import numpy as np
import pytest

import adamlearn

ALL = [adamlearn.SGD, adamlearn.Adagrad, adamlearn.RMSprop, adamlearn.Adam, adamlearn.AdamW, adamlearn.NAdam,
       adamlearn.RAdam, adamlearn.Adamax, adamlearn.keras.SGD, adamlearn.keras.Adagrad, adamlearn.keras.RMSprop,
       adamlearn.keras.Adam, adamlearn.keras.AdamW, adamlearn.keras.Nadam, adamlearn.keras.Adamax]
CLS_ID = {"ids": lambda c: f"{c.__module__}.{c.__name__}"}
# 상태의 필드가 모두 채워지도록 (모멘텀 버퍼, AMSGrad 의 최댓값, centered 의 평균)
RICH = {"SGD": {"momentum": 0.9}, "RMSprop": {"momentum": 0.5, "centered": True}, "Adam": {"amsgrad": True}}
SHAPES = [(3,), (2, 2), ()]


def _make(cls, dtype=np.float32, steps=2, seed=0, **hyper):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    opt = cls(params, **{**RICH.get(cls.__name__, {}), **hyper})
    for _ in range(steps):
        opt.step(_grads(opt, rng))
    return opt


def _grads(opt, rng):
    return [rng.standard_normal(p.shape).astype(p.dtype) for p in opt.params]


def _bits(opt):
    """파라미터와 상태를 비트 단위로 비교할 수 있는 값으로 (배열은 dtype 과 바이트, 나머지는 타입과 값)."""
    def enc(v):
        return (v.dtype.str, v.shape, v.tobytes()) if isinstance(v, (np.ndarray, np.generic)) else (type(v), v)
    sd = opt.state_dict()
    return ([enc(p) for p in opt.params], sd["optimizer"], sd["framework"], sd["hyper"],
            [{k: enc(v) for k, v in s.items()} for s in sd["state"]])


def _assert_usable(opt):
    """거절 뒤에도 그대로 쓸 수 있고, 다음 스텝은 같은 상태의 쌍둥이와 비트 단위로 같다."""
    twin = type(opt)([p.copy() for p in opt.params], **opt.hyper)
    twin.load_state_dict(opt.state_dict())
    rng = np.random.default_rng(99)
    grads = _grads(opt, rng)
    opt.step(grads)
    twin.step(grads)
    assert _bits(opt) == _bits(twin)


def test_state_dict_names_optimizer_and_framework():
    assert adamlearn.Adam([np.zeros(2)]).state_dict()["framework"] == "torch"
    sd = adamlearn.keras.Adam([np.zeros(2)]).state_dict()
    assert (sd["optimizer"], sd["framework"]) == ("Adam", "keras")


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize("cls", ALL, **CLS_ID)
def test_state_dict_round_trip_is_accepted_for_every_optimizer(cls, dtype):
    for steps in (0, 2):  # 스텝 전 (torch SGD 의 버퍼는 None) 과 뒤
        opt = _make(cls, dtype, steps=steps)
        before = _bits(opt)
        opt.load_state_dict(opt.state_dict())
        assert _bits(opt) == before


# --------------------------------------------------------------------------- 잘못된 state_dict
def _edit(path, value):
    """state_dict 의 한 곳을 바꾸는 함수. path 는 키의 목록, value 가 DELETE 면 지운다."""
    def edit(sd):
        *head, last = path
        target = sd
        for k in head:
            target = target[k]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value(target[last]) if callable(value) else value
        return sd
    return edit


DELETE = object()
F32 = "expected numpy array of shape (3,) dtype float32"
BAD_ADAM = [  # adamlearn.Adam(amsgrad=True), float32, 모양 (3,), (2, 2), () 의 파라미터, 2 스텝 뒤
    ("not a dict", lambda sd: list(sd.items()), TypeError, "got list, expected a dict made by state_dict()"),
    ("wrong optimizer", _edit(["optimizer"], "SGD"), ValueError, "optimizer='SGD' framework='torch' (adamlearn.SGD)"),
    ("missing key", _edit(["framework"], DELETE), ValueError, "the dict has missing key(s) ['framework']"),
    ("extra key", _edit(["epoch"], 3), ValueError, "the dict has unexpected key(s) ['epoch']"),
    ("hyper not a dict", _edit(["hyper"], None), TypeError, "hyper is NoneType, expected a dict"),
    ("hyper missing", _edit(["hyper", "lr"], DELETE), ValueError, "hyper has missing key(s) ['lr']"),
    ("hyper extra", _edit(["hyper", "learning_rate"], 0.1), ValueError, "hyper has unexpected key(s) ['learning_rate']"),
    ("hyper invalid", _edit(["hyper", "lr"], -1.0), ValueError, "invalid lr=-1.0: must be a finite number >= 0"),
    ("hyper bool", _edit(["hyper", "amsgrad"], "yes"), TypeError, "invalid amsgrad='yes': must be True or False"),
    ("state not a list", _edit(["state"], {}), TypeError, "state is dict, expected a list with one dict per parameter"),
    ("state too short", _edit(["state"], lambda s: s[:2]), ValueError, "2 parameter states for 3 params"),
    ("entry not a dict", _edit(["state", 1], lambda s: list(s.values())), TypeError,
     "state[1] is list, expected a dict with fields ['t', 'm', 's', 's_max']"),
    ("missing field", _edit(["state", 0, "m"], DELETE), ValueError, "state[0] has missing key(s) ['m']"),
    ("extra field", _edit(["state", 0, "v"], np.zeros(3, np.float32)), ValueError, "state[0] has unexpected key(s) ['v']"),
    ("array as list", _edit(["state", 0, "m"], lambda m: m.tolist()), TypeError, f"state[0]['m'] is list, {F32}"),
    ("wrong shape", _edit(["state", 0, "s"], np.zeros(4, np.float32)), ValueError, f"state[0]['s'] has shape (4,), {F32}"),
    ("wrong dtype", _edit(["state", 0, "s"], lambda s: s.astype(np.float64)), TypeError,
     f"state[0]['s'] has dtype float64, {F32}"),
    ("nan", _edit(["state", 0, "m"], np.array([0, np.nan, 0], np.float32)), ValueError, "state[0]['m'] contains NaN or inf"),
    ("inf", _edit(["state", 1, "s_max"], np.full((2, 2), np.inf, np.float32)), ValueError,
     "state[1]['s_max'] contains NaN or inf"),
    ("0-d entry as float", _edit(["state", 2, "m"], 0.5), TypeError,
     "state[2]['m'] is float, expected numpy array of shape () dtype float32"),
    ("None for an array", _edit(["state", 0, "s_max"], None), TypeError, f"state[0]['s_max'] is NoneType, {F32}"),
    ("step as str", _edit(["state", 0, "t"], "2"), TypeError, "state[0]['t'] is str '2', expected a non-negative int"),
    ("step as float", _edit(["state", 0, "t"], 2.0), TypeError, "state[0]['t'] is float 2.0, expected a non-negative int"),
    ("step as bool", _edit(["state", 0, "t"], True), TypeError, "state[0]['t'] is bool True"),
    ("negative step", _edit(["state", 0, "t"], -1), ValueError, "state[0]['t']=-1, expected a non-negative int"),
    ("array where None", lambda sd: _edit(["state", 0, "s_max"], np.zeros(3, np.float32))(
        _edit(["hyper", "amsgrad"], False)(sd)), TypeError, "state[0]['s_max'] is ndarray, expected None"),
]


@pytest.mark.parametrize(("edit", "error", "message"), [c[1:] for c in BAD_ADAM], ids=[c[0] for c in BAD_ADAM])
def test_malformed_state_dict_is_rejected_naming_the_field_and_nothing_changes(edit, error, message):
    opt = _make(adamlearn.Adam)
    before = _bits(opt)
    with pytest.raises(error, match=re.escape(f"invalid state_dict: {message}")):
        opt.load_state_dict(edit(opt.state_dict()))
    assert _bits(opt) == before
    _assert_usable(opt)


BAD_OTHERS = [
    (adamlearn.NAdam, ["state", 1, "mu_product"], "0.5", TypeError, "state[1]['mu_product'] is str '0.5', expected a float in [0, 1]"),
    (adamlearn.NAdam, ["state", 1, "mu_product"], 1.5, ValueError, "state[1]['mu_product']=1.5, expected a float in [0, 1]"),
    (adamlearn.NAdam, ["state", 1, "mu_product"], float("nan"), ValueError, "state[1]['mu_product']=nan"),
    (adamlearn.NAdam, ["state", 1, "mu_product"], None, TypeError, "state[1]['mu_product'] is NoneType"),
    (adamlearn.keras.Nadam, ["state", 0, "mu_product"], True, TypeError, "state[0]['mu_product'] is bool True"),
    (adamlearn.SGD, ["hyper", "momentum"], 0.0, TypeError, "state[0]['buf'] is ndarray, expected None"),
    (adamlearn.SGD, ["hyper", "dampening"], -0.5, ValueError, "invalid dampening=-0.5: must be a finite number >= 0"),
    (adamlearn.keras.SGD, ["state", 2, "buf"], None, TypeError, "state[2]['buf'] is NoneType, expected numpy array"),
    (adamlearn.RMSprop, ["hyper", "centered"], False, TypeError, "state[0]['g_avg'] is ndarray, expected None"),
    (adamlearn.keras.Adam, ["hyper", "beta_1"], 1.0, ValueError, "invalid beta_1=1.0: must be in [0, 1)"),
    # Keras 는 반복 수 하나로 모든 변수를 움직인다. torch 형식은 파라미터마다 센다 (None 그래디언트는 건너뛴다):
    # 이 검사는 예전에 adamlearn.Adam 에 있었고, 이제 Keras 형식에만 있다 (test_groups_schedulers.py 참고).
    (adamlearn.keras.Adam, ["state", 2, "t"], 3, ValueError,
     "state[2]['t']=3 differs from state[0]['t']=2; keras-flavoured optimizers step all parameters together"),
]


@pytest.mark.parametrize(("cls", "path", "value", "error", "message"), BAD_OTHERS,
                         ids=[f"{c.__module__}.{c.__name__}-{p[-1]}={v!r}" for c, p, v, *_ in BAD_OTHERS])
def test_malformed_state_dict_of_other_optimizers(cls, path, value, error, message):
    opt = _make(cls)
    before = _bits(opt)
    with pytest.raises(error, match=re.escape(f"invalid state_dict: {message}")):
        opt.load_state_dict(_edit(path, value)(opt.state_dict()))
    assert _bits(opt) == before
    _assert_usable(opt)


@pytest.mark.parametrize(("src", "dst"), [(adamlearn.keras.Adam, adamlearn.Adam), (adamlearn.AdamW, adamlearn.keras.AdamW),
                                          (adamlearn.keras.Nadam, adamlearn.NAdam)], ids=["keras->torch Adam",
                                          "torch->keras AdamW", "keras Nadam->torch NAdam"])
def test_state_dict_of_the_other_flavour_is_rejected_naming_both(src, dst):
    opt = _make(dst)
    before = _bits(opt)
    with pytest.raises(ValueError, match=re.escape(f"({src.__module__.replace('.optim', '')}.{src.__name__}), expected "
                                                   f"optimizer={dst.__name__!r} framework={dst.framework!r} "
                                                   f"({dst.__module__.replace('.optim', '')}.{dst.__name__})")):
        opt.load_state_dict(_make(src).state_dict())
    assert _bits(opt) == before


def test_numpy_scalars_in_a_state_dict_are_accepted_and_converted():
    opt = _make(adamlearn.NAdam)
    sd = opt.state_dict()
    for s in sd["state"]:
        s["t"], s["mu_product"] = np.int64(s["t"]), np.float64(s["mu_product"])
    sd["hyper"]["lr"] = np.float64(sd["hyper"]["lr"])
    other = _make(adamlearn.NAdam, steps=0)
    other.load_state_dict(sd)
    assert type(other.state[0].t) is int and type(other.state[0].mu_product) is float
    assert type(other.hyper["lr"]) is float
    for p, q in zip(other.params, opt.params):  # 파라미터는 load 가 건드리지 않으니 맞춰 두고 비교한다
        p[...] = q
    assert _bits(other) == _bits(opt)


def test_torch_sgd_accepts_a_missing_momentum_buffer_after_steps():
    """torch 는 모멘텀 버퍼를 첫 스텝에 만든다: 모멘텀을 학습 도중 켜면 스텝 수 > 0 인데 버퍼가 None 이다."""
    opt = _make(adamlearn.SGD, momentum=0.0)
    sd = opt.state_dict()
    sd["hyper"]["momentum"] = 0.9
    opt.load_state_dict(sd)
    assert opt.state[0].buf is None and opt.t == 2


def test_loaded_arrays_are_copies():
    src = _make(adamlearn.Adam)
    sd = src.state_dict()
    opt = _make(adamlearn.Adam, steps=0)
    opt.load_state_dict(sd)
    before = _bits(opt)
    for s in sd["state"]:
        for v in s.values():
            if isinstance(v, np.ndarray):
                v += 1
    assert _bits(opt) == before


# --------------------------------------------------------------------------- save_state / load_state
RESUME = [  # (클래스, 하이퍼파라미터): 다양한 상태 (None 버퍼, float 모멘텀 곱, AMSGrad 의 최댓값, Keras 형식)
    (adamlearn.Adam, {}),
    (adamlearn.Adam, {"amsgrad": True, "weight_decay": 0.01}),
    (adamlearn.AdamW, {}),
    (adamlearn.NAdam, {}),
    (adamlearn.RAdam, {}),
    (adamlearn.SGD, {"momentum": 0.9, "nesterov": True}),
    (adamlearn.RMSprop, {"momentum": 0.5, "centered": True}),
    (adamlearn.Adagrad, {"lr_decay": 0.01}),
    (adamlearn.Adamax, {}),
    (adamlearn.keras.Adam, {"amsgrad": True}),
    (adamlearn.keras.Nadam, {"weight_decay": 0.01}),
    (adamlearn.keras.SGD, {"momentum": 0.9}),
    (adamlearn.keras.RMSprop, {"momentum": 0.5, "centered": True}),
]


@pytest.mark.parametrize("n1", [0, 7])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize(("cls", "hyper"), RESUME, ids=[f"{c.__module__}.{c.__name__}-{h}" for c, h in RESUME])
def test_resume_from_file_equals_uninterrupted_run_bit_for_bit(tmp_path, cls, hyper, dtype, n1):
    rng = np.random.default_rng(3)
    x0 = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(dtype) for s in SHAPES] for _ in range(n1 + 5)]

    full = [p.copy() for p in x0]
    opt = cls(full, **hyper)
    for gs in grads:
        opt.step(gs)

    first = [p.copy() for p in x0]
    opt1 = cls(first, **hyper)
    for gs in grads[:n1]:
        opt1.step(gs)
    path = tmp_path / "opt.npz"
    adamlearn.save_state(opt1, path)
    with np.load(path, allow_pickle=False) as npz:  # pickle 없이 열린다
        meta = json.loads(str(npz["adamlearn"][()]))
        assert meta["optimizer"] == cls.__name__ and meta["framework"] == cls.framework
        assert all(npz[k].dtype == dtype for k in npz.files if k != "adamlearn")

    resumed = [p.copy() for p in first]
    opt2 = cls(resumed, lr=0.5) if cls.framework == "torch" else cls(resumed, learning_rate=0.5)
    adamlearn.load_state(opt2, path)  # 하이퍼파라미터도 파일에서 온다
    for gs in grads[n1:]:
        opt2.step(gs)
    assert _bits(opt2) == _bits(opt)


def test_numpy_hyperparameters_and_file_objects_round_trip():
    opt = adamlearn.Adam([np.ones(3, np.float32)], lr=np.float64(0.01), betas=(np.float32(0.5), np.float64(0.75)))
    opt.step([np.full(3, 0.2, np.float32)])
    buf = io.BytesIO()
    adamlearn.save_state(opt, buf)
    buf.seek(0)
    other = adamlearn.Adam([opt.params[0].copy()])
    adamlearn.load_state(other, buf)
    assert other.hyper == {**opt.hyper, "lr": 0.01, "betas": (0.5, 0.75)}
    assert _bits(other) == _bits(opt)


def test_save_state_writes_exactly_the_given_path(tmp_path):
    adamlearn.save_state(adamlearn.Adam([np.ones(2)]), tmp_path / "ckpt")
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt"]  # np.savez 라면 ckpt.npz 가 되었을 것


def _write(path, save, *args, **kwargs):
    with open(path, "wb") as f:  # 경로를 주면 np.save 는 .npy 를 덧붙인다
        save(f, *args, **kwargs)


def _file(tmp_path, kind):
    path = tmp_path / f"{kind}.npz"
    if kind == "text":
        path.write_text("hello")
    elif kind == "npy":
        _write(path, np.save, np.zeros(3))
    elif kind == "foreign npz":
        _write(path, np.savez, weights=np.zeros(3))
    elif kind == "bad meta":
        _write(path, np.savez, adamlearn=np.array('{"format": "something else"}'))
    elif kind in ("extra entry", "tampered dtype", "other optimizer", "keras flavour", "newer version"):
        src = adamlearn.keras.Adam if kind == "keras flavour" else adamlearn.SGD if kind == "other optimizer" else adamlearn.Adam
        adamlearn.save_state(_make(src, dtype=np.float32), path)
        with np.load(path) as npz:
            entries = dict(npz)
        if kind == "extra entry":
            entries["state.0.v"] = np.zeros(3, np.float32)
        elif kind == "tampered dtype":
            entries["state.0.m"] = entries["state.0.m"].astype(np.float64)
        elif kind == "newer version":
            # 판 2 는 이제 읽는다 (그룹이 여럿인 파일, checkpoint.py): 아직 없는 판 3 으로 바꾼다
            entries["adamlearn"] = np.array(str(entries["adamlearn"]).replace('"version": 1', '"version": 3'))
        _write(path, np.savez, **entries)
    return path


BAD_FILES = [
    ("missing", FileNotFoundError, "No such file or directory"),
    ("text", ValueError, "text.npz: not an adamlearn state file (np.load failed"),
    ("npy", ValueError, "npy.npz: not an adamlearn state file (a single .npy array"),
    ("foreign npz", ValueError, "foreign npz.npz: not an adamlearn state file (no 'adamlearn' entry"),
    ("bad meta", ValueError, "bad meta.npz: not an adamlearn state file ('adamlearn' does not describe one)"),
    ("newer version", ValueError, "unsupported adamlearn state file version 3; expected 1 or 2"),
    ("extra entry", ValueError, "extra entry.npz: invalid state_dict: state[0] has unexpected key(s) ['v']"),
    ("tampered dtype", TypeError, f"tampered dtype.npz: invalid state_dict: state[0]['m'] has dtype float64, {F32}"),
    ("other optimizer", ValueError, "invalid state_dict: optimizer='SGD' framework='torch' (adamlearn.SGD), expected "
                                    "optimizer='Adam' framework='torch' (adamlearn.Adam)"),
    ("keras flavour", ValueError, "(adamlearn.keras.Adam), expected optimizer='Adam' framework='torch' (adamlearn.Adam)"),
]


@pytest.mark.parametrize(("kind", "error", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_load_state_rejects_files_that_are_not_ours_and_nothing_changes(tmp_path, kind, error, message):
    path = tmp_path / "missing.npz" if kind == "missing" else _file(tmp_path, kind)
    opt = _make(adamlearn.Adam)
    before = _bits(opt)
    with pytest.raises(error, match=re.escape(message)):
        adamlearn.load_state(opt, path)
    assert _bits(opt) == before
    _assert_usable(opt)


def test_save_state_rejects_an_invalid_hyperparameter_set_during_training(tmp_path):
    opt = adamlearn.Adam([np.ones(2)])
    opt.hyper["lr"] = float("nan")
    with pytest.raises(ValueError, match=r"invalid lr=nan"):
        adamlearn.save_state(opt, tmp_path / "opt.npz")
    assert not (tmp_path / "opt.npz").exists()
