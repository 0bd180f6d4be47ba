#!/usr/bin/env bash
# `haprep snapshot` then `check --facts` evaluates the saved facts exactly as the
# live host: same findings, same exit code, on a host with strict rp_filter.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface s
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=1
ROOT="$TMP/root"; mkdir -p "$ROOT/etc"
printf 'net.ipv4.conf.all.rp_filter = 1\n' >"$ROOT/etc/sysctl.conf"

run_haprep "$NS" --root "$ROOT" snapshot --output "$TMP/facts.json"
expect_rc 0
jq -e --arg k "net.ipv4.conf.$IF.rp_filter" '.schema == "haprep-facts/1" and (.sysctl[$k] | has("value")) and .sysctl["net.ipv4.conf.all.rp_filter"].value == 1 and .boot_sysctl.value.keys["net.ipv4.conf.all.rp_filter"].winner.file == "/etc/sysctl.conf"' "$TMP/facts.json" >/dev/null || fail "snapshot content: $(cat "$TMP/facts.json")"
jq -e --arg i "$IF" '.vrrp_interfaces.names == [$i]' "$TMP/facts.json" >/dev/null || fail "default interfaces must be the UP non-loopback ones"

run_haprep "$NS" --root "$ROOT" check --format json
expect_rc 1 "strict rp_filter without known peers warns"
live=$(jq -S '.findings' <<<"$OUT")
# Offline: no namespace, no root; the snapshot carries everything.
RC=0; "$HAPREP" check --facts "$TMP/facts.json" --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 1 "offline evaluation"
[ "$(jq -S '.findings' <<<"$OUT")" = "$live" ] || fail "offline findings differ from live: $OUT vs $live"
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\") | .subject == \"$IF\" and .status == \"warn\""
echo "PASS: $TEST_NAME"
