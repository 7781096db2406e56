"""파라미터 그룹, 학습률 스케줄러, 그래디언트 자르기, 빠진 그래디언트: torch 2.13 과 교차 확인하고, 잘못된 입력은
아무것도 바꾸지 않고 거절하는지 본다.

교차 확인은 무작위 구성 (옵티마이저 8 종 x 그룹 나누기 x 그룹마다의 하이퍼파라미터 x 스케줄러 x 자르기 x
빠진 그래디언트) 을 float64 로 수백 스텝 돌린다. 기준은 ``torch.optim`` 과 ``torch.optim.lr_scheduler``,
``torch.nn.utils.clip_grad_norm_`` 의 실제 실행이다.
"""

import copy
import math

import numpy as np
import pytest

import adamlearn
from adamlearn import lr_scheduler as ours_sched
from adamlearn.crosscheck import _differences, torch_default_dtype

# torch 의 스케줄러는 optimizer.step() 없이 스케줄러만 돌리면 호출 순서를 경고한다: 학습률만 보는 테스트에서는 뜻이 없다.
pytestmark = pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before:UserWarning")

TORCH_NAMES = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "NAdam", "RAdam", "Adamax"]
SHAPES = [(3,), (2, 2), (), (4,), (2, 3)]
STEPS = 300
N_CONFIGS = 64

# 파라미터의 허용 차이. rounding_bound (adamlearn/crosscheck.py) 의 논리: 그래디언트 열이 정해져 있으면 한 스텝의
# 반올림 차이는 쌓이기만 하고 불어나지 않는다. 파라미터는 스텝마다 한두 번 반올림되고, 자르기가 있으면 배율 하나가
# 더 들어온다. 그 배율은 노름의 합을 다른 순서로 더해 (torch 의 _foreach_norm 과 numpy 의 dot) 원소 수 n <= 6 인
# 배열마다 많아야 n ulp, 노름들의 노름에서 다시 몇 ulp 다르다: 스텝마다 ~10 eps. 300 스텝이면
# 300 * 10 * 2.2e-16 = 6.7e-13 < 1e-12. (측정한 최댓값은 이 한계의 수백분의 일이다: 보고서 참고.)
REL_TOL = 1e-12


# --------------------------------------------------------------------------- 무작위 구성
def _hyper_options(name, rng):
    """클래스마다 그룹 하나의 하이퍼파라미터 (torch 이름). 그룹마다 따로 뽑는다."""
    h = {"lr": float(rng.choice([1e-3, 1e-2, 5e-2])), "weight_decay": float(rng.choice([0.0, 0.0, 1e-2, 0.1]))}
    if rng.random() < 0.2:
        h["maximize"] = True
    if name == "SGD":  # momentum, nesterov, dampening 은 함께 정해야 맞는다 (nesterov 는 momentum > 0, dampening 0)
        h["momentum"] = float(rng.choice([0.0, 0.9]))
        h["nesterov"] = bool(h["momentum"] and rng.random() < 0.5)
        h["dampening"] = 0.1 if h["momentum"] and not h["nesterov"] else 0.0
    elif name == "Adagrad":
        h.update(lr_decay=float(rng.choice([0.0, 1e-3])), initial_accumulator_value=float(rng.choice([0.0, 0.1])))
    elif name == "RMSprop":
        h.update(alpha=float(rng.choice([0.9, 0.99])), momentum=float(rng.choice([0.0, 0.5])),
                 centered=bool(rng.random() < 0.5))
    elif name in ("Adam", "AdamW"):
        h.update(betas=(float(rng.choice([0.8, 0.9])), float(rng.choice([0.99, 0.999]))),
                 amsgrad=bool(rng.random() < 0.4))
    elif name == "NAdam":
        h.update(momentum_decay=float(rng.choice([4e-3, 1e-2])), decoupled_weight_decay=bool(rng.random() < 0.5))
    elif name == "RAdam":
        h["decoupled_weight_decay"] = bool(rng.random() < 0.5)
    return h


def _schedule(kind, rng, n_groups, steps):
    """스케줄러를 만드는 함수 ``make(module, opt)``: 같은 인자로 torch 와 adamlearn 의 것을 만든다."""
    warm = int(rng.integers(5, 40))
    if kind is None:
        return None
    if kind == "LambdaLR":
        # transformers 의 get_linear_schedule_with_warmup 과 같은 모양 (그룹마다 다른 함수도 하나)
        def linear(s, w=warm, total=steps):
            return s / max(1, w) if s < w else max(0.0, (total - s) / max(1, total - w))

        def expo(s):
            return 0.99**s
        fns = [linear, expo][:n_groups] + [linear] * max(0, n_groups - 2) if rng.random() < 0.5 else linear
        return lambda m, opt: m.LambdaLR(opt, fns)
    if kind == "LinearLR":
        a, b = float(rng.choice([0.01, 0.1, 1 / 3])), float(rng.choice([1.0, 0.5, 0.0]))
        return lambda m, opt: m.LinearLR(opt, start_factor=a, end_factor=b, total_iters=warm)
    if kind == "CosineAnnealingLR":
        t_max, eta = int(rng.choice([steps, steps // 3])), float(rng.choice([0.0, 1e-4]))  # T_max < steps: 다시 올라간다
        return lambda m, opt: m.CosineAnnealingLR(opt, T_max=t_max, eta_min=eta)
    if kind == "StepLR":
        size, gamma = int(rng.integers(10, 60)), float(rng.choice([0.5, 0.1]))
        return lambda m, opt: m.StepLR(opt, step_size=size, gamma=gamma)
    if kind == "ConstantLR":
        factor = float(rng.choice([0.25, 0.5]))
        return lambda m, opt: m.ConstantLR(opt, factor=factor, total_iters=warm)
    if kind == "SequentialLR":  # 웜업 뒤 코사인 (Trainer 의 cosine 스케줄), 또는 상수 뒤 계단
        a, eta = float(rng.choice([0.01, 0.1])), float(rng.choice([0.0, 1e-5]))
        if rng.random() < 0.7:
            return lambda m, opt: m.SequentialLR(opt, [m.LinearLR(opt, start_factor=a, total_iters=warm),
                                                       m.CosineAnnealingLR(opt, T_max=steps - warm, eta_min=eta)],
                                                 milestones=[warm])
        return lambda m, opt: m.SequentialLR(opt, [m.ConstantLR(opt, factor=a, total_iters=warm),
                                                   m.StepLR(opt, step_size=25, gamma=0.5)], milestones=[warm])
    raise AssertionError(kind)


def _config(seed, steps=STEPS):
    rng = np.random.default_rng(seed)
    name = TORCH_NAMES[seed % len(TORCH_NAMES)]
    n_groups = int(rng.integers(1, 4))
    order = rng.permutation(len(SHAPES))
    cuts = sorted(rng.choice(np.arange(1, len(SHAPES)), size=n_groups - 1, replace=False)) if n_groups > 1 else []
    members = [list(map(int, part)) for part in np.split(order, cuts)]
    ctor = _hyper_options(name, rng)
    # 그룹은 생성자의 값을 물려받고 일부 키만 바꾼다 (torch 와 같은 규칙)
    overrides = []
    for _ in members:
        drawn = _hyper_options(name, rng)
        keep = {k for k in drawn if rng.random() < 0.5}
        if keep & {"momentum", "nesterov", "dampening"}:
            keep |= {"momentum", "nesterov", "dampening"}
        overrides.append({k: v for k, v in drawn.items() if k in keep})
    kind = [None, "LambdaLR", "LinearLR", "CosineAnnealingLR", "StepLR", "ConstantLR", "SequentialLR"][seed % 7]
    clip = [None, (1.0, 2.0), (0.5, math.inf), (2.0, 1.5)][int(rng.integers(0, 4))]
    p_missing = float(rng.choice([0.0, 0.15]))
    late = int(rng.integers(0, len(SHAPES)))  # 이 파라미터는 처음 late_steps 스텝 동안 그래디언트가 없다
    late_steps = int(rng.integers(0, 30))
    params0 = [np.array(rng.standard_normal(s)) for s in SHAPES]
    grads = []
    for k in range(steps):
        gs = []
        for i, s in enumerate(SHAPES):
            missing = rng.random() < p_missing or (i == late and k < late_steps)
            gs.append(None if missing else np.array(rng.standard_normal(s) * float(rng.choice([0.1, 1.0, 3.0]))))
        grads.append(gs)
    return dict(name=name, members=members, ctor=ctor, overrides=overrides, kind=kind,
                schedule=_schedule(kind, rng, len(members), steps), clip=clip, params0=params0, grads=grads)


def _groups(members, overrides, arrays):
    return [{"params": [arrays[i] for i in idx], **o} for idx, o in zip(members, overrides)]


def _run_ours(cfg):
    arrays = [p.copy() for p in cfg["params0"]]
    opt = getattr(adamlearn, cfg["name"])(_groups(cfg["members"], cfg["overrides"], arrays), **cfg["ctor"])
    sched = cfg["schedule"](ours_sched, opt) if cfg["schedule"] else None
    flat = [i for idx in cfg["members"] for i in idx]  # opt.params 의 순서 = 그룹 순서
    traj, lrs, norms = [], [], []
    for gs in cfg["grads"]:
        g = [None if gs[i] is None else gs[i].copy() for i in flat]
        if cfg["clip"]:
            norms.append(float(adamlearn.clip_grad_norm_(g, cfg["clip"][0], norm_type=cfg["clip"][1])))
        opt.step(g)
        if sched:
            sched.step()
        lrs.append([grp["lr"] for grp in opt.param_groups])
        traj.append([arrays[i].copy() for i in range(len(arrays))])
    steps = [opt.state[flat.index(i)].t for i in range(len(arrays))]
    return traj, lrs, norms, steps, opt, sched


def _run_torch(cfg):
    import torch

    with torch_default_dtype(np.float64):
        tensors = [torch.tensor(p, requires_grad=True) for p in cfg["params0"]]
        opt = getattr(torch.optim, cfg["name"])(_groups(cfg["members"], cfg["overrides"], tensors), **cfg["ctor"])
        sched = cfg["schedule"](torch.optim.lr_scheduler, opt) if cfg["schedule"] else None
        traj, lrs, norms = [], [], []
        for gs in cfg["grads"]:
            for t, g in zip(tensors, gs):
                t.grad = None if g is None else torch.from_numpy(g.copy())
            if cfg["clip"]:
                norms.append(float(torch.nn.utils.clip_grad_norm_(tensors, cfg["clip"][0], norm_type=cfg["clip"][1])))
            opt.step()
            if sched:
                sched.step()
            lrs.append([grp["lr"] for grp in opt.param_groups])
            traj.append([t.detach().numpy().copy() for t in tensors])
        steps = [int(opt.state[t]["step"]) if "step" in opt.state.get(t, {}) else None for t in tensors]
    return traj, lrs, norms, steps, opt, sched


def _max_rel(a, b):
    """스텝마다 max|ours - torch| / max|torch| (crosscheck._differences 와 같은 정의) 의 최댓값."""
    return _differences(a, b)[1]




@pytest.mark.parametrize("seed", range(N_CONFIGS))
def test_random_configuration_matches_torch(seed):
    pytest.importorskip("torch")
    cfg = _config(seed)
    ours, theirs = _run_ours(cfg), _run_torch(cfg)
    # 학습률: 둘 다 torch 의 식을 같은 순서로 파이썬 float 로 계산한다 (math.cos 도 같은 함수) -> 비트 단위로 같다.
    # 단 하나의 예외: torch 가 정확히는 0 인 값을 base_lr 의 1 ulp 미만의 음수로 반올림한 곳은 adamlearn 이 0.0 으로
    # 쓴다 (lr_scheduler._check_lr; LinearLR(end_factor=0) 에서 생긴다).
    expected = [[0.0 if -math.ulp(0.05) < lr < 0 else lr for lr in step] for step in theirs[1]]
    assert ours[1] == expected, f"{cfg['kind']}: learning rates differ"
    # 빠진 그래디언트: 파라미터마다의 스텝 수가 torch 의 state['step'] 과 같다 (그래디언트가 없던 스텝은 세지 않는다).
    for mine, ref in zip(ours[3], theirs[3]):
        if ref is not None:
            assert mine == ref
    if cfg["clip"]:
        # 전체 노름: 원소 <= 6 개인 배열의 노름과 그 노름 5 개의 노름. 더하는 순서만 다르므로 몇 ulp:
        # 상대 1e-14 (= 45 eps) 면 넉넉하고, 식이 다르면 (1e-6, 노름의 정의) 훨씬 크게 어긋난다.
        rel = max(abs(x - y) / y for x, y in zip(ours[2], theirs[2]) if y > 0)
        assert rel < 1e-14, rel
    rel = _max_rel(ours[0], theirs[0])
    assert rel <= REL_TOL, (cfg["name"], cfg["kind"], cfg["clip"], rel)


def test_configurations_cover_every_feature():
    """무작위 구성이 정말로 모든 것을 덮는지: 클래스 8 종, 스케줄러 6 종 + 없음, 자르기 3 종, 그룹 1-3 개, 빠진 그래디언트."""
    cfgs = [_config(s, steps=40) for s in range(N_CONFIGS)]
    assert {c["name"] for c in cfgs} == set(TORCH_NAMES)
    assert {c["kind"] for c in cfgs} == {None, "LambdaLR", "LinearLR", "CosineAnnealingLR", "StepLR", "ConstantLR",
                                          "SequentialLR"}
    assert {c["clip"][1] for c in cfgs if c["clip"]} == {2.0, math.inf, 1.5}
    assert {len(c["members"]) for c in cfgs} == {1, 2, 3}
    assert sum(any(g is None for gs in c["grads"] for g in gs) for c in cfgs) >= N_CONFIGS // 2


# --------------------------------------------------------------------------- 스케줄러
SCHEDULES = {
    "LinearLR": lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=37),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=41, eta_min=1e-4),
    "StepLR": lambda m, o: m.StepLR(o, step_size=13, gamma=0.3),
    "ConstantLR": lambda m, o: m.ConstantLR(o, factor=0.2, total_iters=9),
    "SequentialLR": lambda m, o: m.SequentialLR(o, [m.LinearLR(o, start_factor=0.01, total_iters=10),
                                                    m.CosineAnnealingLR(o, T_max=90)], milestones=[10]),
}


def _two_group_pair():
    import torch

    ts = [torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)]
    a = [np.zeros(2), np.zeros(1)]
    spec = lambda ps: [{"params": [ps[0]], "lr": 0.1}, {"params": [ps[1]], "lr": 0.03}]  # noqa: E731
    return torch.optim.AdamW(spec(ts), lr=0.01), adamlearn.AdamW(spec(a), lr=0.01)


@pytest.mark.parametrize("kind", SCHEDULES)
def test_scheduler_state_dict_has_torchs_keys_and_values_and_resumes(kind):
    """state_dict 는 torch 의 것과 같은 dict 다. 중간에 저장해 새 스케줄러에 읽으면 학습률이 끊김 없이 이어진다."""
    torch = pytest.importorskip("torch")
    t_opt, a_opt = _two_group_pair()
    t_s, a_s = SCHEDULES[kind](torch.optim.lr_scheduler, t_opt), SCHEDULES[kind](ours_sched, a_opt)
    for _ in range(25):
        t_s.step()
        a_s.step()
    assert a_s.state_dict() == t_s.state_dict()
    saved_sched, saved_opt = a_s.state_dict(), a_opt.state_dict()
    expected = []
    for _ in range(60):
        a_s.step()
        expected.append(a_s.get_last_lr())
    _, fresh = _two_group_pair()
    fresh_s = SCHEDULES[kind](ours_sched, fresh)  # torch 처럼: 스케줄러를 만든 뒤 옵티마이저와 스케줄러를 읽는다
    fresh.load_state_dict(saved_opt)
    fresh_s.load_state_dict(saved_sched)
    got = []
    for _ in range(60):
        fresh_s.step()
        got.append(fresh_s.get_last_lr())
    assert got == expected


def test_torch_closed_form_differs_from_the_chainable_form_we_reproduce():
    """이 테스트들이 무엇을 가리는지: 코사인의 닫힌 꼴은 torch 의 step() 과 끝자리가 다르다. 우리가 닫힌 꼴을
    썼다면 위의 비트 단위 비교가 실패했을 것이다."""
    torch = pytest.importorskip("torch")
    t_opt, _ = _two_group_pair()
    s = torch.optim.lr_scheduler.CosineAnnealingLR(t_opt, T_max=41, eta_min=1e-4)
    chain, closed = [], []
    for k in range(1, 200):
        s.step()
        chain.append(t_opt.param_groups[0]["lr"])
        closed.append(1e-4 + (0.1 - 1e-4) * (1 + math.cos(math.pi * k / 41)) / 2)
    assert sum(a != b for a, b in zip(chain, closed)) > 10


def test_linear_lr_to_zero_where_torch_rounds_to_a_tiny_negative_lr_gives_zero():
    """torch 의 LinearLR(end_factor=0) 은 연쇄형 식의 반올림으로 total_iters 스텝에서 작은 음수 lr 을 만든다
    (lr=1e-3, start_factor=0.01, total_iters=3 이면 -7.4e-22). torch 는 그 값을 그대로 쓴다. adamlearn 은 base_lr 의
    1 ulp 미만인 음수를 0.0 으로 쓰고, 그보다 큰 음수는 거절한다."""
    torch = pytest.importorskip("torch")
    t_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1e-3)
    t_s = torch.optim.lr_scheduler.LinearLR(t_opt, start_factor=0.01, end_factor=0.0, total_iters=3)
    opt = adamlearn.SGD([np.zeros(1)], lr=1e-3)
    s = ours_sched.LinearLR(opt, start_factor=0.01, end_factor=0.0, total_iters=3)
    for _ in range(5):
        t_opt.step()
        t_s.step()
        opt.step([np.ones(1)])
        s.step()
    assert -math.ulp(1e-3) < t_opt.param_groups[0]["lr"] < 0  # torch 는 정말로 음수를 쓴다 (헛돌지 않는 테스트)
    assert opt.param_groups[0]["lr"] == 0.0 and s.get_last_lr() == [0.0]
    # base_lr 의 1 ulp 이상인 음수는 반올림이 아니다: 거절한다
    opt2 = adamlearn.SGD([np.zeros(1)], lr=1e-3)
    s2 = ours_sched.LambdaLR(opt2, lambda k: 1.0 if k == 0 else -2 * math.ulp(1e-3) / 1e-3)
    with pytest.raises(ValueError, match=r"invalid param_groups\[0\]\['lr'\]=-"):
        s2.step()
    assert opt2.param_groups[0]["lr"] == 1e-3


def test_lambda_lr_state_dict_keeps_callable_objects_like_torch():
    class Warmup:
        def __init__(self, n):
            self.n = n

        def __call__(self, s):
            return min(1.0, (s + 1) / self.n)

    opt = adamlearn.Adam([np.zeros(2)], lr=0.1)
    s = ours_sched.LambdaLR(opt, [Warmup(10)])
    sd = s.state_dict()
    assert sd["lr_lambdas"] == [{"n": 10}]
    sd["lr_lambdas"] = [{"n": 4}]
    s.load_state_dict(sd)
    assert s.lr_lambdas[0].n == 4


@pytest.mark.parametrize(("bad", "pattern"), [
    (-1.0, r"param_groups\[0\]\['lr'\]=-0\.1"),  # 첫 그룹에서 걸린다: 두 그룹 모두 그대로
    (float("nan"), r"param_groups\[0\]\['lr'\]=nan"),
    (float("inf"), r"param_groups\[0\]\['lr'\]=inf"),
])
def test_scheduler_that_produces_an_invalid_lr_is_rejected_and_nothing_changes(bad, pattern):
    a = [np.zeros(2), np.zeros(1)]
    opt = adamlearn.AdamW([{"params": [a[0]], "lr": 0.1}, {"params": [a[1]], "lr": 0.03}])
    s = ours_sched.LambdaLR(opt, lambda k: 1.0 if k < 3 else bad)
    s.step()
    s.step()
    before_groups, before_sched = [dict(g, params=None) for g in opt.param_groups], s.state_dict()
    with pytest.raises(ValueError, match=pattern):
        s.step()
    assert [dict(g, params=None) for g in opt.param_groups] == before_groups and s.state_dict() == before_sched
    assert s.get_last_lr() == [0.1, 0.03]


def test_scheduler_whose_first_value_is_invalid_leaves_no_trace():
    opt = adamlearn.Adam([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match=r"param_groups\[0\]\['lr'\]=-0\.1"):
        ours_sched.LambdaLR(opt, lambda k: -1.0)
    assert opt.param_groups[0]["lr"] == 0.1 and "initial_lr" not in opt.param_groups[0]


@pytest.mark.parametrize(("make", "error", "pattern"), [
    (lambda o: ours_sched.StepLR(o, step_size=0), ValueError, r"invalid step_size=0"),
    (lambda o: ours_sched.LinearLR(o, start_factor=0.0), ValueError, r"invalid start_factor=0\.0"),
    (lambda o: ours_sched.ConstantLR(o, factor=1.5), ValueError, r"invalid factor=1\.5"),
    (lambda o: ours_sched.CosineAnnealingLR(o, T_max=0), ValueError, r"invalid T_max=0"),
    (lambda o: ours_sched.CosineAnnealingLR(o, T_max=10, eta_min=float("nan")), ValueError, r"invalid eta_min=nan"),
    (lambda o: ours_sched.LambdaLR(o, [lambda k: 1.0, lambda k: 1.0]), ValueError, r"Expected 1 lr_lambdas"),
    (lambda o: ours_sched.SequentialLR(o, [ours_sched.StepLR(o, 5)], milestones=[3]), ValueError, "milestone"),
    (lambda o: ours_sched.StepLR(adamlearn.keras.Adam([np.zeros(2)]), 5), TypeError, "not a torch-flavoured"),
])
def test_bad_scheduler_arguments_are_rejected_and_the_optimizer_is_untouched(make, error, pattern):
    opt = adamlearn.Adam([np.zeros(2)], lr=0.1)
    with pytest.raises(error, match=pattern):
        make(opt)
    assert opt.param_groups[0]["lr"] == 0.1


def test_malformed_scheduler_state_dict_is_rejected_and_nothing_changes():
    opt = adamlearn.Adam([np.zeros(2)], lr=0.1)
    s = ours_sched.StepLR(opt, step_size=3)
    before = s.state_dict()
    for edit, pattern in [(lambda d: d.pop("gamma"), r"missing key\(s\) \['gamma'\]"),
                          (lambda d: d.update(base_lrs=[-1.0]), r"base_lrs\[0\]=-1\.0"),
                          (lambda d: d.update(last_epoch="3"), r"invalid last_epoch='3'"),
                          (lambda d: d.update(step_size=0), r"invalid step_size=0")]:
        sd = s.state_dict()
        edit(sd)
        with pytest.raises((TypeError, ValueError), match=pattern):
            s.load_state_dict(sd)
        assert s.state_dict() == before


# --------------------------------------------------------------------------- 그룹
def test_groups_fall_back_to_the_constructor_and_param_groups_is_editable_like_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x0 = [rng.standard_normal(3), rng.standard_normal(2)]
    grads = [[rng.standard_normal(3), rng.standard_normal(2)] for _ in range(60)]
    a = [p.copy() for p in x0]
    with torch_default_dtype(np.float64):
        t = [torch.tensor(p, requires_grad=True) for p in x0]
        spec = lambda ps: [{"params": [ps[0]], "weight_decay": 0.1}, {"params": ps[1], "amsgrad": True}]  # noqa: E731
        t_opt, a_opt = torch.optim.Adam(spec(t), lr=0.05, betas=(0.8, 0.99)), adamlearn.Adam(spec(a), lr=0.05,
                                                                                            betas=(0.8, 0.99))
        assert [g["betas"] for g in a_opt.param_groups] == [(0.8, 0.99)] * 2
        for k, gs in enumerate(grads):
            if k == 20:
                for o in (t_opt, a_opt):
                    o.param_groups[1]["lr"] = 0.01
                    o.param_groups[0]["betas"] = (0.5, 0.9)
            for tt, g in zip(t, gs):
                tt.grad = torch.from_numpy(g.copy())
            t_opt.step()
            a_opt.step(gs)
    # 기준 한계: 60 스텝이면 rounding_bound(float64, 60) = 1e-13
    assert _max_rel([a], [[tt.detach().numpy() for tt in t]]) <= 1e-13


def test_add_param_group_mid_training_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x0 = [rng.standard_normal(3), rng.standard_normal((2, 2))]
    grads = [[rng.standard_normal(3), rng.standard_normal((2, 2))] for _ in range(120)]
    a = [p.copy() for p in x0]
    with torch_default_dtype(np.float64):
        t = [torch.tensor(p, requires_grad=True) for p in x0]
        t_opt, a_opt = torch.optim.NAdam([t[0]], lr=0.02), adamlearn.NAdam([a[0]], lr=0.02)
        for k, gs in enumerate(grads):
            if k == 40:
                t_opt.add_param_group({"params": [t[1]], "lr": 0.005, "weight_decay": 0.1})
                a_opt.add_param_group({"params": [a[1]], "lr": 0.005, "weight_decay": 0.1})
            n = 1 if k < 40 else 2
            for tt, g in zip(t[:n], gs):
                tt.grad = torch.from_numpy(g.copy())
            t_opt.step()
            a_opt.step(gs[:n])
    assert a_opt.state[1].t == 80 and a_opt.state[0].t == 120
    # 120 스텝: rounding_bound(float64, 120) = 1e-13
    assert _max_rel([a], [[tt.detach().numpy() for tt in t]]) <= 1e-13


def test_missing_gradient_leaves_the_parameter_and_its_state_untouched():
    x, y = np.ones(3), np.ones(2)
    opt = adamlearn.Adam([x, y], lr=0.1)
    opt.step([np.ones(3), np.ones(2)])
    y_before, state_before = y.copy(), opt.state[1]
    opt.step([np.ones(3), None])
    assert np.array_equal(y, y_before) and opt.state[1] is state_before
    assert [s.t for s in opt.state] == [2, 1] and opt.t == 2
    opt.load_state_dict(opt.state_dict())  # 파라미터마다 다른 스텝 수도 읽어 들인다
    assert [s.t for s in opt.state] == [2, 1]


def test_amsgrad_switched_on_before_a_parameters_first_gradient_starts_its_state_like_torch():
    """torch 는 상태를 첫 그래디언트에서 만든다: 아직 움직이지 않은 파라미터는 그때의 amsgrad 를 따른다."""
    torch = pytest.importorskip("torch")
    a = [np.ones(2), np.ones(2)]
    with torch_default_dtype(np.float64):
        t = [torch.ones(2, dtype=torch.float64, requires_grad=True) for _ in range(2)]
        opts = (adamlearn.Adam([{"params": [a[0]]}, {"params": [a[1]]}], lr=0.1),
                torch.optim.Adam([{"params": [t[0]]}, {"params": [t[1]]}], lr=0.1))
        g = [np.array([0.5, -1.0]), np.array([2.0, 0.1])]
        for k in range(6):
            if k == 2:
                for o in opts:
                    o.param_groups[1]["amsgrad"] = True
            t[0].grad = torch.from_numpy(g[0] * (k + 1))
            t[1].grad = None if k < 3 else torch.from_numpy(g[1] / (k + 1))
            opts[1].step()
            opts[0].step([g[0] * (k + 1), None if k < 3 else g[1] / (k + 1)])
    assert opts[0].state[1].s_max is not None
    # 6 스텝: rounding_bound(float64, 6) = 1e-14
    assert _max_rel([a], [[tt.detach().numpy() for tt in t]]) <= 1e-14


def test_hyper_is_a_live_view_of_the_first_group():
    opt = adamlearn.Adam([{"params": [np.zeros(2)], "lr": 0.1}, {"params": [np.zeros(1)]}], lr=0.01)
    opt.hyper["lr"] = 0.5
    assert opt.param_groups[0]["lr"] == 0.5 and opt.param_groups[1]["lr"] == 0.01
    opt.param_groups[0]["eps"] = 1e-6
    assert opt.hyper["eps"] == 1e-6
    ours_sched.StepLR(opt, step_size=5)
    assert "initial_lr" in opt.param_groups[0] and "initial_lr" not in opt.hyper
    single = adamlearn.Adam([np.zeros(2)], lr=0.1)
    twin = type(single)([np.zeros(2)], **single.hyper)  # 예전처럼 dict 로 풀어 쓸 수 있다
    assert twin.hyper == single.hyper == dict(single.hyper)
    with pytest.raises(KeyError, match="not a hyperparameter"):
        single.hyper["params"] = []


def _two_groups():
    return [np.ones(3), np.ones(2), np.ones(1)]


BAD_GROUPS = [
    ("not a dict", lambda a: [{"params": [a[0]]}, [a[1]]], TypeError, r"params\[1\] is list, but params\[0\] is a dict"),
    ("no params", lambda a: [{"params": [a[0]]}, {"lr": 0.1}], ValueError, r"param_groups\[1\] has no 'params' key"),
    ("empty params", lambda a: [{"params": [a[0]]}, {"params": []}], ValueError,
     r"param_groups\[1\]\['params'\] is an empty list"),
    ("unknown key", lambda a: [{"params": [a[0]], "learning_rate": 0.1}], ValueError,
     r"param_groups\[0\] has unexpected key\(s\) \['learning_rate'\]"),
    ("in two groups", lambda a: [{"params": [a[0], a[1]]}, {"params": [a[1]]}], ValueError,
     r"param_groups\[1\]\['params'\]\[0\] is the same array as param_groups\[0\]\['params'\]\[1\]"),
    ("overlapping views", lambda a: [{"params": [a[0][:2]]}, {"params": [a[0][1:]]}], ValueError,
     r"param_groups\[0\]\['params'\]\[0\] and param_groups\[1\]\['params'\]\[0\] share memory"),
    ("negative lr", lambda a: [{"params": [a[0]]}, {"params": [a[1]], "lr": -0.1}], ValueError,
     r"param_groups\[1\]: invalid lr=-0\.1"),
    ("nan lr", lambda a: [{"params": [a[0]], "lr": float("nan")}], ValueError, r"param_groups\[0\]: invalid lr=nan"),
    ("bad betas", lambda a: [{"params": [a[0]], "betas": (0.9, 1.0)}], ValueError, r"param_groups\[0\]: invalid betas"),
    ("set of params", lambda a: [{"params": {a[2].tobytes()}}], TypeError, r"param_groups\[0\]\['params'\] is a set"),
    ("int array", lambda a: [{"params": [np.arange(3)]}], TypeError, r"param_groups\[0\]\['params'\]\[0\] has dtype int64"),
]


@pytest.mark.parametrize(("make", "error", "pattern"), [c[1:] for c in BAD_GROUPS], ids=[c[0] for c in BAD_GROUPS])
def test_bad_group_dicts_are_rejected_naming_the_group_and_key(make, error, pattern):
    with pytest.raises(error, match=pattern):
        adamlearn.Adam(make(_two_groups()), lr=0.1)


BAD_ADDED = [
    ("not a dict", lambda a: [a[1]], TypeError, r"param_groups\[1\] is list, expected a dict"),
    ("no params", lambda a: {"lr": 0.1}, ValueError, r"param_groups\[1\] has no 'params' key"),
    ("empty params", lambda a: {"params": []}, ValueError, r"param_groups\[1\]\['params'\] is an empty list"),
    ("unknown key", lambda a: {"params": [a[1]], "momentum": 0.9}, ValueError, r"unexpected key\(s\) \['momentum'\]"),
    ("already in a group", lambda a: {"params": [a[1], a[0]]}, ValueError,
     r"param_groups\[1\]\['params'\]\[1\] is the same array as params\[0\]"),
    ("twice in the new group", lambda a: {"params": [a[1], a[1]]}, ValueError, r"share memory"),
    ("negative lr", lambda a: {"params": [a[1]], "lr": -1.0}, ValueError, r"param_groups\[1\]: invalid lr=-1\.0"),
]


@pytest.mark.parametrize(("make", "error", "pattern"), [c[1:] for c in BAD_ADDED], ids=[c[0] for c in BAD_ADDED])
def test_bad_add_param_group_is_rejected_and_nothing_changes(make, error, pattern):
    arrays = _two_groups()
    opt = adamlearn.Adam([{"params": [arrays[0]]}], lr=0.1)
    opt.step([np.ones(3)])
    before = ([dict(g, params=list(g["params"])) for g in opt.param_groups], list(opt.params), list(opt.state))
    with pytest.raises(error, match=pattern):
        opt.add_param_group(make(arrays))
    assert len(opt.param_groups) == 1 and opt.param_groups[0]["params"] == before[0][0]["params"]
    assert opt.params == before[1] and opt.state == before[2]
    opt.step([np.ones(3)])  # 그대로 쓸 수 있다


def test_invalid_group_value_set_between_steps_is_rejected_at_step_and_nothing_changes():
    a = _two_groups()
    opt = adamlearn.SGD([{"params": [a[0]]}, {"params": [a[1]], "momentum": 0.9}], lr=0.1)
    grads = [np.ones(3), np.ones(2)]
    opt.step(grads)
    snapshot = ([p.copy() for p in opt.params], copy.deepcopy(opt.state_dict()))
    for key, value, pattern in [("lr", -1.0, r"param_groups\[1\]: invalid lr=-1\.0"),
                                ("lr", float("inf"), r"param_groups\[1\]: invalid lr=inf"),
                                ("nesterov", "yes", r"param_groups\[1\]: invalid nesterov='yes'"),
                                ("learning_rate", 0.1, r"param_groups\[1\]: .*unexpected key\(s\) \['learning_rate'\]")]:
        saved = opt.param_groups[1].get(key, KeyError)
        opt.param_groups[1][key] = value
        with pytest.raises((TypeError, ValueError), match=pattern):
            opt.step(grads)
        assert all(np.array_equal(p, q) for p, q in zip(opt.params, snapshot[0]))
        if saved is KeyError:
            del opt.param_groups[1][key]
        else:
            opt.param_groups[1][key] = saved
    opt.param_groups[1]["params"].append(np.zeros(2))
    with pytest.raises(ValueError, match="add_param_group"):
        opt.step(grads)


def test_keras_flavour_keeps_one_group_and_its_learning_rate_key():
    a = np.zeros(2)
    opt = adamlearn.keras.Adam([a], learning_rate=0.1)
    assert opt.param_groups[0]["learning_rate"] == 0.1 and opt.hyper["learning_rate"] == 0.1
    with pytest.raises(TypeError, match="torch-flavour feature"):
        adamlearn.keras.Adam([{"params": [np.zeros(2)]}])
    with pytest.raises(TypeError, match=r"grads\[0\]: None"):
        opt.step([None])
    assert opt.t == 0 and np.array_equal(a, np.zeros(2))


# --------------------------------------------------------------------------- state_dict, 파일
def _resume_case(tmp_path, via_file):
    rng = np.random.default_rng(5)
    x0 = [np.array(rng.standard_normal(s)) for s in SHAPES]
    grads = [[None if rng.random() < 0.2 else np.array(rng.standard_normal(s)) for s in SHAPES] for _ in range(80)]

    def build(arrays):
        opt = adamlearn.AdamW([{"params": arrays[:2], "weight_decay": 0.0}, {"params": arrays[2:], "amsgrad": True}],
                              lr=0.01)
        sched = ours_sched.SequentialLR(opt, [ours_sched.LinearLR(opt, start_factor=0.1, total_iters=10),
                                              ours_sched.CosineAnnealingLR(opt, T_max=70)], milestones=[10])
        return opt, sched

    full = [p.copy() for p in x0]
    opt, sched = build(full)
    for gs in grads:
        adamlearn.clip_grad_norm_(gs := [None if g is None else g.copy() for g in gs], 1.0)
        opt.step(gs)
        sched.step()

    first = [p.copy() for p in x0]
    opt1, sched1 = build(first)
    for gs in grads[:33]:
        adamlearn.clip_grad_norm_(gs := [None if g is None else g.copy() for g in gs], 1.0)
        opt1.step(gs)
        sched1.step()
    sched_sd = sched1.state_dict()
    if via_file:
        adamlearn.save_state(opt1, tmp_path / "opt.npz")
    else:
        opt_sd = opt1.state_dict()
    resumed = [p.copy() for p in first]
    opt2, sched2 = build(resumed)
    if via_file:
        adamlearn.load_state(opt2, tmp_path / "opt.npz")
    else:
        opt2.load_state_dict(opt_sd)
    sched2.load_state_dict(sched_sd)
    for gs in grads[33:]:
        adamlearn.clip_grad_norm_(gs := [None if g is None else g.copy() for g in gs], 1.0)
        opt2.step(gs)
        sched2.step()
    return full, resumed, opt, opt2


@pytest.mark.parametrize("via_file", [False, True], ids=["state_dict", "save_state"])
def test_groups_scheduler_and_missing_gradients_resume_bit_for_bit(tmp_path, via_file):
    full, resumed, opt, opt2 = _resume_case(tmp_path, via_file)
    assert all(p.tobytes() == q.tobytes() for p, q in zip(full, resumed))
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    assert [s.t for s in opt2.state] == [s.t for s in opt.state]
    assert len({s.t for s in opt.state}) > 1  # 빠진 그래디언트로 파라미터마다 스텝 수가 다르다


def test_multi_group_file_is_version_2_and_single_group_file_stays_version_1(tmp_path):
    import json

    single = adamlearn.Adam([np.ones(2)])
    adamlearn.save_state(single, tmp_path / "one.npz")
    multi = adamlearn.Adam([{"params": [np.ones(2)]}, {"params": [np.ones(1)], "lr": 0.1}])
    adamlearn.save_state(multi, tmp_path / "two.npz")
    meta = [json.loads(str(np.load(tmp_path / f"{n}.npz")["adamlearn"][()])) for n in ("one", "two")]
    assert (meta[0]["version"], "hyper" in meta[0]) == (1, True)
    assert (meta[1]["version"], meta[1]["param_groups"][1]["params"]) == (2, [1])
    other = adamlearn.Adam([{"params": [np.ones(2)]}, {"params": [np.ones(1)]}])
    adamlearn.load_state(other, tmp_path / "two.npz")
    assert other.param_groups[1]["lr"] == 0.1
    with pytest.raises(ValueError, match=r"one set of hyperparameters \('hyper'\), but the optimizer has 2"):
        adamlearn.load_state(other, tmp_path / "one.npz")


@pytest.mark.parametrize(("edit", "error", "pattern"), [
    (lambda sd: sd["param_groups"].pop(), ValueError, r"1 parameter groups for the optimizer's 2"),
    (lambda sd: sd["param_groups"][1].update(params=[0]), ValueError, r"param_groups\[1\]\['params'\]=\[0\], expected \[1\]"),
    (lambda sd: sd["param_groups"][1].update(lr=-1.0), ValueError, r"param_groups\[1\]: invalid lr=-1\.0"),
    (lambda sd: sd["param_groups"][0].pop("eps"), ValueError, r"param_groups\[0\] has missing key\(s\) \['eps'\]"),
    (lambda sd: sd["param_groups"][0].update(initial_lr=float("nan")), ValueError, r"invalid initial_lr=nan"),
    (lambda sd: sd["state"][1].update(s_max=None), TypeError, r"state\[1\]\['s_max'\] is NoneType"),
])
def test_malformed_group_state_dict_is_rejected_and_nothing_changes(edit, error, pattern):
    opt = adamlearn.Adam([{"params": [np.ones(2)]}, {"params": [np.ones(1)], "amsgrad": True}], lr=0.1)
    opt.step([np.ones(2), np.ones(1)])
    sd = opt.state_dict()
    before = copy.deepcopy(sd)
    edit(sd)
    with pytest.raises(error, match=pattern):
        opt.load_state_dict(sd)
    after = opt.state_dict()
    assert after.keys() == before.keys() and after["param_groups"] == before["param_groups"]
    assert all(a["t"] == b["t"] and all(np.array_equal(a[k], b[k]) for k in ("m", "s"))
               for a, b in zip(after["state"], before["state"]))
