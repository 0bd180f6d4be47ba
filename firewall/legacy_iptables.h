#pragma once
// Legacy iptables (x_tables) rules as the nftables evaluator runs them: the text
// iptables-legacy-save / ip6tables-legacy-save prints, read into chains and rules of
// an NftRuleset (legacy = true). Base options (-p, -s, -d, -i, -o) and the verdicts
// (ACCEPT, DROP, RETURN, jumps, gotos) become the native expressions iptables-nft
// would build for them; `-m NAME ...` and other targets become compat `match` /
// `target` expressions carrying their iptables-save arguments (firewall/xt.h reads
// them). What haprep cannot read (-f, an unknown option or protocol, an address it
// cannot parse) becomes a compat match it cannot decide, never a silent match or miss.
// Pure: no kernel access. Never throws, whatever the input.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/facts.h"
#include "model/family.h"
#include "model/nft.h"

namespace haprep::firewall {

/// The chains and rules of one family's iptables-save output. Tables become tables
/// of family "ip" (ipv4) or "ip6" (ipv6); built-in chains are base chains with the
/// hook, priority and type x_tables registers them with; each rule's handle is its
/// 1-based position in its chain and its text the `-A ...` line as saved.
model::NftRuleset legacy_ruleset(const std::string& save_text, model::Family family);

/// One word of an iptables-save line, split the way iptables-restore splits it:
/// blanks separate words, double quotes group (a backslash inside them escapes the
/// next character). `begin`/`end` delimit the word in the line, quotes included.
struct SaveWord {
    std::string text;
    std::size_t begin = 0, end = 0;
    bool quoted = false;
};
std::vector<SaveWord> split_save_line(std::string_view line);

/// Facts::nft plus the legacy (x_tables) chains and rules of Facts::legacy_iptables,
/// which hook in beside nftables' and are evaluated with them.
model::NftRuleset with_legacy_rules(const model::Facts& facts);
bool has_legacy_rules(const model::Facts& facts);

}  // namespace haprep::firewall
