#!/usr/bin/env bash
# Strict rp_filter on a VRRP interface whose peer is routed back through another
# interface: check fails naming the peer and the route, the dry run shows the diff and
# changes nothing, --apply loosens it at runtime in the namespace and persists it in
# a drop-in under the temporary root, a second apply changes nothing, check passes.
source "$(dirname "$0")/lib.sh"
require_root

HOST_ALL=$(sysctl -n net.ipv4.conf.all.rp_filter)
ns_with_vrrp_interface a
asymmetric_peer
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$IF.rp_filter=1"
ROOT="$TMP/root"; mkdir -p "$ROOT/etc/sysctl.d"
# A conflicting boot setting that procps applies last: the fix must comment it out.
printf '# site settings\nnet.ipv4.conf.%s.rp_filter = 1\nvm.swappiness = 10\n' "$IF" >"$ROOT/etc/sysctl.conf"
cp "$ROOT/etc/sysctl.conf" "$TMP/sysctl.conf.orig"

# check: exit 2, a sysctl.rp_filter fail naming the interface.
run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" check --format json
expect_rc 2 "strict rp_filter must fail"
expect_json '.schema == "haprep/1" and .status == "fail" and .changed == false'
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\" and .subject == \"$IF\") | .status == \"fail\" and .observed == \"1\" and .fix == \"sysctl.rp_filter\""
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\") | (.message | contains(\"drops VRRP adverts from $PEER\") and contains(\"leaves via $SIDE_IF\")) and .evidence[\"route back to $PEER\"] == \"$PEER dev $SIDE_IF src 192.0.2.1\""

# fix (dry run): shows the runtime diff and the file diffs, changes nothing.
run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" fix
expect_rc 2 "dry run reports the host as it is"
expect_contains "$OUT" "- net.ipv4.conf.$IF.rp_filter = 1"
expect_contains "$OUT" "+ net.ipv4.conf.$IF.rp_filter = 2"
expect_contains "$OUT" "+++ b/etc/sysctl.d/90-haprep-rp-filter.conf"
expect_contains "$OUT" "-net.ipv4.conf.$IF.rp_filter = 1"
[ "$(in_ns "$NS" sysctl -n "net.ipv4.conf.$IF.rp_filter")" = 1 ] || fail "dry run changed the runtime value"
[ ! -e "$ROOT/etc/sysctl.d/90-haprep-rp-filter.conf" ] || fail "dry run wrote the drop-in"
cmp -s "$ROOT/etc/sysctl.conf" "$TMP/sysctl.conf.orig" || fail "dry run edited sysctl.conf"
[ ! -e "$ROOT/var/lib/haprep" ] || fail "dry run wrote a journal"

# fix --apply: runtime 2 in this namespace, drop-in in the temporary root, journal.
run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" fix --apply --format json
expect_rc 0 "after the fix the host passes"
expect_json '.changed == true and .command == "fix --apply" and .status == "pass"'
expect_json '[.changes[] | .applied and .result == "fixed"] | length == 3 and all'
[ "$(in_ns "$NS" sysctl -n "net.ipv4.conf.$IF.rp_filter")" = 2 ] || fail "runtime value not 2"
[ "$(sysctl -n net.ipv4.conf.all.rp_filter)" = "$HOST_ALL" ] || fail "the host's own sysctl changed"
grep -qx "net.ipv4.conf.$IF.rp_filter = 2" "$ROOT/etc/sysctl.d/90-haprep-rp-filter.conf" || fail "drop-in missing the key"
grep -q "^# net.ipv4.conf.$IF.rp_filter = 1  # disabled by haprep" "$ROOT/etc/sysctl.conf" || fail "sysctl.conf line not commented out"
grep -qx "vm.swappiness = 10" "$ROOT/etc/sysctl.conf" || fail "other sysctl.conf lines must stay"
journal=$(ls "$ROOT"/var/lib/haprep/journal/*.json)
jq -e --arg k "net.ipv4.conf.$IF.rp_filter" '.state == "applied" and (.changes[] | select(.target == $k) | .before == "1" and .after == "2")' "$journal" >/dev/null || fail "journal lacks the old value"

# second apply: nothing planned, changed false.
run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" fix --apply --format json
expect_rc 0
expect_json '.changed == false and (.changes | length) == 0'

# check: exit 0, and the boot configuration agrees with runtime.
run_haprep "$NS" --root "$ROOT" --interface "$IF" --peer "$PEER" check --format json
expect_rc 0 "check after fix"
# Every registered check reports; firewalld is not running and there is no
# keepalived.conf, so those skip (env.multicast passes or skips: DMI is the host's).
CHECKS=$("$HAPREP" list --format json | jq length)
expect_json "([.findings[] | select(.check | test(\"^(firewalld|keepalived|env)[.]\") | not) | .status == \"pass\"] | all) and ([.findings[] | select(.check | test(\"^(firewalld|keepalived)[.]\")) | .status == \"skip\"] | all) and ([.findings[] | select(.check == \"env.multicast\") | .status == \"skip\" or .status == \"pass\"] | all) and ([.findings[].check] | unique | length == $CHECKS)"
echo "PASS: $TEST_NAME"
