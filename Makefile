# secdoc — the two commands of the README:
#   make run    set up what is missing, build, and open the program
#   make test   set up what is missing and run every test
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/.local/bin:$(HOME)/go/bin:$(PATH)
export LANG := en_US.UTF-8

BIN       := bin/secdoc
# Headers Fyne's OpenGL driver needs to build the window (cgo).
GUI_PKGS  := gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests add: a virtual display for the real window, screenshots, PDF text.
TEST_PKGS := $(GUI_PKGS) xvfb xauth x11-utils xdotool imagemagick poppler-utils debootstrap \
             gcc-mingw-w64-x86-64-win32 nsis unzip gcc-aarch64-linux-gnu qemu-user

DBFLAG    := $(if $(DB),--db $(DB),)
# The window program is built without the toolkit's animations: a blinking
# cursor redraws the whole window twelve times a second, which a software
# renderer pays for in CPU while nobody touches it (README, Performance).
export GUI_TAGS := no_animations

.PHONY: run test build dist dist-test deb-root-test screenshot-windows deps-run deps-test perf perf-gui bench bench-1m bench-print screenshot vet clean

## run: open the program on the default database (DB=path to choose).
##      DEMO=N with DEMO_PASSWORD=... first makes a demo database (one account per role) with N carriers.
run: deps-run build
	@if [ -n "$(DEMO)" ]; then ./$(BIN) demo --n $(DEMO) $(DBFLAG) --demo-password '$(DEMO_PASSWORD)' --workflows; fi
	./$(BIN) $(DBFLAG)

## test: every test: vet, layering, unit and UI tests, the real window under Xvfb
test: deps-test
	.ci/test

## dist: what is carried to an isolated workstation, into dist/: the .deb packages, the Windows
##       installer and portable zip, SHA256SUMS, 安装说明.txt
dist: deps-test
	.ci/dist

## dist-test: make dist twice (the same bytes) and check the package; make test runs it
dist-test: deps-test
	.ci/dist-test

## screenshot-windows: every Windows test under Wine, and docs/screenshot-windows.png
screenshot-windows: deps-test
	SHOT=docs/screenshot-windows.png .ci/test-windows

## deb-root-test: the .deb in a bare Debian 12 root: install, the window, upgrade by package
deb-root-test: deps-test
	SHOT=$(SHOT) .ci/test-deb-root

build:
	go build -buildvcs=auto -trimpath -tags $(GUI_TAGS) -o $(BIN) .  # the commit and its date go into `secdoc version`

deps-run:
	@.ci/ensure-deps $(GUI_PKGS)

deps-test:
	@.ci/ensure-deps $(TEST_PKGS)


## perf: every figure of the README's performance section in one table: the 100k and 1M
##       registers (built and cached the first time), medians of 5 runs with their anchors
perf: deps-run
	.ci/perf

## perf-gui: the real window under Xvfb (software rendering, 1366×768) driven with xdotool over the
##           2k, 100k and 1M registers of make perf: time to each screen, memory per round, scrolling,
##           idle CPU, exit (PERF_GUI_SIZES="2k 100k" for fewer)
perf-gui: deps-test
	@.ci/ensure-deps x11-apps mesa-utils
	.ci/perf-gui

## bench: the benchmarks quoted in the README at 100,000 carriers
bench:
	CGO_ENABLED=0 go test ./app -run '^$$' -bench 'Keyword|Filter|FirstPage|Stats|ToDo|RegisterInto' -benchtime 10x -timeout 60m
	CGO_ENABLED=0 go test ./app -run '^$$' -bench 'Register$$' -benchtime 2000x
	CGO_ENABLED=0 go test ./app -run '^$$' -bench 'Register100k' -benchtime 1x -timeout 60m
	CGO_ENABLED=0 go test ./app -run '^$$' -bench 'VerifyAudit|BackupRestore' -benchtime 1x -timeout 60m

## bench-1m: the same at 1,000,000 carriers too (builds a cached 1M database once: about 10 minutes)
bench-1m:
	SECDOC_BENCH_1M=1 $(MAKE) bench

## bench-print: printing speed and size (a slip, a 1,000-row register), and LibreOffice converting
##              the same slip from .docx for comparison (skipped without libreoffice and a CJK font)
bench-print:
	CGO_ENABLED=0 go test ./reports -run '^$$' -bench 'Slip$$|Register1000' -benchmem -count 3
	CGO_ENABLED=0 go test ./reports -run '^$$' -bench 'LibreOffice' -benchtime 10x

## screenshot: docs/screenshot-ledger.png of the real window under Xvfb
screenshot: deps-test build
	.ci/screenshot docs/screenshot-ledger.png

vet:
	CGO_ENABLED=0 go vet -tags ci ./...

clean:
	rm -rf bin
