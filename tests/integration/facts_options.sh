#!/usr/bin/env bash
# Every discovery option counts offline as live: `check --facts SNAPSHOT` with
# --keepalived-conf, --interface, ... re-runs discovery over the snapshot's host facts
# (a candidate keepalived.conf linted against a node's snapshot judges like live), or
# refuses with exit 3 and one line. Names that are not interfaces (all, default, a/b,
# control characters) are never judged nor planned for, and a snapshot's number out of
# its range is an error naming the field.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface o
IF2="d${UNIQUE}"
ip -n "$NS" link add "$IF2" type veth peer name "e${UNIQUE}" netns "$PEER_NS"
ip -n "$NS" addr add 198.51.100.1/24 dev "$IF2"
ip -n "$NS" link set "$IF2" up
ip -n "$PEER_NS" link set "e${UNIQUE}" up
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.default.rp_filter=1 \
    "net.ipv4.conf.$IF.rp_filter=0" "net.ipv4.conf.$IF2.rp_filter=0"

ROOT="$TMP/root"
mkdir -p "$ROOT/etc/keepalived" "$ROOT/etc/sysctl.d"
# conf PRIORITY [IFACE2]: two instances, on $IF and on IFACE2 (default $IF2).
conf() {
    cat <<CONF
vrrp_instance VI_1 {
    state BACKUP
    interface $IF
    virtual_router_id 51
    priority $1
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface ${2:-$IF2}
    virtual_router_id 52
    priority 100
    advert_int 1
    virtual_ipaddress {
        198.51.100.100/24
    }
}
CONF
}
conf 100 >"$ROOT/etc/keepalived/keepalived.conf"
conf 300 >"$ROOT/etc/keepalived/candidate.conf"
SNAP="$TMP/snap.json"
run_haprep "$NS" --root "$ROOT" snapshot --output "$SNAP"
expect_rc 0 "snapshot"

# Verdicts by check and subject; a file is named by its host path live (under --root)
# and as given offline, so keepalived.parse's subject is compared by file name.
summary() {
    jq -S '[.findings[] | {check, status, subject: (if .check == "keepalived.parse" then (.subject | split("/") | last) else .subject end)}] | sort_by(.check, .subject)' <<<"$OUT"
}

# 1. The snapshot as it is: the node's own configuration passes keepalived.priority.
RC=0; "$HAPREP" check --facts "$SNAP" --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_json '[.findings[] | select(.check == "keepalived.priority") | .status] | all(. == "pass")'

# A candidate with priority 300, live and against the snapshot: the same verdicts.
run_haprep "$NS" --root "$ROOT" --keepalived-conf /etc/keepalived/candidate.conf check --format json
live_rc=$RC; live=$(summary)
[ "$live_rc" -ne 0 ] || fail "live: priority 300 must not pass: $OUT"
expect_json '[.findings[] | select(.check == "keepalived.priority" and .status != "pass")] | length > 0'
RC=0; "$HAPREP" check --facts "$SNAP" --keepalived-conf "$ROOT/etc/keepalived/candidate.conf" --format json \
    >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc "$live_rc" "the candidate against the snapshot judges like live"
[ "$(summary)" = "$live" ] || fail "offline findings differ from live: $(summary) vs $live"
expect_json ".findings[] | select(.check == \"keepalived.priority\" and .status != \"pass\") | .source.file == \"$ROOT/etc/keepalived/candidate.conf\""

# A named file that is not there: exit 3, one line naming it.
RC=0; "$HAPREP" check --keepalived-conf /nonexistent.conf --facts "$SNAP" >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "--keepalived-conf /nonexistent.conf --facts"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "expected one line on stderr: $ERR"
expect_contains "$ERR" "/nonexistent.conf"

# --interface X judges only X, offline as live.
run_haprep "$NS" --root "$ROOT" --interface "$IF2" check --format json
live_rc=$RC; live=$(summary)
RC=0; "$HAPREP" check --facts "$SNAP" --interface "$IF2" --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc "$live_rc" "--interface $IF2 --facts"
[ "$(summary)" = "$live" ] || fail "--interface offline differs from live: $(summary) vs $live"
expect_json "[.findings[] | select(.check == \"link.present\" or .check == \"sysctl.rp_filter\") | .subject] | unique == [\"$IF2\"]"
# An interface the snapshot was not taken for: what only the host could tell is unknown.
RC=0; "$HAPREP" check --facts "$SNAP" --interface lo --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
[ "$RC" -ne 0 ] || fail "--interface lo is not in the snapshot: it cannot pass: $OUT"
expect_json '.findings[] | select(.check == "sysctl.rp_filter") | .subject == "lo" and .status == "unknown" and (.message | contains("not in the snapshot"))'
# --peer: the route back is a live lookup; offline it is unknown, not a guess.
RC=0; "$HAPREP" check --facts "$SNAP" --interface "$IF" --peer 192.0.2.2 --format json >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_json "[.findings[] | select(.check == \"sysctl.rp_filter\") | .subject] == [\"$IF\"]"

# 2. Names that are not interfaces.
for name in all default 'a/b' '' . .. 1234567890123456 $'eth0\n[PASS] forged'; do
    run_haprep "$NS" --root "$ROOT" --interface "$name" fix --format json
    expect_rc 3 "--interface '$name'"
    [ -z "$OUT" ] || fail "--interface '$name': stdout must be empty: $OUT"
    [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "--interface '$name': expected one line on stderr: $ERR"
    expect_contains "$ERR" "--interface"
done
RC=0; "$HAPREP" check --facts "$SNAP" --interface all >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "--interface all --facts"

# keepalived.conf naming `interface default` / `interface all`: keepalived.interface
# fails for the instance, nothing judges or plans net.ipv4.conf.{all,default}.
for bogus in default all; do
    conf 100 "$bogus" >"$ROOT/etc/keepalived/keepalived.conf"
    run_haprep "$NS" --root "$ROOT" fix --format json
    expect_rc 2 "interface $bogus"
    expect_json "[.changes[] | select(.target == \"net.ipv4.conf.$IF.rp_filter\")] | length == 1"
    expect_json '[.changes[] | select(.target | test("conf\\.(all|default)\\."))] | length == 0'
    expect_json '[.changes[] | select((.after // "" | tostring) | test("conf\\.(all|default)\\.rp_filter"))] | length == 0'
    expect_json "[.findings[] | select(.subject == \"$bogus\")] | map(.check) | all(. == \"keepalived.interface\")"
    expect_json "[.findings[] | select(.check == \"keepalived.interface\" and .status == \"fail\") | .message] | any(contains(\"interface $bogus \"))"
    # Offline, a candidate with it: the same.
    RC=0; "$HAPREP" fix --facts "$SNAP" --keepalived-conf "$ROOT/etc/keepalived/keepalived.conf" --format json \
        >"$TMP/out" 2>"$TMP/err" || RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
    expect_rc 2 "interface $bogus, offline"
    expect_json '[.changes[] | select(.target | test("conf\\.(all|default)\\."))] | length == 0'
done

# A control character in keepalived.conf's interface reaches the text report escaped.
conf 100 $'ab\x01cd' >"$ROOT/etc/keepalived/keepalived.conf"
run_haprep "$NS" --root "$ROOT" check --no-color
expect_contains "$OUT" 'ab\x01cd'
if grep -q $'\x01' "$TMP/out"; then fail "a raw control character reached the text report: $OUT"; fi

# 3. Numbers out of range in a snapshot: exit 3, one line naming the field.
jq '.sysctl["net.ipv4.conf.all.rp_filter"].value = 424242424242' "$SNAP" |
    sed 's/424242424242/99999999999999999999/' >"$TMP/huge.json"
RC=0; "$HAPREP" check --facts "$TMP/huge.json" >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "rp_filter 99999999999999999999"
[ -z "$OUT" ] || fail "stdout must be empty: $OUT"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "expected one line on stderr: $ERR"
expect_contains "$ERR" "huge.json: sysctl net.ipv4.conf.all.rp_filter: 99999999999999999999 is out of range"
jq ".sysctl[\"net.ipv4.conf.$IF.rp_filter\"].value = 5" "$SNAP" >"$TMP/five.json"
RC=0; "$HAPREP" check --facts "$TMP/five.json" >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "rp_filter 5"
expect_contains "$ERR" "sysctl net.ipv4.conf.$IF.rp_filter: 5 is out of range (0..2)"
jq '.vrrp_interfaces.names += ["all"]' "$SNAP" >"$TMP/all.json"
RC=0; "$HAPREP" fix --facts "$TMP/all.json" >"$TMP/out" 2>"$TMP/err" || RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 3 "a snapshot judging 'all'"
expect_contains "$ERR" "vrrp_interfaces.names[2]"
echo "PASS: $TEST_NAME"
