#pragma once
// The packet a VRRP advert is, as the firewall evaluators (nft_eval, firewalld_eval)
// take it, and the adverts a VRRP instance receives and sends, built from Facts.
// Checks and planners both ask "is this advert let through?" with these. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/facts.h"

namespace haprep::firewall {

/// One VRRP advert, as the evaluators run it through the firewall.
struct VrrpPacket {
    model::Family family = model::Family::ipv4;
    std::string iifname;
    int iif = 0;
    /// Text form. An empty saddr means the peer is not known: every rule that depends
    /// on the source is evaluated both ways (it is never one of `own_addresses`).
    std::string saddr, daddr;
    bool multicast = true;     ///< pkttype multicast (224.0.0.18 / ff02::12) or host (unicast)
    std::uint32_t ct_state = 0x08;  ///< conntrack state bit: new 0x08, established 0x02
    std::vector<std::string> own_addresses;  ///< this node's addresses (addrtype LOCAL; never the source)
    /// The reverse-path answer for saddr (fib saddr . iif): true when the route back
    /// leaves through iif, false when through another device, nullopt when not known.
    std::optional<bool> reverse_path_via_iif;
    /// This node's own advert on its way out (output, postrouting, netdev egress):
    /// iifname is then the interface it leaves through, saddr ours, daddr the group
    /// or the unicast peer.
    bool outbound = false;
};

/// The adverts this node must receive for `instance`: multicast to 224.0.0.18 /
/// ff02::12 from each peer, unicast to our address from each peer. The peers are the
/// instance's own (unicast_peer, --peer), else the matching instance of each
/// --peer-conf / --peer-facts node (its unicast_src_ip or its addresses on the
/// segment). Never this node's own address: without a known peer the one advert has
/// an unknown source (empty saddr).
std::vector<VrrpPacket> vrrp_adverts(const model::FactsView& view, const model::VrrpInstance& instance);

/// The adverts this node sends for `instance`: from its own address (IPv4: the first
/// that is not a keepalived VIP, or unicast_src_ip; IPv6: its link-local address) to
/// the group, or to each unicast peer.
std::vector<VrrpPacket> vrrp_adverts_out(const model::FactsView& view, const model::VrrpInstance& instance);

/// Adverts per second this node receives on the instance's interface and family:
/// every instance there (its advert_int), from each of its peers (one when none is known).
double advert_rate(const model::Facts& facts, const model::FactsView& view, const model::VrrpInstance& instance);

}  // namespace haprep::firewall
