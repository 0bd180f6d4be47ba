#!/usr/bin/env bash
# The built man page renders with man -l and documents every subcommand, every
# option that --help lists, every check id and the exit codes.
source "$(dirname "$0")/lib.sh"
command -v man >/dev/null || skip "man-db is not installed"
page="${HAPREP_BUILD_DIR:?}/haprep.8"
[ -f "$page" ] || fail "$page was not built (scdoc missing?)"

text=$(MANWIDTH=200 man -l "$page" 2>"$TMP/man.err" | col -b)
[ ! -s "$TMP/man.err" ] || fail "man -l warned: $(cat "$TMP/man.err")"
for section in SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES; do
    expect_contains "$text" "$section"
done

options=$("$HAPREP" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
for sub in check fix list snapshot version; do
    expect_contains "$text" "$sub"
    options+=$'\n'$("$HAPREP" "$sub" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
done
for option in $(sort -u <<<"$options"); do
    [ "$option" = "--help" ] && continue
    expect_contains "$text" "$option"
done
for id in $("$HAPREP" list --format json | jq -r '.[].id'); do
    expect_contains "$text" "$id"
done
expect_contains "$text" "NO_COLOR"
echo "PASS: $TEST_NAME"
