# 두 명령: `make book` (책을 _build/html 로 빌드, 노트북 실행) 과 `make test` (모든 테스트).
# 둘 다 .venv/ 가 없거나 requirements.txt / pyproject.toml 보다 오래되었으면 먼저 만든다.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KERAS_BACKEND := torch
export PYTHONHASHSEED := 0

.PHONY: book test lint clean setup notebooks

setup: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 이 필요하다 (지금: {sys.version.split()[0]})"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going

test: $(STAMP)
	$(BIN)/ruff check adamlearn tests
	$(BIN)/python -m pytest

clean:
	rm -rf _build .pytest_cache

# 저자용: book/ 의 노트북을 모두 제자리에서 다시 실행해 출력을 저장한다 (커밋 전에).
notebooks: $(STAMP)
	for nb in book/*.ipynb; do $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb"; done
