# Tasks of the course. `make book` and `make test` set up everything they need.
#   make book      build the book into _build/html (strict)
#   make test      every test: package, notebooks, release, grading, browser, lint
#   make lab       JupyterLab for students, with the course's nbgrader settings
#   make release   regenerate notebooks/ from solutions/ (nbgrader)
#   make outputs   re-execute the solution notebooks and store their outputs
#   make benchmark chapter 07's training recipe against PyTorch's tutorial recipe
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
# download); `make test` installs it from apt when it is missing.
export NNCOURSE_CHROMIUM ?= /usr/bin/chromium

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

.PHONY: help setup data book test lab release outputs benchmark clean \
	browser sandbox postgresql links lab-server lab-instructor mathjax

help:
	@sed -n '2,10p' Makefile

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-r requirements.txt -e .
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP) sandbox

data: setup
	$(BIN)/nncourse data

# --all re-reads every page so that warnings fail a rebuild too; executed
# notebooks come from jupyter-cache, so only edited chapters run again.
book: data
	$(BIN)/jupyter-book build . --all -W -n --keep-going

test: book browser sandbox postgresql
	$(BIN)/python -m pytest

# Debian packages that tests and tools need, installed with apt-get as root or
# through sudo when missing: $(call apt_install,COMMAND,PACKAGE,WHAT NEEDS IT).
define apt_install
	@if ! command -v $(1) >/dev/null 2>&1 && [ ! -x "$(1)" ]; then \
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

# Debian's chromium, for tests/test_browser.py (NNCOURSE_CHROMIUM: another one).
browser:
	$(call apt_install,$(NNCOURSE_CHROMIUM),chromium,the browser tests)

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

clean:
	rm -rf _build
