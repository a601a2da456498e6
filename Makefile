# Makefile - kaowu's commands. The README's two: `make up` and `make test`.
#   make up      install what is missing, build, start PostgreSQL + workers + nginx, load demo data
#   make down    stop all of it (state stays in var/)
#   make test    install, build (incl. an ASan/UBSan build), run every test on a private instance
#   make build   C (release + sanitizer builds) and the web app
#   make status  what is running
#   make fuzz    the libFuzzer targets (clang) for FUZZ_SECONDS each on their seed corpora
#   make deb     build/kaowu_<version>_<arch>.deb from the release build (packaging/debian/)
#   make backup  dump the instance's database (FILE=... or var/backup/kaowu-<time>.dump)
#   make restore FILE=x.dump [DB=name]   restore a dump (into DB instead of kaowu if given)
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build/asan

.PHONY: up down test build bootstrap c c-asan web status clean format fuzz backup restore deb bench

up: build
	@scripts/instance.sh up

down:
	@scripts/instance.sh down

deb: c web
	@packaging/debian/build.sh

backup:
	@scripts/backup.sh backup $(FILE)

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path.dump [DB=name]"; exit 2; }
	@scripts/backup.sh restore $(FILE) $(DB)

status:
	@scripts/instance.sh status

test: bootstrap
	@scripts/test.sh

build: bootstrap c web

bootstrap:
	@scripts/bootstrap.sh

c:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

c-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DKAOWU_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) -- --no-print-directory

WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js web/package-lock.json

web: web/dist/index.html

web/dist/index.html: $(WEB_SOURCES)
	@cd web && npm run build --silent
	@touch $@

FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@fuzz/run.sh $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) web/dist

# Production-volume benchmark on a separate instance (ports 8290 / 5690): see bench/README.md.
bench: c
	@bench/run.sh
