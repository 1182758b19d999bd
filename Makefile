# initscope: `make run` starts the program, `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS := -c $(CONFIG) -Xswiftc -enable-testing
# gdb: the soak reads the program's heap in use (Tests/Soak/soak.sh); chromium: the SVG in a real browser
# (Tests/EndToEnd/svg_browser.sh, headless).
APT_PACKAGES := libncursesw5-dev libopenblas-dev liblapacke-dev tmux gdb chromium
# The shipped binary: engine built with -Ounchecked, in its own scratch path (unit tests use .build, checks on),
# and for this machine's CPU (-target-cpu native: AVX2 where it has it); NATIVE_CPU=0 builds a portable binary.
NATIVE_CPU ?= 1
SHIPPED_SCRATCH := .build-shipped
BIN := $(SHIPPED_SCRATCH)/$(CONFIG)/initscope
ARGS ?=
PREFIX ?= /usr/local

.PHONY: deps build run test unit e2e bench clean install uninstall fuzz fuzz-explore sanitize soak soak-checked

deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

build: deps
	INITSCOPE_OUNCHECKED=1 INITSCOPE_NATIVE_CPU=$(NATIVE_CPU) $(SWIFT) build $(BUILD_FLAGS) --product initscope --scratch-path $(SHIPPED_SCRATCH)

run: build
	$(BIN) $(ARGS)

unit: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test $(BUILD_FLAGS)
	bash scripts/check-public-api.sh .build $(CONFIG)
	bash scripts/check-scopeui-io.sh
	bash scripts/check-engine-invariants.sh

e2e: build
	bash Tests/EndToEnd/run.sh $(BIN)
	bash Tests/EndToEnd/themes.sh $(BIN)
	bash Tests/EndToEnd/lecture_story.sh $(BIN)
	bash Tests/EndToEnd/lecture.sh $(BIN)
	bash Tests/EndToEnd/record.sh $(BIN)
	bash Tests/EndToEnd/svg_browser.sh $(BIN)
	SOAK_SECONDS=90 SOAK_SEED=20502 SOAK_LATENCY_MS=250 SOAK_OUTSIDE_LATENCY=0 bash Tests/Soak/soak.sh $(BIN)

# A short soak of the checked binary `make unit` built (.build: -O, bounds and overflow checks on), after the shipped
# one's: where the shipped -Ounchecked engine would read or write past an array silently, this one stops and names it.
soak-checked:
	SOAK_SECONDS=45 SOAK_SEED=8191 SOAK_LATENCY_MS=250 SOAK_OUTSIDE_LATENCY=0 bash Tests/Soak/soak.sh .build/$(CONFIG)/initscope

test: unit e2e soak-checked

bench: build
	bash Benchmarks/run.sh $(BIN)

# Coverage-guided fuzzing of every parser of outside input (Fuzz/README.md): FUZZ_SECONDS each (default 120).
fuzz: deps
	bash Fuzz/run.sh

# Raw toml++ under TOMLKit, no pre-check: collects the inputs that crash it (.build-fuzz/findings/TOMLFuzzer).
fuzz-explore: deps
	FUZZ_EXPLORE=1 bash Fuzz/run.sh TOMLFuzzer

# Unit tests under ThreadSanitizer and AddressSanitizer, then the end-to-end tests against an ASan binary.
sanitize: deps
	bash scripts/sanitize.sh

# Random keys against the live view under tmux for SOAK_SECONDS (default 600); see Tests/Soak/soak.sh.
SOAK_SECONDS ?= 600
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) bash Tests/Soak/soak.sh $(BIN)

clean:
	rm -rf .build $(SHIPPED_SCRATCH)

# Installs the binary, the bundled themes and lectures (found at run time as $(PREFIX)/share/initscope/themes and
# $(PREFIX)/share/initscope/lectures).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/initscope/themes $(DESTDIR)$(PREFIX)/share/initscope/lectures
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/initscope
	install -m 644 Themes/*.toml $(DESTDIR)$(PREFIX)/share/initscope/themes/
	install -m 644 Lectures/*.toml $(DESTDIR)$(PREFIX)/share/initscope/lectures/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/initscope
	rm -rf $(DESTDIR)$(PREFIX)/share/initscope
