"""스텝마다 중간값(m_t, s_t, 보정값, 업데이트, 유효 학습률)을 모은다.

알고리즘을 다시 쓰지 않는다: ``opt.step(grads, trace=tr)`` 를 부르면 :mod:`adamlearn.functional` 의
함수가 계산하면서 적어 둔 값(``tape``)을 그대로 쌓는다.

>>> import numpy as np, adamlearn
>>> x = np.array([1.0, 1.0]); opt = adamlearn.Adam([x], lr=0.1); tr = adamlearn.Trace()
>>> for _ in range(3):
...     opt.step([np.array([0.5, -2.0])], trace=tr)
>>> tr["m_hat"].shape
(3, 2)
"""

from __future__ import annotations

import numpy as np


class Trace:
    """옵티마이저의 스텝별 중간값 기록. ``tr[key]`` 는 첫 파라미터의 값을 (스텝, *모양) 배열로 준다."""

    def __init__(self, keys=None):
        """``keys`` 를 주면 그 이름들만 기록한다 (긴 실행에서 메모리를 아낀다)."""
        self.only = None if keys is None else frozenset(keys)
        self.steps: list[list[dict]] = []

    def append(self, tapes: list[dict]) -> None:
        """한 스텝의 기록(파라미터마다 dict 하나)을 덧붙인다."""
        self.steps.append([
            {k: _copy(v) for k, v in tape.items() if self.only is None or k in self.only} for tape in tapes
        ])

    def get(self, key: str, param: int = 0) -> np.ndarray:
        """``param`` 번째 파라미터의 ``key`` 값을 스텝 순서대로 쌓은 배열."""
        if not self.steps:
            raise KeyError(f"{key!r}: the trace is empty")
        if key not in self.steps[0][param]:
            raise KeyError(f"{key!r} is not recorded; recorded: {sorted(self.keys())}")
        return np.stack([np.asarray(step[param][key]) for step in self.steps])

    def __getitem__(self, key: str) -> np.ndarray:
        return self.get(key, 0)

    def keys(self) -> list[str]:
        """기록된 이름들."""
        return list(self.steps[0][0]) if self.steps else []

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        return f"Trace(steps={len(self)}, keys={self.keys()})"


def _copy(v):
    return v.copy() if isinstance(v, np.ndarray) else v
