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
             jq xxd openssl procps chromium poppler-utils golang-go

# src/<layer>/<module>.c; headers beside their sources, included as "layer/module.h".
SRCS      := $(wildcard src/*/*.c)
HDRS      := $(wildcard src/*/*.h)
OBJS      := $(SRCS:src/%.c=build/%.o)
LIB_OBJS  := $(filter-out build/cli/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/%.c=build/%)

.PHONY: all deps test unit integration demo install uninstall check-asan check-faults fuzz fuzz-tools fuzz-transcript bench clean

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

# libFuzzer: the YAML reader alone, the whole script loader (every step type's parser) and the
# transcript checker, each for FUZZ_SECONDS, seeded with the examples and a real transcript.
FUZZ_SECONDS ?= 60
FUZZ_CC   := clang -std=c11 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined
FUZZ_LIBS  = $$(pkg-config --cflags --libs $(PKG_LIBS)) -ldl
fuzz-tools:
	@command -v clang >/dev/null && dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; } || \
	  { echo "fuzz: run: sudo apt-get install -y clang libclang-rt-14-dev"; exit 1; }

build/fuzz-yaml: tests/fuzz-yaml.c src/script/yaml.c src/base/err.c src/base/suggest.c $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -o $@ tests/fuzz-yaml.c src/script/yaml.c src/base/err.c src/base/suggest.c $(FUZZ_LIBS)
build/fuzz-script: tests/fuzz-script.c $(filter-out src/cli/%,$(SRCS)) $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -DCER_VERSION='"$(VERSION)"' -DCER_P11KIT_VERSION='"$(P11KIT_VERSION)"' -o $@ \
	  tests/fuzz-script.c $(filter-out src/cli/%,$(SRCS)) $(FUZZ_LIBS)
build/fuzz-transcript: tests/fuzz-transcript.c $(HDRS) | fuzz-tools
	@mkdir -p build
	$(FUZZ_CC) -o $@ tests/fuzz-transcript.c src/record/tscheck.c src/record/tsshow.c src/record/tsshow-sum.c src/base/alg.c \
	  src/record/pgpwords.c src/base/err.c src/base/util.c src/base/suggest.c $(FUZZ_LIBS)

fuzz: deps ceremony build/fuzz-yaml build/fuzz-script build/fuzz-transcript
	@mkdir -p build/fuzz-corpus build/fuzz-transcript-corpus
	cp ceremonies/*.yaml build/fuzz-corpus/
	@tests/fuzz-seed.sh build/fuzz-transcript-corpus
	build/fuzz-yaml -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz-corpus
	build/fuzz-script -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz-corpus
	build/fuzz-transcript -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build/fuzz-transcript-corpus

# The transcript checker alone (kept for its old name).
fuzz-transcript: deps ceremony build/fuzz-transcript
	@mkdir -p build/fuzz-transcript-corpus
	@tests/fuzz-seed.sh build/fuzz-transcript-corpus
	build/fuzz-transcript -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build/fuzz-transcript-corpus

# Timings and memory of whole ceremonies against the manual route; writes docs/benchmarks.md.
bench: deps ceremony
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
