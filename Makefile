# Tasks of the course. `make book` and `make test` set up everything they need.
#   make book      build the book into _build/html (strict)
#   make test      every test: package, notebooks (nbval), release, grading, lint
#   make lab       JupyterLab for students, with the course's nbgrader settings
#   make release   regenerate notebooks/ from solutions/ (nbgrader)
#   make outputs   re-execute the solution notebooks and store their outputs
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

# nbgrader (and JupyterLab's nbgrader extension) read autograder/nbgrader_config.py.
export JUPYTER_CONFIG_PATH := $(CURDIR)/autograder

.PHONY: help setup data book test lab release outputs clean

help:
	@sed -n '2,7p' Makefile

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-r requirements.txt -e .
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

data: setup
	$(BIN)/nncourse data

# --all re-reads every page so that warnings fail a rebuild too; executed
# notebooks come from jupyter-cache, so only edited chapters run again.
book: data
	$(BIN)/jupyter-book build . --all -W -n --keep-going

test: book
	$(BIN)/python -m pytest

lab: data
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) notebooks

release: setup
	$(BIN)/nncourse release

outputs: data
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		solutions/*/[0-9]*.ipynb

clean:
	rm -rf _build
