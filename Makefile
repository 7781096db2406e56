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

# 다른 CPU 의 흉내 (make test 의 두 번째 nbval): FMA·AVX2·AVX-512 없는 numpy 와 ATen 커널, 일반 BLAS 커널, 스레드 하나.
# 노트북에 저장된 출력이 이 머신의 마지막 자리에 기대면 여기서 드러난다. x86 이 아닌 머신에서 numpy 는 모르는
# 기능 이름을 조용히 무시한다.
EMULATED_CPU := ATEN_CPU_CAPABILITY=default NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL AVX512_SPR" \
	OPENBLAS_CORETYPE=Prescott MKL_ENABLE_INSTRUCTIONS=SSE4_2 OMP_NUM_THREADS=1

.PHONY: book pdf test lint clean setup notebooks chromium classroom lab

setup: $(STAMP)

# .venv 가 쓸 만한가: Python 3.11 이고 pip 가 있다. 아니면(반쯤 만들어졌거나 다른 Python 으로 만들어졌으면)
# 설치 표시(.installed)가 새것이어도 다시 만든다.
VENV_OK := $(shell $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1 \
	&& $(BIN)/python -m pip --version >/dev/null 2>&1 && echo yes)
ifneq ($(VENV_OK),yes)
.PHONY: $(STAMP)
endif

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.11 을 찾지 못했다 (PATH 에 python3.11 도 python3 도 없다). 설치한 뒤 다시 하거나, make PYTHON=/경로/python3.11 로 알려 준다." >&2; \
	  exit 1; fi
	@"$(PYTHON)" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else f"Python 3.11 이 필요하다 (지금 $(PYTHON) 은 {sys.version.split()[0]}). make PYTHON=/경로/python3.11 로 알려 준다.")'
	@if [ -e $(VENV) ] && [ "$(VENV_OK)" != yes ]; then \
	  echo "$(VENV) 가 Python 3.11 과 pip 를 갖춘 가상 환경이 아니다 (반쯤 만들어졌거나 다른 Python 으로 만들어졌다): 지우고 새로 만든다."; \
	  rm -rf $(VENV); fi
	test -x $(BIN)/python || "$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# 브라우저 테스트(tests/test_site.py)의 헤드리스 Chromium: 데비안 패키지. make test 만 필요로 한다 (make book 은 아니다).
# 없을 때만 apt 로 설치하고, 패키지 목록이 없거나 오래되어 설치가 실패할 때만 apt-get update 를 한다.
# root 가 아니거나 apt 가 없는 머신에서는 안내만 하고 넘어간다: 그때는 브라우저 테스트가 같은 안내와 함께 실패한다.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "경고: /usr/bin/chromium, /usr/bin/chromedriver 가 없다. 브라우저 테스트에 필요하다: sudo apt-get install -y chromium chromium-driver (데비안/우분투)"; exit 0; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y -q chromium chromium-driver \
	  || { apt-get update -q && apt-get install -y -q chromium chromium-driver; }

book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going

# 책 전체의 PDF 한 권 (_build/pdf/adam-optimizer.pdf): 저장된 출력으로 한 페이지짜리 책을 빌드하고 Chromium 으로
# 인쇄한다 (scripts/make_pdf.py). 사이트(_build/html)가 있으면 거기에도 넣어 첫 페이지의 PDF 링크가 가리키게 한다.
pdf: $(STAMP) chromium
	$(BIN)/python scripts/make_pdf.py
	@if [ -d _build/html ]; then cp _build/pdf/adam-optimizer.pdf _build/html/adam-optimizer.pdf; fi

# 테스트는 두 줄(lane)로 나누어 두 코어에서 함께 돈다. 어느 쪽이든 실패하면 make test 가 실패한다.
#  - 앞줄: 책 빌드(-W -n), 브라우저 속 사이트, 노트북의 nbval (이 CPU).
#  - 뒷줄(기록은 _build/test-lane2.log): 다른 CPU 흉내의 nbval, 그다음 tests/ 의 나머지 모두 (새 테스트 파일은 여기로 온다).
LANE1 := tests/test_book_build.py tests/test_site.py book
LANE2_SKIP := --ignore=tests/test_book_build.py --ignore=tests/test_site.py

test: $(STAMP) chromium
	$(BIN)/ruff check adamlearn tests scripts book/_ext
	@mkdir -p _build
	@echo '== 두 줄로 돈다. 뒷줄: 다른 CPU 흉내($(EMULATED_CPU))의 nbval 과 나머지 tests/ (기록: _build/test-lane2.log)'
	@( a=0; $(EMULATED_CPU) $(BIN)/python -m pytest book || a=$$?; \
	   b=0; $(BIN)/python -m pytest tests $(LANE2_SKIP) || b=$$?; exit $$(( a != 0 || b != 0 )) ) > _build/test-lane2.log 2>&1 & lane2=$$!; \
	  trap 'kill $$lane2 2>/dev/null' INT TERM; \
	  lane1=0; $(BIN)/python -m pytest $(LANE1) || lane1=$$?; \
	  rc2=0; wait $$lane2 || rc2=$$?; \
	  echo '== 뒷줄 (다른 CPU 흉내의 nbval, 그리고 tests/ 의 나머지):'; \
	  if [ $$rc2 = 0 ]; then grep -E '^=+ .*(passed|failed|error)' _build/test-lane2.log; else cat _build/test-lane2.log; fi; \
	  exit $$(( lane1 != 0 || rc2 != 0 ))

clean:
	rm -rf _build .pytest_cache

# 저자용: book/ 의 노트북을 모두 제자리에서 다시 실행해 출력을 저장한다 (커밋 전에).
notebooks: $(STAMP)
	for nb in book/*.ipynb; do $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb"; done

# 강사용: classroom/source/ (nbgrader 과제 원본) 와 classroom/student/ (풀이를 지운 학생용) 을 새로 만든다.
classroom: $(STAMP)
	$(BIN)/python scripts/make_classroom.py --out classroom

# JupyterLab 으로 책의 노트북을 연다 (KERAS_BACKEND=torch 가 설정된 채로).
# root 로 돌 때(컨테이너, JupyterHub 이미지)는 Jupyter 가 --allow-root 를 요구한다.
lab: $(STAMP)
	$(BIN)/jupyter lab book $$( [ "$$(id -u)" = 0 ] && echo --allow-root )
