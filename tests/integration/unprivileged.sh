#!/usr/bin/env bash
# Run as an unprivileged user, haprep must not crash; whatever it cannot read is
# `unknown`, never `pass`; fix --apply refuses cleanly (exit 3) and changes nothing.
source "$(dirname "$0")/lib.sh"
require_root
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"

ns_with_vrrp_interface u
asymmetric_peer
in_ns "$NS" sysctl -qw "net.ipv4.conf.$IF.rp_filter=1"

chmod 755 "$TMP"
ROOT="$TMP/root"
mkdir -p "$ROOT/etc/sysctl.d" "$ROOT/run"
printf 'net.ipv4.conf.all.rp_filter = 0\n' >"$ROOT/etc/sysctl.d/10-secret.conf"
chmod 000 "$ROOT/etc/sysctl.d/10-secret.conf"

as_nobody() { in_ns "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

RC=0; as_nobody "$HAPREP" --root "$ROOT" --interface "$IF" --peer "$PEER" check --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 2 "the readable strict rp_filter still fails"
expect_json ".findings[] | select(.check == \"sysctl.rp_filter_boot\") | .status == \"unknown\" and (.message | contains(\"Permission denied\"))"
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\") | .status == \"fail\""

# With only the unreadable part selected, the result is unknown: exit 3.
RC=0; as_nobody "$HAPREP" --root "$ROOT" --interface "$IF" --only sysctl.rp_filter_boot check >"$TMP/out" 2>&1 || RC=$?
OUT=$(cat "$TMP/out"); ERR=""
expect_rc 3 "unknown when nothing else is selected"
expect_contains "$OUT" "UNKNOWN"

RC=0; as_nobody "$HAPREP" --root "$ROOT" --interface "$IF" fix --apply >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "no privilege to take the lock"
expect_contains "$ERR" "cannot take the lock"
[ "$(in_ns "$NS" sysctl -n "net.ipv4.conf.$IF.rp_filter")" = 1 ] || fail "unprivileged apply changed the value"
echo "PASS: $TEST_NAME"
