#!/usr/bin/env bash
# One `fix --apply` at a time: while another holder has /run/haprep.lock (under
# --root), apply refuses with exit 3 and changes nothing; once released it applies.
source "$(dirname "$0")/lib.sh"
require_root
command -v flock >/dev/null || skip "flock (util-linux) is not installed"

ns_with_vrrp_interface l
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$IF.rp_filter=1"
ROOT="$TMP/root"; mkdir -p "$ROOT/run"

# Hold the lock from another process until we say so (fifo), and stop it by PID.
mkfifo "$TMP/release"
flock -x "$ROOT/run/haprep.lock" -c "cat '$TMP/release' >/dev/null" &
holder=$!
trap 'kill "$holder" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do
    flock -n "$ROOT/run/haprep.lock" true 2>/dev/null || break
    sleep 0.05
done

run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply
expect_rc 3 "lock held elsewhere"
expect_contains "$ERR" "another \`haprep fix --apply\` holds"
[ "$(in_ns "$NS" sysctl -n "net.ipv4.conf.$IF.rp_filter")" = 1 ] || fail "applied without the lock"
[ ! -e "$ROOT/etc/sysctl.d" ] || fail "wrote files without the lock"

echo >"$TMP/release"
wait "$holder"
run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0 "lock released"
expect_json '.changed == true'
echo "PASS: $TEST_NAME"
