#pragma once
// The VRRP evaluator: runs one VRRP advert through every nf_tables base chain that
// would see it, the way the kernel does (netdev ingress on the device, then every
// prerouting, then every input base chain, each hook's chains in priority order
// across all tables and families). `accept` ends only the current base chain; a drop
// or reject anywhere drops the packet. Pure: it reads a NftRuleset from Facts.

#include <cstdint>
#include <string>
#include <vector>

#include "model/facts.h"

namespace haprep::checks {

struct VrrpPacket {
    model::Family family = model::Family::ipv4;
    std::string iifname;
    int iif = 0;
    std::string saddr, daddr;  ///< text form
    bool multicast = true;     ///< pkttype multicast (224.0.0.18 / ff02::12) or host (unicast)
    std::uint32_t ct_state = 0x08;  ///< conntrack state bit: new 0x08, established 0x02
};

struct NftStep {
    std::string chain;    ///< "inet filter input" (a base chain)
    std::string outcome;  ///< "accept", "drop", "indeterminate"
    std::string by;       ///< "rule 7: ip protocol vrrp drop" or "policy accept"
    std::string family, table, chain_name;
    std::uint64_t handle = 0;  ///< the deciding rule, 0 for the policy
    std::string deciding_chain;  ///< the chain holding that rule (may be a jumped-to chain)
};

struct NftVerdict {
    enum class Outcome { accept, drop, indeterminate } outcome = Outcome::accept;
    std::string decided_by;        ///< human text: the rule or policy that decided
    std::vector<NftStep> path;     ///< every base chain the packet went through
    std::vector<std::string> notes;  ///< "verdict depends on rate (limit)", ...
};

/// The adverts this node must receive for `instance`: multicast to 224.0.0.18 /
/// ff02::12 from each peer, unicast to our address from each peer. Without known
/// peers our own address stands in (a neighbour on the same subnet).
std::vector<VrrpPacket> vrrp_adverts(const model::FactsView& view, const model::VrrpInstance& instance);

NftVerdict evaluate_packet(const model::NftRuleset& ruleset, const VrrpPacket& packet);

const char* to_string(NftVerdict::Outcome outcome);

}  // namespace haprep::checks
