import os

# keras 를 처음 가져오기 전에 백엔드를 정한다 (TensorFlow 는 설치하지 않는다).
os.environ.setdefault("KERAS_BACKEND", "torch")

from hypothesis import settings

# CI 에서 매번 같은 예제를 쓰도록 derandomize: 실패가 재현된다.
settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None)
settings.load_profile("ci")
