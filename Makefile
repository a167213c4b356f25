# One command sets up and runs the study, one sets up and runs the tests:
#   make run     create .venv, execute every notebook in place with papermill (PROFILE=quick),
#                then build REPORT.md
#   make report  rebuild REPORT.md from results/ and figures/ (seconds, no training; LANG_REPORT=en for English)
#   make test    create .venv, run the unit tests and nbval on the notebooks (smoke profile)
# SEEDS=3 sets the runs per model, FORCE=1 retrains models that results/ already has.
# Datasets: set CNNLIB_DATA to a folder with MNIST / CIFAR-10, or let `make run` download them.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROFILE ?= quick
DOWNLOAD ?= True
SEEDS ?=
FORCE ?=
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

# Notebooks run with notebooks/ as the working directory, so a relative data path given
# on the command line is made absolute here, against the folder make runs in.
ifneq ($(strip $(CNNLIB_DATA)),)
export CNNLIB_DATA := $(abspath $(CNNLIB_DATA))
endif

.PHONY: setup run report test test-unit

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -e '.[notebooks,test]'
	touch $@

# Executes each notebook in place, so its outputs, figures/ and results/ are refreshed together.
# Settings go through the environment, not papermill's -p: -p would commit an injected
# parameters cell that pins the profile, and nbval would then rerun that profile in `make test`.
run: setup
	@for notebook in $(NOTEBOOKS); do \
		echo "== $$notebook ($(PROFILE))"; \
		CNNLIB_PROFILE=$(PROFILE) CNNLIB_DOWNLOAD=$(DOWNLOAD) CNNLIB_PROGRESS=$${CNNLIB_PROGRESS:-lines} \
		CNNLIB_SEEDS=$(SEEDS) CNNLIB_FORCE=$(FORCE) \
			$(PY) -m papermill "$$notebook" "$$notebook" --cwd notebooks --log-output || exit 1; \
	done
	$(MAKE) report

# Builds REPORT.md (or REPORT.en.md with LANG_REPORT=en) from the stored results of the largest profile.
report: setup
	$(PY) -m cnnlib.report $(if $(LANG_REPORT),--lang $(LANG_REPORT))

# Unit tests plus nbval on every notebook in the smoke profile. The smoke run writes its
# figures and results under .cnnlib_tmp/, never over the committed ones.
test: setup
	CNNLIB_PROFILE=smoke CNNLIB_OUTPUT=$(CURDIR)/.cnnlib_tmp CNNLIB_PROGRESS=off MPLBACKEND=Agg \
		$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

test-unit: setup
	$(PY) -m pytest tests -m "not notebook"
