#!/usr/bin/env bash
# nft.vrrp persistence: the table is defined in the nftables configuration under the
# temporary root, so the fix inserts the same rule in that chain's block of the file,
# checked by `nft -c -f` before the rename, shown as a unified diff. A file nft would
# reject is left untouched and the runtime rule is rolled back: nothing half-applied.
source "$(dirname "$0")/lib.sh"
require_root
command -v nft >/dev/null || skip "nft (nftables) is not installed"

ns_with_vrrp_interface p
ROOT="$TMP/root"; mkdir -p "$ROOT/etc"
cat >"$ROOT/etc/nftables.conf" <<'NFT'
#!/usr/sbin/nft -f
flush ruleset

table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		tcp dport 22 accept # ssh
	}
}
NFT
cp "$ROOT/etc/nftables.conf" "$TMP/nftables.conf.orig"
in_ns "$NS" nft -f "$ROOT/etc/nftables.conf"

run_haprep "$NS" --root "$ROOT" --interface "$IF" --family ipv4 --only nft.vrrp fix
expect_rc 2
expect_contains "$OUT" "+ nft insert rule inet filter input meta l4proto vrrp iifname \"$IF\" ip daddr 224.0.0.18 counter accept"
expect_contains "$OUT" "+++ b/etc/nftables.conf"
expect_contains "$OUT" "+		meta l4proto vrrp iifname \"$IF\" ip daddr 224.0.0.18 counter accept comment \"haprep: allow VRRP on $IF\""
cmp -s "$ROOT/etc/nftables.conf" "$TMP/nftables.conf.orig" || fail "dry run edited the file"

run_haprep "$NS" --root "$ROOT" --interface "$IF" --family ipv4 --only nft.vrrp fix --apply --format json
expect_rc 0
expect_json '[.changes[] | .result == "fixed"] | all and length == 2'
expect_json '.changes[0].note == "also added to /etc/nftables.conf, which loads it at boot"'
grep -qF "meta l4proto vrrp iifname \"$IF\" ip daddr 224.0.0.18 counter accept comment \"haprep: allow VRRP on $IF\"" "$ROOT/etc/nftables.conf" ||
    fail "rule missing from the file: $(cat "$ROOT/etc/nftables.conf")"
journal=$(ls "$ROOT"/var/lib/haprep/journal/*.json)
jq -e '.state == "applied" and (.changes[0].kind == "nft_insert_rule") and ((.changes[0].after | fromjson).rule.handle > 0)' "$journal" >/dev/null ||
    fail "the journal must record the new rule's handle: $(cat "$journal")"
# The file as edited loads and keeps VRRP in: flush and reload it, then check again.
in_ns "$NS" nft -f "$ROOT/etc/nftables.conf"
run_haprep "$NS" --root "$ROOT" --interface "$IF" --family ipv4 --only nft.vrrp check --format json
expect_rc 0 "the reloaded file lets VRRP in"
[ "$(in_ns "$NS" nft list ruleset | grep -c 'haprep: allow VRRP')" = 1 ] || fail "exactly one haprep rule after reload"

# A file nft rejects (a jump to a chain it does not define): nothing is changed.
cat >"$ROOT/etc/nftables.conf" <<'NFT'
flush ruleset
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		jump missing_chain
	}
}
NFT
cp "$ROOT/etc/nftables.conf" "$TMP/broken.orig"
in_ns "$NS" nft flush ruleset
printf 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n' | in_ns "$NS" nft -f -
before=$(in_ns "$NS" nft list ruleset)
run_haprep "$NS" --root "$ROOT" --interface "$IF" --family ipv4 --only nft.vrrp fix --apply --format json
expect_rc 3 "a rejected edit fails the apply"
expect_contains "$ERR" "nft -c -f rejects the edited /etc/nftables.conf"
expect_json '[.changes[] | select(.kind == null)] | length == 2'
expect_json '.changes[0].result == "rolled back"'
cmp -s "$ROOT/etc/nftables.conf" "$TMP/broken.orig" || fail "the rejected file was changed"
[ "$(in_ns "$NS" nft list ruleset)" = "$before" ] || fail "the runtime rule was not rolled back"
ls "$ROOT/etc/" | grep haprep-check >/dev/null && fail "temporary check file left behind"
echo "PASS: $TEST_NAME"
