# pairsim — the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
# torch is installed first and pinned: an unpinned resolve can pull a multi-GB CUDA build.
# Override for a GPU machine, e.g. `make TORCH="torch==2.13.0 --index-url <your CUDA index>" test`.
TORCH ?= torch==2.13.0
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Nothing may reach for the network at run time; progress bars stay out of logs and notebooks.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TOKENIZERS_PARALLELISM := false
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# glibc's malloc hands every training step's large gradient buffers back to the kernel and faults them in again
# (25,000 to 31,000 page faults a step). Keeping freed memory in the heap and backing it with huge pages saves about
# a fifth of a bare CPU training step, a tenth in the Trainer, and changes no result: the weights are bit-identical
# (benchmarks/README.md, "Memory allocator"). Every process make starts inherits it, the notebook kernels included;
# a GLIBC_TUNABLES already set in the environment wins; other C libraries ignore it.
export GLIBC_TUNABLES ?= glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=268435456

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# tests/ without the checks that need a finished `make test` (after_run) or a browser, on every core (pytest-xdist),
# one torch thread per worker: two 2-thread trainings on two cores stall each other (benchmarks/README.md). At most
# 4 workers: each holds the model stack in memory (about 1 GB when it trains), and the longest test sets the pace.
TESTS := OMP_NUM_THREADS=1 $(PY) -m pytest tests -q -p no:nbval -n auto --maxprocesses 4 --dist worksteal \
	--ignore=tests/browser --ignore=tests/after_run
# The notebooks run one at a time, in order (each reads what the one before wrote), with all the cores.
NBVAL := $(PY) -m pytest -q -p no:cacheprovider --nbval $(NOTEBOOKS) --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help install run test unit nbval check lab execute data general-pairs experiments benchmark results readme clean chromium

help: ## Show this help
	@echo "pairsim — make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'
	@echo "Variables: DATA=men|path/to/pairs.csv  RUN=<name>  ARGS='-p epochs 2'  SEEDS='42 43'  VARIANTS='card lora'  TORCH='$(TORCH)'  PYTHON=$(PYTHON)  VENV=$(VENV)  INSTALLER=uv|pip  CHROMIUM=0|1"

# A clear message beats a resolver error when the interpreter is too old (pyproject: requires-python).
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
		echo "pairsim needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1). Use e.g. make PYTHON=python3.11 …"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml (or the torch pin) changed. pip installs torch (it honours a local pip
# configuration, such as a folder of wheels); uv installs the rest in half the time (52 s against 112 s from cold
# caches, same versions). INSTALLER=pip installs everything with pip, e.g. where only a pip index configured in
# pip.conf is reachable.
INSTALLER ?= uv
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(TORCH)
ifeq ($(INSTALLER),uv)
	$(PY) -m pip install --quiet uv
	$(PY) -m uv pip install --quiet --python $(PY) --compile-bytecode -e '.[dev]'
else
	$(PY) -m pip install --quiet -e '.[dev]'
endif
	@echo "$(TORCH)" > $(STAMP)

install: $(STAMP) ## Create .venv and install the suite (torch pinned first)
	@if [ "$$(cat $(STAMP))" != "$(TORCH)" ]; then rm -f $(STAMP); $(MAKE) --no-print-directory $(STAMP); fi

# Other data: `make run DATA=men`, `make run DATA=path/to/pairs.csv` (or a folder of split CSVs);
# RUN names the run and report; ARGS passes notebook parameters, e.g. ARGS="-p epochs 2".
DATA ?=
RUN ?=
ARGS ?=
run: install ## Run every notebook and write the reports (DATA=men or DATA=path/to/pairs.csv for other data)
	$(PY) -m pairsim_utils.run_suite $(NOTEBOOKS) $(if $(DATA),--data "$(DATA)") $(if $(RUN),--run-name "$(RUN)") $(ARGS)

unit: install ## Unit tests without the slow ones (training, DDP, notebook kernels, fresh interpreters, the data rebuild): under a minute
	$(TESTS) -m "not slow"

nbval: install ## Execute every notebook and compare it with its stored outputs
	$(NBVAL)

# After nbval has run notebook 5, tests/after_run compares runs/seed/analysis with data/results/seed.
# --durations lists the slowest tests and notebooks, to keep the suite's time in view. (Running lint, the type
# check and tests/ beside the notebooks at low priority saved nothing: benchmarks/README.md.)
test: install check chromium ## Everything: lint, unit tests, nbval on every notebook, fresh results vs committed, the report in a browser
	$(TESTS) --durations=10
	$(NBVAL) --durations=10
	PAIRSIM_REQUIRE_ANALYSIS=1 $(PY) -m pytest -q tests/after_run tests/browser

# The browser test renders reports/findings.html in Debian's headless Chromium; `make test` installs it with
# apt when missing (needs root on Debian/Ubuntu). `make test CHROMIUM=0` skips the install; the test then skips.
CHROMIUM ?= 1
chromium:
ifeq ($(CHROMIUM),1)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; } || echo "Chromium could not be installed: the browser test will skip"
endif

check: install ## Lint (ruff, docstrings included) and type-check (mypy) the package, tests and notebooks
	$(PY) -m ruff check $(wildcard pairsim_utils tests notebooks data benchmarks)
	$(PY) -m mypy

# JupyterLab refuses to start as root (containers) unless told it may.
lab: install ## Open JupyterLab on the notebooks
	$(PY) -m jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

data: install ## Rebuild data/concept_pairs/*.csv from its authored source (deterministic)
	$(PY) -m pairsim_utils.authoring.build

general-pairs: install ## Rebuild data/general_pairs/ (everyday word pairs scored by the base model, for replay)
	$(PY) -m pairsim_utils.authoring.general_pairs

# Resumable: finished runs are reused, an interrupted one continues from its last epoch. SEEDS=42 VARIANTS="card lora"
# narrow it; the table always lists every finished run of the grid.
experiments: install ## Train notebook 7's grid (6 recipes x 3 seeds; hours on a CPU, resumable) and write data/results/experiments.csv
	$(PY) -m pairsim_utils.experiments $(if $(SEEDS),--seeds $(SEEDS)) $(if $(VARIANTS),--variants $(VARIANTS))

# In make's environment (GLIBC_TUNABLES included), so that it measures the project as make runs it.
benchmark: install ## Time the project's training against a plain sentence-transformers script (25 to 50 min on 2 CPU cores; ARGS='--rounds 1')
	$(PY) benchmarks/train_benchmark.py $(ARGS)

results: install ## Commit-ready results: copy runs/<RUN, default seed>/analysis to data/results/, then write the README's tables
	$(PY) -m pairsim_utils.results --run $(or $(RUN),seed)
	$(PY) -m pairsim_utils.readme_results

readme: install ## Write README.md's result tables from data/results/
	$(PY) -m pairsim_utils.readme_results

execute: install ## Re-run every notebook in place from a fresh kernel and save its outputs (maintainers)
	@for nb in $(NOTEBOOKS); do echo "executing $$nb"; \
		$(PY) -m jupyter nbconvert --to notebook --execute --inplace --log-level=WARN $$nb || exit 1; done

clean: ## Remove executed reports (keeps .venv and runs/)
	rm -rf reports
