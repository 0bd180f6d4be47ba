#!/usr/bin/env bash
# fix keepalived.conf on a real configuration under a temporary root, in a namespace
# whose interface the configuration names: the dry run shows the unified diffs and
# changes nothing; --apply moves the link-local VIP to the front and removes the
# single-instance sync group from the included file that holds it, keeps every comment,
# passes keepalived -t (run by haprep before the rename, and here again after), is
# journaled; a second apply changes nothing. On an AWS snapshot with a known peer, the
# plan converts the multicast instance to unicast; with Amazon's DMI strings mounted
# over /sys/class in haprep's own mount namespace, --apply does it for real.
source "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null || skip "keepalived is not installed"

DATA="$(dirname "$0")/../data/keepalived/fix"
ns_with_vrrp_interface kf
ROOT="$TMP/root"; CONF_DIR="$ROOT/etc/keepalived"
mkdir -p "$CONF_DIR/conf.d"
sed "s/eth0/$IF/g" "$DATA/keepalived.conf" >"$CONF_DIR/keepalived.conf"
sed "s/eth0/$IF/g" "$DATA/conf.d/groups.conf" >"$CONF_DIR/conf.d/groups.conf"
cp -a "$CONF_DIR" "$TMP/original"
same_as_original() { diff -r "$TMP/original" "$CONF_DIR" >/dev/null; }
ONLY=(--only keepalived.ipv6_first_vip --only keepalived.sync_group_single)

# keepalived 2.2.7's config test itself refuses the group of one (exit 5).
rc=0; in_ns "$NS" keepalived -t -f "$CONF_DIR/keepalived.conf" 2>"$TMP/kt.err" || rc=$?
[ "$rc" -ne 0 ] && grep -q 'Sync group G_ONE has only 1 virtual router' "$TMP/kt.err" ||
    fail "keepalived -t should refuse the single-instance group before the fix (exit $rc: $(cat "$TMP/kt.err"))"

run_haprep "$NS" --root "$ROOT" check --format json "${ONLY[@]}"
expect_rc 2 "the first IPv6 VIP is global"
expect_json '.findings[] | select(.check == "keepalived.ipv6_first_vip" and .subject == "VI_6") | .status == "fail" and .fix == "keepalived.conf" and .source.line == 12'
expect_json '.findings[] | select(.check == "keepalived.sync_group_single" and .subject == "G_ONE") | .status == "warn" and .source.file == "/etc/keepalived/conf.d/groups.conf"'

run_haprep "$NS" --root "$ROOT" fix "${ONLY[@]}"
expect_rc 2
expect_contains "$OUT" "+++ b/etc/keepalived/keepalived.conf"
expect_contains "$OUT" "+        fe80::61/64          # link-local, must come first"
expect_contains "$OUT" "+++ b/etc/keepalived/conf.d/groups.conf"
expect_contains "$OUT" "-vrrp_sync_group G_ONE {"
same_as_original || fail "the dry run changed the configuration"

run_haprep "$NS" --root "$ROOT" fix --apply --format json "${ONLY[@]}"
expect_rc 0 "after the fix both checks pass: $OUT"
expect_json '.changed == true and ([.changes[] | select(.fix == "keepalived.conf" and .applied and .result == "fixed")] | length) == 2'
expect_json '[.findings[] | select(.status != "pass" and .status != "skip")] | length == 0'
# The VIP moved, its comment with it; everything else as it was.
sed -n 11,15p "$CONF_DIR/keepalived.conf" | head -2 | grep -q 'fe80::61/64 .*# link-local' || fail "fe80::61 is not first: $(cat "$CONF_DIR/keepalived.conf")"
diff <(grep -v 'fe80::61' "$TMP/original/keepalived.conf") <(grep -v 'fe80::61' "$CONF_DIR/keepalived.conf") >/dev/null ||
    fail "lines other than the moved VIP changed"
grep -q 'G_ONE' "$CONF_DIR/conf.d/groups.conf" && fail "G_ONE is still there"
grep -q '^vrrp_sync_group G_NOTIFY {' "$CONF_DIR/conf.d/groups.conf" || fail "G_NOTIFY (it has a notify script) must stay"
grep -q '^# sync groups' "$CONF_DIR/conf.d/groups.conf" || fail "the comment went missing"
in_ns "$NS" keepalived -t -f "$CONF_DIR/keepalived.conf" || fail "keepalived -t rejects the fixed configuration"
grep -q '"target": "/etc/keepalived/conf.d/groups.conf"' "$ROOT"/var/lib/haprep/journal/*.json || fail "the journal does not hold the edit"

cp -a "$CONF_DIR" "$TMP/fixed"
run_haprep "$NS" --root "$ROOT" fix --apply --format json "${ONLY[@]}"
expect_rc 0
expect_json '.changed == false and (.changes | length) == 0'
diff -r "$TMP/fixed" "$CONF_DIR" >/dev/null || fail "the second apply changed the configuration"

# Multicast on AWS (a snapshot: DMI is always read live) with the peer known: the
# plan adds unicast_src_ip (our address on the interface) and a unicast_peer block.
run_haprep "$NS" --root "$ROOT" --peer 192.0.2.2 snapshot
jq '.platform = {"value": {"sys_vendor": "Amazon EC2", "product_name": "m5.large", "bios_vendor": "Amazon EC2", "chassis_asset_tag": ""}}' \
    <<<"$OUT" >"$TMP/aws.json"
run_haprep "$NS" --root "$ROOT" --facts "$TMP/aws.json" fix --only env.multicast
expect_rc 2 "multicast on AWS fails"
expect_contains "$OUT" "+    unicast_src_ip 192.0.2.1"
expect_contains "$OUT" "+    unicast_peer {"
expect_contains "$OUT" "+        192.0.2.2"
diff -r "$TMP/fixed" "$CONF_DIR" >/dev/null || fail "a dry run on a snapshot changed the configuration"

# The same live: haprep reads DMI from /sys/class/dmi/id, so in a private mount
# namespace of its own a directory with Amazon's strings is bound over /sys/class
# (with the namespace's /sys/class/net kept: keepalived -t looks at it). The host's
# /sys is never touched.
FAKE="$TMP/sysclass"; mkdir -p "$FAKE/dmi/id" "$FAKE/net"
printf 'Amazon EC2\n' >"$FAKE/dmi/id/sys_vendor"; printf 'Amazon EC2\n' >"$FAKE/dmi/id/bios_vendor"
printf 'm5.large\n' >"$FAKE/dmi/id/product_name"; : >"$FAKE/dmi/id/chassis_asset_tag"
run_haprep_on_aws() {
    RC=0
    in_ns "$NS" unshare -m --propagation private sh -c \
        'mount --bind /sys/class/net "$1/net" && mount --bind "$1" /sys/class && shift && exec "$@"' \
        sh "$FAKE" "$HAPREP" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
}
run_haprep_on_aws --root "$ROOT" --peer 192.0.2.2 check --format json --only env.multicast
expect_rc 2 "multicast on (mounted) AWS fails"
expect_json '.findings[] | select(.subject == "VI_4") | .status == "fail" and (.evidence | tostring | contains("Amazon EC2"))'
# DMI that is there but cannot be read (an attribute that is a directory) may name a
# cloud: unknown, not skip (only a host without DMI, a container, skips).
mv "$FAKE/dmi/id/sys_vendor" "$TMP/sys_vendor"; mkdir "$FAKE/dmi/id/sys_vendor"
run_haprep_on_aws --root "$ROOT" --peer 192.0.2.2 check --format json --only env.multicast
expect_rc 3 "unreadable DMI is unknown"
expect_json '(.findings | length) == 1 and .findings[0].status == "unknown" and (.findings[0].message | contains("sys_vendor: Is a directory"))'
rmdir "$FAKE/dmi/id/sys_vendor"; mv "$TMP/sys_vendor" "$FAKE/dmi/id/sys_vendor"
run_haprep_on_aws --root "$ROOT" --peer 192.0.2.2 fix --apply --format json --only env.multicast
expect_json '.changed == true and (.changes[] | select(.target == "/etc/keepalived/keepalived.conf") | .applied and .result == "fixed")'
expect_json '.findings[] | select(.subject == "VI_4") | .status == "pass"'
grep -A3 'unicast_src_ip 192.0.2.1' "$CONF_DIR/keepalived.conf" | grep -q '192.0.2.2' || fail "VI_4 is not unicast: $(cat "$CONF_DIR/keepalived.conf")"
in_ns "$NS" keepalived -t -f "$CONF_DIR/keepalived.conf" || fail "keepalived -t rejects the unicast configuration"
cp -a "$CONF_DIR" "$TMP/unicast"
run_haprep_on_aws --root "$ROOT" --peer 192.0.2.2 fix --apply --format json --only env.multicast
expect_json '.changed == false'
diff -r "$TMP/unicast" "$CONF_DIR" >/dev/null || fail "the second apply changed the configuration"
echo "PASS: $TEST_NAME"
