# initscope: `make run` starts the program, `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS := -c $(CONFIG) -Xswiftc -enable-testing
APT_PACKAGES := libncursesw5-dev libopenblas-dev liblapacke-dev tmux
BIN := .build/$(CONFIG)/initscope
ARGS ?=
PREFIX ?= /usr/local

.PHONY: deps build run test unit e2e bench clean install uninstall

deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build $(BUILD_FLAGS) --product initscope

run: build
	$(BIN) $(ARGS)

unit: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test $(BUILD_FLAGS)

e2e: build
	bash Tests/EndToEnd/run.sh $(BIN)
	bash Tests/EndToEnd/themes.sh $(BIN)

test: unit e2e

bench: build
	bash Benchmarks/run.sh $(BIN)

clean:
	rm -rf .build

# Installs the binary and the bundled themes (found at run time as $(PREFIX)/share/initscope/themes).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/initscope/themes
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/initscope
	install -m 644 Themes/*.toml $(DESTDIR)$(PREFIX)/share/initscope/themes/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/initscope
	rm -rf $(DESTDIR)$(PREFIX)/share/initscope
