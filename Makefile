# Thin wrapper over CMake (like neovim's): the two set-up commands are
#   make demo   -- install missing packages, build, analyze the bundled samples
#   make test   -- install missing packages, build, run the whole test suite
BUILD   ?= build
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test asan fuzz bench package portable clean

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

# Debian package (CPack, Depends from dpkg-shlibdeps): $(BUILD)/migsleuth_<version>_amd64.deb
package: build
	@cd $(BUILD) && cpack -G DEB >/dev/null && ls -1 $(CURDIR)/$(BUILD)/migsleuth_*.deb

# One-file binary for machines with nothing installed: only glibc stays shared
# (cmake/Portable.cmake). simdjson is built from Debian's source package.
PORTABLE_BUILD ?= build-portable
portable: deps
	@cmake -S . -B $(PORTABLE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DMIGSLEUTH_PORTABLE=ON \
	  -DMIGSLEUTH_BUILD_TESTS=OFF \
	  -DMIGSLEUTH_SIMDJSON_SOURCE=$$(scripts/fetch-simdjson-source.sh $(PORTABLE_BUILD)/_deps) >/dev/null
	@cmake --build $(PORTABLE_BUILD) -j $(JOBS) --target migsleuth
	@strip $(PORTABLE_BUILD)/migsleuth && ls -l $(PORTABLE_BUILD)/migsleuth

# The whole suite under ASan + UBSan, built by clang-14 in build-asan/ with the
# libFuzzer targets in the same tree (MIGSLEUTH_FUZZ): CI compiles the sources
# twice (release with GCC, this), and `fuzz/run.sh` with FUZZ_BUILD=build-asan
# runs the fuzzers from it without a third build.
asan: deps
	@CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMIGSLEUTH_SANITIZE=ON -DMIGSLEUTH_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

# Benchmark against cat / ripgrep / decompressors (not part of `make test`):
# BENCH_SIZE MiB per corpus variant (default 1024); results in bench/results/.
bench: build
	@scripts/install-deps.sh --bench
	@bench/run.py --size-mb $${BENCH_SIZE:-1024} --binary $(BUILD)/migsleuth

# libFuzzer targets (clang-14), each run FUZZ_SECONDS (default 300 here, 20 in CI).
fuzz: deps
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} fuzz/run.sh

clean:
	@rm -rf $(BUILD) build-asan build-fuzz build-portable
