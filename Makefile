# ceremony: build, test, demo, install.  GNU make, Debian 12.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/bin
MANDIR    := $(PREFIX)/share/man/man1
DOCDIR    := $(PREFIX)/share/doc/ceremony
DOCS      := $(wildcard docs/*.md)

CC        ?= cc
PKG_LIBS  := libcrypto yaml-0.1 p11-kit-1 jansson
# OPT and SAN are what check-asan changes; everything else always holds.
OPT       ?= -O2 -D_FORTIFY_SOURCE=2
SAN       ?=
HARDEN    := -std=c11 -Wall -Wextra -Werror $(OPT) -fstack-protector-strong
CFLAGS    ?=
CFLAGS    += $(HARDEN) $(SAN) -D_GNU_SOURCE -DCER_VERSION='"$(VERSION)"' -Isrc
P11KIT_VERSION = $(shell pkg-config --modversion p11-kit-1 2>/dev/null)
CFLAGS    += -DCER_P11KIT_VERSION='"$(P11KIT_VERSION)"' -DCER_DOCDIR='"$(DOCDIR)"'
LDFLAGS   += $(SAN)
LDLIBS    += -ldl

# Debian packages the build, the tests and the demo need.
DEB_PKGS  := gcc libc6-dev make pkg-config libssl-dev libyaml-dev libp11-kit-dev libjansson-dev \
             softhsm2 opensc gnutls-bin libengine-pkcs11-openssl libcmocka-dev valgrind \
             jq xxd openssl procps chromium poppler-utils golang-go \
             swtpm swtpm-tools tpm2-tools libtpm2-pkcs11-1 libtpm2-pkcs11-tools libtss2-tcti-swtpm0 \
             tpm2-abrmd libtss2-tcti-tabrmd0 dbus

# src/<layer>/<module>.c; headers beside their sources, included as "layer/module.h".
SRCS      := $(wildcard src/*/*.c)
HDRS      := $(wildcard src/*/*.h)
OBJS      := $(SRCS:src/%.c=build/%.o)
LIB_OBJS  := $(filter-out build/cli/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/%.c=build/%)

.PHONY: all deps test unit integration demo install uninstall check-asan check-faults check-valgrind fuzz fuzz-smoke fuzz-tools fuzz-transcript bench clean

all: deps ceremony

# Installs what is missing, non-interactively, when root; otherwise says what to run.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "deps: missing Debian packages:$$missing"; \
	    echo "deps: run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build/.flags: FORCE
	@mkdir -p build
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@
FORCE:

build/%.o: src/%.c $(HDRS) build/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKG_LIBS)) -c -o $@ $<

ceremony: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $$(pkg-config --libs $(PKG_LIBS)) $(LDLIBS)

build/test-%: tests/test-%.c $(LIB_OBJS) tests/testlib.h
	$(CC) $(CFLAGS) -Wno-unused-parameter $$(pkg-config --cflags $(PKG_LIBS) cmocka) -o $@ $< $(LIB_OBJS) \
	  $$(pkg-config --libs $(PKG_LIBS) cmocka) $(LDLIBS)

# A PKCS#11 module that is SoftHSM but crashes where told (tests/t-canary.sh).
build/crashmod.so: tests/crashmod.c
	@mkdir -p build
	$(CC) -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -shared -fPIC $$(pkg-config --cflags p11-kit-1) \
	  -o $@ $< -ldl

# LD_PRELOAD: a SIGTERM just as the confirmation prompt opens the terminal (tests/t-terminal.sh).
build/sigrace.so: tests/sigrace.c
	@mkdir -p build
	$(CC) -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -shared -fPIC -o $@ $< -ldl

unit: deps $(UNIT_BINS)
integration: deps ceremony

# Every test: cmocka unit tests, then integration tests on throwaway SoftHSM tokens.
test: deps ceremony $(UNIT_BINS) build/crashmod.so build/sigrace.so build/libp11fault.so
	@tests/run.sh

# The fault-injecting PKCS#11 module of the tests (tests/p11fault.c): wraps SoftHSM.
build/libp11fault.so: tests/p11fault.c build/.flags
	@mkdir -p build
	$(CC) $(CFLAGS) -fPIC -shared $$(pkg-config --cflags p11-kit-1) -o $@ $< -ldl

# Every PKCS#11 call of the example hierarchy failed in turn (make test runs a sample).
check-faults: deps ceremony build/libp11fault.so
	FAULTS_ALL=1 bash tests/t-faults.sh

# The demo builds quietly (a warning or an error still shows) and runs the example.
demo: deps
	@$(MAKE) -s --no-print-directory ceremony
	@tests/demo.sh

# The whole suite with AddressSanitizer + UBSan (and LeakSanitizer at every exit).
check-asan:
	$(MAKE) clean
	$(MAKE) test OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
	$(MAKE) clean

# The suite under valgrind memcheck: every unit test binary, and every ceremony invocation of
# the integration files (CEREMONY is tests/valgrind-ceremony.sh, which runs ./ceremony under
# memcheck with its report in build/valgrind/); an invalid access or a definite or indirect
# leak exits 99, which fails the test, and any report left fails the target.  t-valgrind.sh
# (valgrind itself) and the files that run no ceremony are left out.  VALGRIND_FILES picks
# integration files (default: all the others).
# t-canary.sh looks for the PIN in the ceremony's own /proc environment and dies of SIGSEGV
# inside a module on purpose: under the wrapper, neither is the ceremony's.
VALGRIND_SKIP  := tests/t-valgrind.sh tests/t-layout.sh tests/t-docs.sh tests/t-canary.sh
VALGRIND_FILES ?= $(filter-out $(VALGRIND_SKIP),$(wildcard tests/t-*.sh))
VALGRIND_UNIT  := valgrind -q --error-exitcode=99 --leak-check=full --suppressions=$(CURDIR)/tests/valgrind.supp \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
check-valgrind: deps ceremony $(UNIT_BINS)
	@rm -rf build/valgrind && mkdir -p build/valgrind
	@start=$$(date +%s); \
	TEST_FILES="$(VALGRIND_FILES)" TEST_WRAP="$(VALGRIND_UNIT)" CEREMONY=$(CURDIR)/tests/valgrind-ceremony.sh \
	  CEREMONY_VALGRIND_BIN=$(CURDIR)/ceremony CEREMONY_VALGRIND_LOGS=$(CURDIR)/build/valgrind \
	  tests/run.sh; rc=$$?; \
	n=$$(ls build/valgrind | wc -l); bad=$$(find build/valgrind -type f -size +0 | wc -l); \
	echo "check-valgrind: $$n ceremony runs under memcheck, $$bad with a report, $$(( $$(date +%s) - start )) s"; \
	find build/valgrind -type f -size +0 -exec cat {} + | head -100; \
	[ $$rc -eq 0 ] && [ $$bad -eq 0 ]

# libFuzzer: the YAML reader alone, the whole script loader (every step type's parser), the
# transcript checker, the PEM/DER input readers and the linter on DER certificates, CRLs and
# OCSP responses, each for FUZZ_SECONDS, seeded with the examples, a real transcript and
# tests/fuzz-corpus/.  fuzz-smoke: each for FUZZ_SMOKE_SECONDS, then every regression input.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_CC   := clang -std=c11 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined
FUZZ_LIBS  = $$(pkg-config --cflags --libs $(PKG_LIBS)) -ldl
FUZZ_LINT_SRCS := $(wildcard src/lint/*.c) src/base/util.c src/base/err.c src/base/alg.c src/base/verified.c src/base/der.c
FUZZ_TARGETS := yaml script transcript input lint-cert lint-crl lint-ocsp
fuzz-tools:
	@command -v clang >/dev/null && dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; } || \
	  { echo "fuzz: run: sudo apt-get install -y clang libclang-rt-14-dev"; exit 1; }

build/fuzz-yaml: tests/fuzz-yaml.c src/script/yaml.c src/base/err.c src/base/suggest.c src/base/util.c $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -o $@ tests/fuzz-yaml.c src/script/yaml.c src/base/err.c src/base/suggest.c src/base/util.c $(FUZZ_LIBS)
build/fuzz-script: tests/fuzz-script.c $(filter-out src/cli/%,$(SRCS)) $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -DCER_VERSION='"$(VERSION)"' -DCER_P11KIT_VERSION='"$(P11KIT_VERSION)"' -o $@ \
	  tests/fuzz-script.c $(filter-out src/cli/%,$(SRCS)) $(FUZZ_LIBS)
build/fuzz-transcript: tests/fuzz-transcript.c $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -o $@ tests/fuzz-transcript.c src/record/tscheck.c src/record/tsshow.c src/record/tsshow-sum.c src/base/alg.c \
	  src/record/pgpwords.c src/base/err.c src/base/util.c src/base/suggest.c $(FUZZ_LIBS)
build/fuzz-input: tests/fuzz-input.c src/x509/input.c src/base/util.c src/base/err.c $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -o $@ tests/fuzz-input.c src/x509/input.c src/base/util.c src/base/err.c $(FUZZ_LIBS)
build/fuzz-lint-cert build/fuzz-lint-crl build/fuzz-lint-ocsp: build/fuzz-lint-%: tests/fuzz-lint.c \
    $(FUZZ_LINT_SRCS) $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -DFUZZ_LINT_KIND=FUZZ_LINT_$$(echo $* | tr a-z A-Z) -o $@ tests/fuzz-lint.c \
	  $(FUZZ_LINT_SRCS) $(FUZZ_LIBS)

# fuzz-corpus-NAME: the seeds of target NAME in build/fuzz-NAME-corpus (libFuzzer adds to it).
build/fuzz-yaml-corpus build/fuzz-script-corpus: FORCE
	@mkdir -p $@ && cp ceremonies/*.yaml tests/hostile/*.yaml $@/ 2>/dev/null; true
build/fuzz-transcript-corpus: FORCE ceremony
	@mkdir -p $@ && [ -n "$$(ls -A $@)" ] || tests/fuzz-seed.sh $@
build/fuzz-input-corpus build/fuzz-lint-cert-corpus build/fuzz-lint-crl-corpus build/fuzz-lint-ocsp-corpus: FORCE
	@mkdir -p $@ && cp tests/fuzz-corpus/$(patsubst build/fuzz-%-corpus,%,$@)/* $@/

FUZZ_MAXLEN_yaml := 4096
FUZZ_MAXLEN_script := 4096
FUZZ_MAXLEN_transcript := 65536
FUZZ_MAXLEN_input := 8192
FUZZ_MAXLEN_lint-cert := 8192
FUZZ_MAXLEN_lint-crl := 8192
FUZZ_MAXLEN_lint-ocsp := 8192

# run_fuzz NAME SECONDS: one target on its corpus, then every regression input it has
run_fuzz = build/fuzz-$(1) -max_total_time=$(2) -max_len=$(FUZZ_MAXLEN_$(1)) -print_final_stats=0 \
	  -error_exitcode=77 build/fuzz-$(1)-corpus 2>&1 | grep -E '^(==|SUMMARY|Done|INFO: -max_total_time)|ERROR' ; \
	  test $${PIPESTATUS[0]} -eq 0 && \
	  { ! ls tests/fuzz-regress/$(1)-* >/dev/null 2>&1 || build/fuzz-$(1) tests/fuzz-regress/$(1)-* >/dev/null 2>&1 || \
	    { echo "fuzz-$(1): a regression input fails again"; exit 1; }; }

fuzz: SHELL := /bin/bash
fuzz: deps ceremony $(FUZZ_TARGETS:%=build/fuzz-%) $(FUZZ_TARGETS:%=build/fuzz-%-corpus)
	@set -e; $(foreach t,$(FUZZ_TARGETS),echo "fuzz-$(t): $(FUZZ_SECONDS) s"; $(call run_fuzz,$(t),$(FUZZ_SECONDS));)

fuzz-smoke: SHELL := /bin/bash
fuzz-smoke: deps ceremony $(FUZZ_TARGETS:%=build/fuzz-%) $(FUZZ_TARGETS:%=build/fuzz-%-corpus)
	@set -e; $(foreach t,$(FUZZ_TARGETS),echo "fuzz-$(t): $(FUZZ_SMOKE_SECONDS) s"; $(call run_fuzz,$(t),$(FUZZ_SMOKE_SECONDS));)

# The transcript checker alone (kept for its old name).
fuzz-transcript: SHELL := /bin/bash
fuzz-transcript: deps ceremony build/fuzz-transcript build/fuzz-transcript-corpus
	@$(call run_fuzz,transcript,$(FUZZ_SECONDS))

# The PKCS#11 floor of bench/hierarchy.yaml, the raw C_Sign rate and token key generation.
build/floor: bench/floor.c
	@mkdir -p build
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE $$(pkg-config --cflags p11-kit-1) -o $@ $< -ldl

# Timings and memory of whole ceremonies against the manual route (bench/manual.sh) and the
# PKCS#11 floor (bench/floor.c), batches and lint throughput; writes docs/benchmarks.md.
bench: deps ceremony build/floor
	@tests/bench.sh

install: ceremony
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 ceremony $(DESTDIR)$(BINDIR)/ceremony
	install -m 0644 docs/ceremony.1 $(DESTDIR)$(MANDIR)/ceremony.1
	install -m 0644 $(DOCS) README.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ceremony $(DESTDIR)$(MANDIR)/ceremony.1
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)) README.md)
	-rmdir $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build ceremony
