# tests/lib-tpm.sh: a second PKCS#11 implementation for the integration tests (sourced
# after lib.sh, bash): tpm2-pkcs11 on a software TPM (swtpm), through a resource manager
# (tpm2-abrmd) on a private session bus.  Everything lives under $WORK/tpm; the three
# daemons are stopped by their process ids when the test exits, on failure or on a
# signal too, and carry a parent-death signal so that not even a killed test leaves one.
#
#   tpm_start           start swtpm, the bus and tpm2-abrmd; export the TCTI and the store
#   tpm_token LABEL [PIN]   a new token (tpm2_ptool addtoken) with the user PIN PIN
#   tpm_objects LABEL [PIN] / tpm_count_objects: the token's objects, as pkcs11-tool lists them
#
# The packages are in the Makefile's DEB_PKGS (make deps installs them); without them the
# test fails, it does not skip: a suite that silently stops testing the second
# implementation would still say "0 failed".

TPM_MODULE=$(dpkg -L libtpm2-pkcs11-1 2>/dev/null | grep '/libtpm2_pkcs11\.so\.1$' | head -n1)
TPM_DIR=$WORK/tpm
TPM_PIDS=()
TPM_PRIMARY=

# tpm_stop: stops the daemons tpm_start started, by their process ids, last first
tpm_stop() {
	local i
	for ((i = ${#TPM_PIDS[@]} - 1; i >= 0; i--)); do
		kill "${TPM_PIDS[$i]}" 2>/dev/null; wait "${TPM_PIDS[$i]}" 2>/dev/null
	done
	TPM_PIDS=()
	return 0
}
trap 'tpm_stop; rm -rf "$WORK"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# tpm_bail WHAT: the stack cannot start; the file fails with the reason
tpm_bail() {
	fail "tpm: $1"
	done_tests
	exit 1
}

# tpm_spawn LOG CMD...: CMD in the background, killed by the kernel if this shell dies;
# its pid joins TPM_PIDS (run it in this shell, not in $(...): the pid must be ours)
tpm_spawn() {
	local log=$1; shift
	setpriv --pdeathsig KILL "$@" </dev/null >>"$log" 2>&1 &
	TPM_PIDS+=($!)
}

# tpm_ports: a free TCP port P on 127.0.0.1 whose P+1 is free too (swtpm's server and
# control channels, as the swtpm TCTI expects them)
tpm_ports() {
	python3 -c '
import socket
for _ in range(100):
    a, b = socket.socket(), socket.socket()
    a.bind(("127.0.0.1", 0))
    p = a.getsockname()[1]
    try:
        b.bind(("127.0.0.1", p + 1))
    except OSError:
        continue
    print(p)
    break'
}

# tpm_ready PID TEST...: waits until TEST succeeds (at most 10 s), or the daemon PID died
tpm_ready() {
	local pid=$1 n; shift
	for ((n = 0; n < 1000; n++)); do
		"$@" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}
tpm_listening() { (exec 9<>"/dev/tcp/127.0.0.1/$1"); }
tpm_has_abrmd() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	    org.freedesktop.DBus.NameHasOwner string:com.intel.tss2.Tabrmd | grep -q 'boolean true'
}

tpm_start() {
	local c port tries addr
	for c in swtpm tpm2-abrmd dbus-daemon dbus-send tpm2_ptool setpriv python3 pkcs11-tool; do
		command -v "$c" >/dev/null ||
		    tpm_bail "$c is missing: run make deps (the tests need the packages of DEB_PKGS)"
	done
	[ -n "$TPM_MODULE" ] && [ -r "$TPM_MODULE" ] ||
	    tpm_bail "libtpm2_pkcs11.so.1 is missing: run make deps (package libtpm2-pkcs11-1)"
	mkdir -p "$TPM_DIR/state" "$TPM_DIR/store"
	# the port pair is free when probed; another process can take it before swtpm binds
	# it, and then swtpm exits: a new pair, up to 5 times
	for ((tries = 0; tries < 5; tries++)); do
		port=$(tpm_ports) && [ -n "$port" ] || tpm_bail "no free pair of TCP ports"
		tpm_spawn "$TPM_DIR/swtpm.log" swtpm socket --tpm2 \
		    --server "type=tcp,port=$port" --ctrl "type=tcp,port=$((port + 1))" \
		    --tpmstate "dir=$TPM_DIR/state" --flags not-need-init,startup-clear
		tpm_ready "${TPM_PIDS[-1]}" tpm_listening $((port + 1)) && break
		tpm_stop
	done
	[ "${#TPM_PIDS[@]}" = 1 ] || tpm_bail "swtpm did not start: $(tail -n3 "$TPM_DIR/swtpm.log")"
	# a session bus of our own: its address is printed (into the FIFO) once it listens
	mkfifo "$TPM_DIR/bus.fifo"
	setpriv --pdeathsig KILL dbus-daemon --session --nofork --address="unix:path=$TPM_DIR/bus" \
	    --print-address=3 3>"$TPM_DIR/bus.fifo" </dev/null >"$TPM_DIR/dbus.log" 2>&1 &
	TPM_PIDS+=($!)
	read -r addr <"$TPM_DIR/bus.fifo" && [ -n "$addr" ] ||
	    tpm_bail "dbus-daemon did not start: $(tail -n3 "$TPM_DIR/dbus.log")"
	export DBUS_SESSION_BUS_ADDRESS=$addr
	tpm_spawn "$TPM_DIR/abrmd.log" tpm2-abrmd --session --allow-root --tcti="swtpm:host=127.0.0.1,port=$port"
	tpm_ready "${TPM_PIDS[-1]}" tpm_has_abrmd ||
	    tpm_bail "tpm2-abrmd did not start: $(tail -n3 "$TPM_DIR/abrmd.log")"
	# tpm2_ptool runs tpm2-tools (TPM2TOOLS_TCTI), the module reads TPM2_PKCS11_TCTI
	export TPM2TOOLS_TCTI=tabrmd:bus_type=session TPM2_PKCS11_TCTI=tabrmd:bus_type=session
	export TPM2_PKCS11_STORE=$TPM_DIR/store
	TPM_PRIMARY=$(tpm2_ptool init 2>"$TPM_DIR/ptool.log" | sed -n 's/^id: *//p')
	[ -n "$TPM_PRIMARY" ] || tpm_bail "tpm2_ptool init failed: $(tail -n3 "$TPM_DIR/ptool.log")"
}

# tpm_token LABEL [PIN]: a new token on the TPM, its user PIN PIN ($PIN)
tpm_token() {
	tpm2_ptool addtoken --pid="$TPM_PRIMARY" --sopin="$SO_PIN" --userpin="${2:-$PIN}" \
	    --label="$1" >>"$TPM_DIR/ptool.log" 2>&1 ||
	    tpm_bail "tpm2_ptool addtoken $1 failed: $(tail -n3 "$TPM_DIR/ptool.log")"
}

tpm_objects() {
	pkcs11-tool --module "$TPM_MODULE" --token-label "$1" --login --pin "${2:-$PIN}" \
	    --list-objects 2>/dev/null
}
tpm_count_objects() { tpm_objects "$@" | grep -c 'Object;' || true; }
