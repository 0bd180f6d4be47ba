#pragma once
// nft-like text for a rule's expressions, for evidence ("meta l4proto vrrp iifname
// \"eth0\" counter accept"). Close to what `nft list ruleset` prints for the usual
// statements; anything else is shown by expression name. Not parsed back.

#include <cstdint>
#include <string>

#include "model/nft.h"

namespace haprep::model {

/// The 32-bit register slot an expression register names: NFT_REG_1..4 (16 bytes
/// each) are slots 0, 4, 8, 12; NFT_REG32_00.. are 0..15; 0 is the verdict register
/// (-1 here).
int nft_register_slot(std::uint32_t reg);

std::string nft_rule_text(const NftRule& rule, const NftRuleset& ruleset);

/// "inet filter input" — how evidence names a chain.
std::string nft_chain_name(const std::string& family, const std::string& table, const std::string& chain);

}  // namespace haprep::model
