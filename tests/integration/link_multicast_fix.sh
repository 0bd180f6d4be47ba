#!/usr/bin/env bash
# MULTICAST off on a VRRP veth: link.multicast fails naming keepalived's refusal; the
# dry run shows the flag diff and the networkd drop-in and changes nothing; --apply
# sets the flag (and only that flag) and writes the drop-in under the temporary root;
# a second apply changes nothing. Then the same with an ifupdown stanza, and with
# nothing managing the link (runtime only, said in the plan).
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface m
ip -n "$NS" link set "$IF" multicast off
ROOT="$TMP/root"; mkdir -p "$ROOT/etc/systemd/network"
printf '[Match]\nName=%s\n\n[Network]\nAddress=192.0.2.1/24\n' "$IF" >"$ROOT/etc/systemd/network/20-vrrp.network"
DROP_IN="$ROOT/etc/systemd/network/20-vrrp.network.d/90-haprep-multicast.conf"
flags() { ip -n "$NS" -j link show dev "$IF" | jq -r '.[0].flags | join(",")'; }

run_haprep "$NS" --root "$ROOT" --interface "$IF" check --format json
expect_rc 2 "no MULTICAST in multicast mode must fail"
expect_json ".findings[] | select(.check == \"link.multicast\") | .status == \"fail\" and .fix == \"link.multicast\" and (.message | contains(\"does not support multicast, specify unicast peers - disabling\"))"

# Unicast mode does not need the flag.
run_haprep "$NS" --root "$ROOT" --interface "$IF" --mode unicast --peer 192.0.2.2 check --format json --only link.multicast
expect_rc 0 "unicast mode passes"

run_haprep "$NS" --root "$ROOT" --interface "$IF" fix
expect_rc 2
expect_contains "$OUT" "- $IF: MULTICAST off"
expect_contains "$OUT" "+ $IF: MULTICAST on"
expect_contains "$OUT" "+++ b/etc/systemd/network/20-vrrp.network.d/90-haprep-multicast.conf"
expect_contains "$OUT" "+Multicast=true"
[ "$(flags)" = "BROADCAST,UP,LOWER_UP" ] || fail "dry run changed the flags: $(flags)"
[ ! -e "$DROP_IN" ] || fail "dry run wrote the drop-in"

run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0 "after the fix the link passes"
expect_json '.changed == true and ([.changes[] | .applied and .result == "fixed"] | length == 2 and all)'
[ "$(flags)" = "BROADCAST,MULTICAST,UP,LOWER_UP" ] || fail "flags after the fix: $(flags) (only MULTICAST may change)"
grep -qx "Multicast=true" "$DROP_IN" || fail "drop-in content: $(cat "$DROP_IN")"
journal=$(ls "$ROOT"/var/lib/haprep/journal/*.json)
jq -e --arg i "$IF" '.changes[] | select(.kind == "link_multicast") | .target == $i and .before == "off" and .after == "on"' "$journal" >/dev/null || fail "journal: $(cat "$journal")"

run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0
expect_json '.changed == false and (.changes | length) == 0'

# ifupdown manages the link: a post-up line in its stanza.
ip -n "$NS" link set "$IF" multicast off
rm -rf "$ROOT/etc/systemd"
mkdir -p "$ROOT/etc/network/interfaces.d"
printf 'source /etc/network/interfaces.d/*\n' >"$ROOT/etc/network/interfaces"
printf 'auto %s\niface %s inet static\n    address 192.0.2.1/24\n' "$IF" "$IF" >"$ROOT/etc/network/interfaces.d/vrrp"
run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0
expect_json '.changed == true'
expect_json ".changes[] | select(.target == \"/etc/network/interfaces.d/vrrp\") | .diff | contains(\"+    post-up ip link set dev $IF multicast on\")"
grep -qx "    post-up ip link set dev $IF multicast on" "$ROOT/etc/network/interfaces.d/vrrp" || fail "stanza not edited"

# Nothing manages it: runtime only, and the plan says so.
ip -n "$NS" link set "$IF" multicast off
rm -rf "$ROOT/etc/network"
run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --format json
expect_json ".changes | length == 1 and (.[0].note | startswith(\"runtime only: no systemd-networkd .network file matches $IF\"))"
echo "PASS: $TEST_NAME"
