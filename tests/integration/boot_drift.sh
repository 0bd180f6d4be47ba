#!/usr/bin/env bash
# The boot configuration, read from a fixture sysctl.d tree under --root, would set
# strict rp_filter although runtime is loose: sysctl.rp_filter_boot warns naming
# file:line (masking and globs as systemd-sysctl applies them), and the fix writes a
# drop-in that sorts after the conflicting file.
source "$(dirname "$0")/lib.sh"
require_root

ns_with_vrrp_interface d
in_ns "$NS" sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$IF.rp_filter=2"

ROOT="$TMP/root"
mkdir -p "$ROOT/etc/sysctl.d" "$ROOT/usr/lib/sysctl.d"
# A glob that would be fine, and a strict file in /usr/lib masked by /etc.
# As systemd ships it: the glob, with `all` excluded by the "-" prefix.
printf 'net.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n' >"$ROOT/usr/lib/sysctl.d/50-default.conf"
printf 'net.ipv4.conf.%s.rp_filter = 1\n' "$IF" >"$ROOT/usr/lib/sysctl.d/60-masked.conf"
printf '# nothing here\n' >"$ROOT/etc/sysctl.d/60-masked.conf"
# The real conflict, on line 3, in a file that sorts after 90-*.
printf '# hardening\n\nnet.ipv4.conf.%s.rp_filter = 1\n' "$IF" >"$ROOT/etc/sysctl.d/95-hardening.conf"

run_haprep "$NS" --root "$ROOT" --interface "$IF" check --format json
expect_rc 1 "boot drift is a warning"
expect_json '.status == "warn"'
expect_json ".findings[] | select(.check == \"sysctl.rp_filter\") | .status == \"pass\""
expect_json ".findings[] | select(.check == \"sysctl.rp_filter_boot\") | .status == \"warn\" and .source.file == \"/etc/sysctl.d/95-hardening.conf\" and .source.line == 3"
expect_json ".findings[] | select(.check == \"sysctl.rp_filter_boot\") | .message | contains(\"/etc/sysctl.d/95-hardening.conf:3\")"

# Without the conflicting file the glob from /usr/lib wins: no drift.
mv "$ROOT/etc/sysctl.d/95-hardening.conf" "$TMP/95-hardening.conf"
run_haprep "$NS" --root "$ROOT" --interface "$IF" check --format json
expect_rc 0 "glob sets 2, runtime 2"
mv "$TMP/95-hardening.conf" "$ROOT/etc/sysctl.d/95-hardening.conf"

# The fix persists 2 in a drop-in named after 95-hardening.conf; no runtime change.
run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0 "drift fixed"
expect_json '.changed == true and ([.changes[].target] == ["/etc/sysctl.d/99-zz-haprep-rp-filter.conf"])'
grep -qx "net.ipv4.conf.$IF.rp_filter = 2" "$ROOT/etc/sysctl.d/99-zz-haprep-rp-filter.conf" || fail "drop-in content"
grep -qx "net.ipv4.conf.$IF.rp_filter = 1" "$ROOT/etc/sysctl.d/95-hardening.conf" || fail "other files are not edited"

run_haprep "$NS" --root "$ROOT" --interface "$IF" fix --apply --format json
expect_rc 0
expect_json '.changed == false'
echo "PASS: $TEST_NAME"
