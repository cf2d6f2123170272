# Every target creates .venv on first use and installs the project into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench bench-batch clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Open the agent console on the bundled demo data (demo.db is built on first use).
DEMO_DB ?= demo.db
run: $(STAMP)
	test -f $(DEMO_DB) || $(BIN)/installment demo-data --db $(DEMO_DB)
	$(BIN)/installment agent --db $(DEMO_DB)

## Lint and format check (ruff), the layering contracts, then the whole test suite (unit, property, TUI,
## end-to-end) with pytest-xdist, three workers per core: a console test spends over half its time waiting for
## the app to be idle (Textual's pilot), so fewer leave the cores idle part of the time (with two per core, 6 %
## of the cores' time; with three, 1 %; the CPU the suite takes is the same).  The type check (mypy:
## strict for calc) runs beside the tests (about 7 s of one core); its report follows theirs, and either failing
## fails the target.  PYTEST_WORKERS=1 runs the tests in one process.  The suite starts hundreds of Python
## processes (workers, the command line, batch workers): they share compiled bytecode even where
## PYTHONDONTWRITEBYTECODE is set, rather than each compiling the project and pytest rewriting every test
## module again.
PYTEST_WORKERS ?= $(shell echo $$(( 3 * $$(nproc) )))
## The tests' temporary files (their databases, exports, batch outputs, PostgreSQL clusters: about 300 MB a
## run) go to memory, /dev/shm, where that is a folder we may write with 2 GB free; on a disk the syncs of
## their hundreds of SQLite databases left the cores idle 4 % of the run.  TEST_TMPDIR= keeps TMPDIR as it is.
TEST_TMPDIR ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && df -Pk /dev/shm | awk 'NR == 2 && $$4 > 2097152 {print "/dev/shm"}')
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@types=$$(mktemp); trap 'rm -f "$$types"' EXIT; \
	$(BIN)/mypy >"$$types" 2>&1 & mypy=$$!; \
	echo "$(BIN)/mypy (beside the tests)"; \
	tests="env -u PYTHONDONTWRITEBYTECODE $(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR) )$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal"; \
	echo "$$tests"; $$tests; tests=$$?; \
	wait $$mypy; typed=$$?; \
	echo "mypy:"; cat "$$types"; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

## Print benchmark figures (not part of the tests). `make bench-batch N=100000` for a quick batch run.
bench: $(STAMP)
	$(BIN)/python bench/bench_schedule.py
	$(BIN)/python bench/bench_offers.py
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_agent.py
	$(BIN)/python bench/bench_batch.py

N ?= 1000000
bench-batch: $(STAMP)
	$(BIN)/python bench/bench_batch.py $(N)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
