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

.PHONY: book test lint clean setup notebooks chromium classroom lab

setup: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 이 필요하다 (지금: {sys.version.split()[0]})"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(MAKE) --no-print-directory chromium
	touch $(STAMP)

# 브라우저 테스트(tests/test_site.py)의 헤드리스 Chromium: 데비안 패키지. 없을 때만 apt 로 설치하고,
# 패키지 목록이 없거나 오래되어 설치가 실패할 때만 apt-get update 를 한다 (root 가 아니면 안내만 한다).
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "경고: /usr/bin/chromium, /usr/bin/chromedriver 가 없다: sudo apt-get install -y chromium chromium-driver"; exit 0; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y -q chromium chromium-driver \
	  || { apt-get update -q && apt-get install -y -q chromium chromium-driver; }

book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going

test: $(STAMP) chromium
	$(BIN)/ruff check adamlearn tests scripts book/_ext
	$(BIN)/python -m pytest

clean:
	rm -rf _build .pytest_cache

# 저자용: book/ 의 노트북을 모두 제자리에서 다시 실행해 출력을 저장한다 (커밋 전에).
notebooks: $(STAMP)
	for nb in book/*.ipynb; do $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb"; done

# 강사용: classroom/source/ (nbgrader 과제 원본) 와 classroom/student/ (풀이를 지운 학생용) 을 새로 만든다.
classroom: $(STAMP)
	$(BIN)/python scripts/make_classroom.py --out classroom

# JupyterLab 으로 책의 노트북을 연다 (KERAS_BACKEND=torch 가 설정된 채로).
lab: $(STAMP)
	$(BIN)/jupyter lab book
