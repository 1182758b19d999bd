# initscope: `make run` starts the program, `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS := -c $(CONFIG) -Xswiftc -enable-testing
APT_PACKAGES := libncursesw5-dev libopenblas-dev liblapacke-dev tmux
BIN := .build/$(CONFIG)/initscope
ARGS ?=

.PHONY: deps build run test unit e2e bench clean

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

test: unit e2e

bench: build
	bash Benchmarks/run.sh $(BIN)

clean:
	rm -rf .build
