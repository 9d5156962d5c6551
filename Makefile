# Thin wrapper over CMake (like neovim's): the two set-up commands are
#   make demo   -- install missing packages, build, analyze the bundled samples
#   make test   -- install missing packages, build, run the whole test suite
BUILD   ?= build
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test asan fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@for s in samples/*/; do \
	  [ -d "$$s/bundle" ] || continue; \
	  echo "==================== $$s"; \
	  $(BUILD)/migsleuth analyze --color never "$$s/bundle" || true; \
	done

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Sanitizer build of the whole suite (ASan + UBSan) in its own folder.
asan:
	@$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DMIGSLEUTH_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo"

# Benchmark against cat / ripgrep / decompressors (not part of `make test`):
# BENCH_SIZE MiB per corpus variant (default 1024); results in bench/results/.
bench: build
	@scripts/install-deps.sh --bench
	@bench/run.py --size-mb $${BENCH_SIZE:-1024} --binary $(BUILD)/migsleuth

# libFuzzer targets (clang-14), each run FUZZ_SECONDS (default 300 here, 20 in CI).
fuzz: deps
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} fuzz/run.sh

clean:
	@rm -rf $(BUILD) build-asan build-fuzz
