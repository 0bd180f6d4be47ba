#pragma once
// nft.vrrp's rules in iptables-persistent's boot files. On a Debian host that runs
// iptables (iptables-nft) with iptables-persistent, /etc/iptables/rules.v4 and
// rules.v6 are what iptables-restore loads at boot: a rule inserted only at runtime
// into `ip filter INPUT` is gone after the next reboot. So the rule goes into the
// file too, in iptables-save syntax, as the first rule of its chain.

#include <optional>
#include <string>
#include <vector>

#include "model/facts.h"
#include "model/nft.h"
#include "model/plan.h"

namespace haprep::fixes {

/// For every nft_insert_rule change of family ip (rules.v4) or ip6 (rules.v6) whose
/// table and chain the file defines (`*TABLE` section, `:CHAIN` line): the rule as
/// `-A CHAIN ...`, before the chain's first `-A CHAIN` line (or the section's COMMIT
/// when it has none). One file_write change per edited file, validated with
/// `iptables-restore --test` / `ip6tables-restore --test` (model::IptablesRestoreTest).
/// A rule already in the file is not added again. The runtime change's
/// note says where its rule went, or why it did not go into the file.
void persist_iptables(const model::Facts& facts, std::vector<model::Change>& changes);

/// haprep's VRRP rule (fixes/nft_vrrp.cpp) as an iptables-save line: `-A CHAIN -i IF
/// [-s PEER/32] [-d GROUP/32] -p vrrp -m comment --comment "..." -j ACCEPT` (/128 for
/// ip6; `-o IF` for an outbound rule). Only the expressions that rule has are understood: anything else gives
/// nothing, and `why` says what could not be written.
std::optional<std::string> iptables_rule_line(const model::NftRule& rule, std::string& why);

}  // namespace haprep::fixes
