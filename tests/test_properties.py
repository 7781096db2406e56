"""Adam 에 대해 논문과 책이 주장하는 성질을 hypothesis 로 확인한다."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import adamlearn
from adamlearn import functional as F

betas1 = st.floats(0.0, 0.99)
betas2 = st.floats(0.5, 0.9999)
lrs = st.floats(1e-4, 1.0)
# 0 근처 값은 제외: 부호가 정해져야 "sign(g)" 성질을 말할 수 있다.
nonzero = st.floats(0.01, 100.0) | st.floats(-100.0, -0.01)
grad_arrays = arrays(np.float64, st.integers(1, 5), elements=nonzero)


def _run(opt_cls, grads, x0, **hyper):
    x = x0.copy()
    opt = opt_cls([x], **hyper)
    xs = []
    for g in grads:
        opt.step([g])
        xs.append(x.copy())
    return np.array(xs)


@given(st.lists(grad_arrays, min_size=1, max_size=20).filter(lambda gs: len({g.shape for g in gs}) == 1),
       st.floats(1e-3, 1e3), lrs, betas1, betas2)
def test_scale_invariance(grads, c, lr, b1, b2):
    """eps = 0 이면 모든 그래디언트를 c > 0 배 해도 Adam 의 업데이트는 변하지 않는다 (Kingma & Ba §2.1)."""
    x0 = np.zeros_like(grads[0])
    a = _run(adamlearn.Adam, grads, x0, lr=lr, betas=(b1, b2), eps=0.0)
    b = _run(adamlearn.Adam, [c * g for g in grads], x0, lr=lr, betas=(b1, b2), eps=0.0)
    # m_hat 과 sqrt(s_hat) 가 둘 다 정확히 c 배가 되고 몫에서 상쇄된다; 남는 것은 c 를 곱할 때의 반올림
    # (상대 ~1e-16) 이 스텝마다 더해진 것뿐이다. 20 스텝, |x| <= 20 lr 에서 1e-12 * (1 + |x|) 는 넉넉하다.
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@given(grad_arrays, st.integers(1, 50), lrs, betas1, betas2)
def test_constant_gradient_moves_lr_sign_g_each_step(g, steps, lr, b1, b2):
    """일정한 그래디언트 g 에서는 (eps = 0) 모든 좌표가 스텝마다 정확히 lr * sign(g) 만큼 움직인다."""
    xs = _run(adamlearn.Adam, [g] * steps, np.zeros_like(g), lr=lr, betas=(b1, b2), eps=0.0)
    steps_taken = np.diff(np.vstack([np.zeros_like(g), xs]), axis=0)
    # m_hat = g, s_hat = g^2 가 반올림 안에서 성립하므로 업데이트는 lr*sign(g) 에서 몇 ulp 벗어난다.
    np.testing.assert_allclose(steps_taken, np.broadcast_to(-lr * np.sign(g), steps_taken.shape), rtol=1e-12)


@given(grad_arrays, lrs, betas1, betas2, st.floats(0.0, 1e-8))
def test_first_step_has_magnitude_lr(g, lr, b1, b2, eps):
    """첫 스텝은 m_hat = g, s_hat = g^2 이므로 크기가 lr 이다 (eps 가 |g| 에 비해 무시할 만할 때)."""
    x = np.zeros_like(g)
    adamlearn.Adam([x], lr=lr, betas=(b1, b2), eps=eps).step([g])
    # |g| >= 0.01, eps <= 1e-8 이므로 eps 가 만드는 상대 오차는 최대 1e-6.
    np.testing.assert_allclose(np.abs(x), lr, rtol=1e-6)


@given(st.lists(grad_arrays, min_size=1, max_size=20).filter(lambda gs: len({g.shape for g in gs}) == 1),
       lrs, betas2, st.floats(0.0, 1e-3))
def test_adam_beta1_zero_is_bias_corrected_rmsprop(grads, lr, b2, eps):
    """beta1 = 0 인 Adam 은 편향 보정을 한 RMSProp (eps 는 제곱근 밖) 과 같다."""
    x0 = np.ones_like(grads[0])
    adam = _run(adamlearn.Adam, grads, x0, lr=lr, betas=(0.0, b2), eps=eps)
    # RMSProp 을 functional 의 도우미로 직접 쓴다: s_t = ema(s, g^2), theta -= lr * g / (sqrt(s_hat) + eps)
    x, s, out = x0.copy(), np.zeros_like(x0), []
    for t, g in enumerate(grads, start=1):
        s = F.ema(s, g * g, b2)
        x = x - lr * g / (np.sqrt(F.bias_correction(s, b2, t)) + eps)
        out.append(x)
    # 같은 식을 다른 순서로 계산한다 (m_hat = g/(1-0**t) 는 정확히 g): 차이는 반올림뿐.
    np.testing.assert_allclose(adam, np.array(out), rtol=1e-12, atol=1e-12)


@given(st.integers(1, 30), st.integers(1, 30), st.sampled_from(
    [(adamlearn.Adam, dict(lr=0.01, amsgrad=True)), (adamlearn.NAdam, {}), (adamlearn.RAdam, {}),
     (adamlearn.RMSprop, dict(momentum=0.5, centered=True)), (adamlearn.SGD, dict(momentum=0.9)),
     (adamlearn.Adagrad, {}), (adamlearn.Adamax, {}), (adamlearn.keras.SGD, dict(momentum=0.9)),
     (adamlearn.keras.Nadam, {}), (adamlearn.keras.RMSprop, dict(momentum=0.5))]), st.integers(0, 2**16))
def test_resume_from_state_dict_equals_uninterrupted(n1, n2, case, seed):
    """state_dict 로 저장했다가 새 옵티마이저에 불러와 이어 돌리면, 멈추지 않고 돌린 것과 비트 단위로 같다."""
    cls, hyper = case
    rng = np.random.default_rng(seed)
    shapes = [(3,), (2, 2), ()]
    grads = [[rng.standard_normal(s) for s in shapes] for _ in range(n1 + n2)]
    x0 = [rng.standard_normal(s) for s in shapes]

    full = [p.copy() for p in x0]
    opt = cls(full, **hyper)
    for gs in grads:
        opt.step(gs)

    first = [p.copy() for p in x0]
    opt1 = cls(first, **hyper)
    for gs in grads[:n1]:
        opt1.step(gs)
    saved_state = opt1.state_dict()
    saved_params = [p.copy() for p in first]
    opt1.step(grads[n1])  # 저장 뒤의 스텝이 저장본(깊은 복사)을 건드리지 않아야 한다

    resumed = saved_params
    opt2 = cls(resumed, **hyper)
    opt2.load_state_dict(saved_state)
    for gs in grads[n1:]:
        opt2.step(gs)
    for a, b in zip(full, resumed):
        np.testing.assert_array_equal(a, b)
