"""15장 (NAdam)의 연습문제 확인 함수."""

from __future__ import annotations

__all__: list[str] = []
