"""adamlearn: 「Adam 옵티마이저」 책이 가르치는 numpy 참조 구현.

- ``adamlearn.SGD, Adagrad, RMSprop, Adam, AdamW, NAdam, RAdam, Adamax, Adafactor, Muon``: ``torch.optim`` 형식
- ``adamlearn.keras.SGD, Adagrad, RMSprop, Adam, AdamW, Nadam, Adamax, Adafactor, Lamb, Lion, Muon,
  ScheduleFreeAdamW``: ``keras.optimizers`` 형식 (``adamlearn.keras.schedules``: 학습률 스케줄)
- ``adamlearn.functional``: 알고리즘마다 순수 함수 하나 (책의 식과 한 줄씩 대응)
- ``adamlearn.Trace``, ``adamlearn.run`` 과 목적 함수들, ``adamlearn.cross_check``
- ``adamlearn.save_state(opt, path)``, ``adamlearn.load_state(opt, path)``: 옵티마이저 상태를 pickle 없는 .npz 하나로
- ``adamlearn.lr_scheduler``: ``torch.optim.lr_scheduler`` 형식의 학습률 스케줄러 (LambdaLR, LinearLR, ...)
- ``adamlearn.clip_grad_norm_``: ``torch.nn.utils.clip_grad_norm_`` 과 같은 그래디언트 노름 자르기

numpy 만 가져온다. torch 와 keras 는 :func:`cross_check` 를 부를 때 가져온다.
"""

from . import functional, keras, lr_scheduler
from ._adafactor import Adafactor
from ._muon import Muon
from .checkpoint import load_state, save_state
from .clip import clip_grad_norm_
from .crosscheck import CrossCheck, cross_check, gradient_sequence
from .objectives import Beale, Quadratic, ReddiProblem, Rosenbrock, Run, StochasticReddiProblem, run
from .optim import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, RAdam, RMSprop
from .trace import Trace

__version__ = "0.1.0"

__all__ = [
    "SGD",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Beale",
    "CrossCheck",
    "Muon",
    "NAdam",
    "Quadratic",
    "RAdam",
    "RMSprop",
    "ReddiProblem",
    "Rosenbrock",
    "Run",
    "StochasticReddiProblem",
    "Trace",
    "clip_grad_norm_",
    "cross_check",
    "functional",
    "gradient_sequence",
    "keras",
    "load_state",
    "lr_scheduler",
    "run",
    "save_state",
]
