# Tasks of the course. `make book` and `make test` set up everything they need.
#   make book      build the book into _build/html (strict)
#   make test      every test: package, notebooks, release, grading, browser, lint
#   make check     the fast tier (< 1 min): unit tests, ruff, release drift
#   make lab       JupyterLab for students, with the course's nbgrader settings
#   make release   regenerate notebooks/ from solutions/ (nbgrader)
#   make outputs   re-execute the solution notebooks and store their outputs
#   make benchmark chapter 07's and 08's recipes against PyTorch's tutorial's
#   make cuda-check on an NVIDIA GPU, < 5 min: nbval on cuda, chapter 07 on cuda
#   make mutants   how many mutants of each solution its tests kill (MUTANTS_ARGS)
#   make links     list the book's external links (LINKS_ARGS=--check tries them)
#   make lab-instructor  JupyterLab with nbgrader's instructor tools
#   make mathjax   re-vendor MathJax into book/_static/mathjax (npm)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

# nbgrader (and JupyterLab's nbgrader extension) read autograder/nbgrader_config.py.
export JUPYTER_CONFIG_PATH := $(CURDIR)/autograder

# The browser tests drive Debian's Chromium through Playwright (no browser
# download); `make test` installs it from apt when it is missing. Its headless
# shell (chromium-headless-shell: the same Blink and V8 without the browser's
# windows, what Playwright itself runs for a headless Chromium) took 188 CPU-s
# for the book tier's browser tests where the full browser took 302.
export NNCOURSE_CHROMIUM ?= /usr/bin/chromium-headless-shell

# JupyterHub's proxy for tests/test_hub.py: npm's configurable-http-proxy,
# installed into the venv (no global npm install); `make test` installs it
# with the browser. NNCOURSE_PROXY: another one.
CHP_VERSION := 5.3.0
CHP_PREFIX := $(VENV)/node
CHP_STAMP := $(CHP_PREFIX)/.installed-configurable-http-proxy-$(CHP_VERSION)
export NNCOURSE_PROXY ?= $(abspath $(CHP_PREFIX))/node_modules/.bin/configurable-http-proxy

# The students' JupyterLab: the course's nbgrader settings and its Validate
# button, without nbgrader's instructor tools (autograder/student-lab/labconfig).
# tests/test_lab.py starts this same target, lab-server, on a copy of a notebook.
LAB_ROOT ?= $(CURDIR)/notebooks
LAB_ARGS ?=
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# MathJax 3 for the book's math, vendored (committed) in book/_static/mathjax
# so that the book builds and renders offline; `make mathjax` refreshes it.
MATHJAX_VERSION := 3.2.2
MATHJAX_DIR := book/_static/mathjax

.PHONY: help setup data book test book-tests tests-beside-book check lab release outputs benchmark mutants clean \
	browser sandbox postgresql links lab-server lab-instructor mathjax \
	data-package cuda-check

help:
	@sed -n '2,13p' Makefile

# tools/venv_install.py: uv where it can honour pip's settings (a third of
# pip's time), else pip.
$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) tools/venv_install.py $(BIN)/python -r requirements.txt -e .
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP) sandbox

# Fashion-MNIST: `nncourse data` downloads it; when it cannot (exit status 3,
# nncourse.data.EXIT_UNAVAILABLE), Debian's dataset-fashion-mnist is installed
# and `nncourse data` copies it from there.
FASHION_MNIST_DEB ?= /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

data: setup
	@out=$$($(BIN)/nncourse data); status=$$?; \
	if [ $$status -ne 3 ]; then echo "$$out"; exit $$status; fi; \
	echo "Fashion-MNIST could not be downloaded; trying Debian's package."; \
	$(MAKE) --no-print-directory data-package && $(BIN)/nncourse data

data-package:
	$(call apt_install,$(FASHION_MNIST_DEB),dataset-fashion-mnist,Fashion-MNIST)

# --all re-reads every page so that warnings fail a rebuild too; executed
# notebooks come from jupyter-cache, so only edited chapters run again.
# EDITION=exercises: the same book without the answers (book/instructors.md),
# into _build/exercises/_build/html; the chapters' executions are shared.
EDITION ?= full
BOOK_OUTPUT_full := .
BOOK_OUTPUT_exercises := _build/exercises
book: data
	@test -n "$(BOOK_OUTPUT_$(EDITION))" || \
	  { echo "EDITION=$(EDITION) is no edition of the book: full or exercises"; exit 2; }
	NNCOURSE_EDITION=$(EDITION) $(BIN)/jupyter-book build . --all -W -n --keep-going \
		--path-output $(BOOK_OUTPUT_$(EDITION))

# Two chains side by side: the book build, which executes every chapter, then
# the tests that read the built book (the `book` tier, see tests/conftest.py);
# and every other test. pytest runs test modules on several processes
# (pytest-xdist, a module's tests together, so each module's graded class is
# made once), the longest modules first (tests/conftest.py: xdist's own
# reordering, by number of tests, started a long module of three tests
# last); --output-sync keeps each chain's output together. The book's tests
# run two modules at a time, the chain beside it three: its tests often wait
# (on kernels, sandboxes, Dask, JupyterHub), and with three a fresh clone's
# .ci/run took 16:15 instead of 17:48.
PYTEST_BY_MODULE := --dist loadfile --no-loadscope-reorder
test: data browser sandbox postgresql
	@$(MAKE) --no-print-directory -j2 --output-sync=target book-tests tests-beside-book

book-tests: book
	$(BIN)/python -m pytest $(PYTEST_BY_MODULE) -n 2 -m book

# nbval's second execution of every chapter is left out: the book build runs
# each chapter once, and tests/test_chapter_outputs.py (book tier) compares its
# checked outputs there (`pytest -m nbval` runs nbval alone).
tests-beside-book: data
	$(BIN)/python -m pytest $(PYTEST_BY_MODULE) -n 3 -m "not book and not nbval"

# The fast tier, for contributors: no kernel, no book, no data.
check: setup
	$(BIN)/python -m pytest -q -n 2 -m unit tests/unit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check nncourse tests book benchmarks tools conftest.py
	$(BIN)/nncourse release --check

# Debian packages that tests and tools need, installed with apt-get as root or
# through sudo when missing: $(call apt_install,COMMAND OR FILE,PACKAGE,WHAT NEEDS IT).
define apt_install
	@if ! command -v $(1) >/dev/null 2>&1 && [ ! -e "$(1)" ]; then \
	  echo "Installing Debian's $(2) for $(3)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else SUDO=none; fi; \
	  if [ "$$SUDO" = none ] || ! command -v apt-get >/dev/null; then \
	    echo "Cannot install it here: run 'sudo apt-get install $(2)'."; \
	  else \
	    $$SUDO apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) \
	      || echo "apt-get could not install $(2): $(3) will fail"; \
	  fi; \
	fi
endef

# Debian's Chromium headless shell, for the browser tests (NNCOURSE_CHROMIUM:
# another Chromium), and JupyterHub's proxy, for tests/test_hub.py.
browser: $(CHP_STAMP)
	$(call apt_install,$(NNCOURSE_CHROMIUM),chromium-headless-shell,the browser tests)

$(CHP_STAMP):
	$(call apt_install,npm,npm,JupyterHub's proxy (tests/test_hub.py))
	npm install --silent --no-audit --no-fund --prefix $(CHP_PREFIX) \
		configurable-http-proxy@$(CHP_VERSION)
	rm -f $(CHP_PREFIX)/.installed-configurable-http-proxy-* && touch $@

# bubblewrap, the sandbox of `nncourse grade`; PostgreSQL, for its gradebook test.
sandbox:
	$(call apt_install,bwrap,bubblewrap,nncourse grade)

postgresql:
	$(call apt_install,pg_ctlcluster,postgresql,the PostgreSQL gradebook test)

lab: data
	@$(MAKE) --no-print-directory lab-server

lab-server:
	JUPYTER_CONFIG_PATH=$(CURDIR)/autograder/student-lab:$(CURDIR)/autograder \
		$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=$(LAB_ROOT) $(LAB_ARGS)

# The instructor's JupyterLab: nbgrader's formgrader and Create Assignment too.
lab-instructor: data
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=$(CURDIR)

links: setup
	$(BIN)/nncourse links $(LINKS_ARGS)

mathjax:
	rm -rf $(MATHJAX_DIR) && mkdir -p $(MATHJAX_DIR)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null && \
	 tar xzf mathjax-$(MATHJAX_VERSION).tgz) && \
	cp "$$tmp/package/LICENSE" "$$tmp/package/package.json" $(MATHJAX_DIR)/ && \
	cd "$$tmp/package/es5" && cp -r --parents tex-mml-chtml.js \
		output/chtml/fonts/woff-v2 input/tex/extensions a11y ui \
		$(CURDIR)/$(MATHJAX_DIR)/

release: setup
	$(BIN)/nncourse release

outputs: data
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False \
		solutions/*/[0-9]*.ipynb

benchmark: data
	$(BIN)/python benchmarks/training.py

# One short run on a borrowed GPU machine: every solution notebook under nbval
# with NNCOURSE_REQUIRE_CUDA=1 (their stored outputs are the CPU's), then
# chapter 07's training on cuda against cpu. Fails at once without a GPU.
cuda-check: data
	$(BIN)/python benchmarks/cuda_check.py $(CUDA_CHECK_ARGS)

# Mutation testing of the graders (issue 10): each survivor is printed as a
# diff; fails when a chapter kills under 95 %. MUTANTS_ARGS: chapters,
# --exercise GRADE_ID, --json PATH, --jobs, --timeout, --min-rate.
mutants: data
	$(BIN)/nncourse mutants $(MUTANTS_ARGS)

clean:
	rm -rf _build
