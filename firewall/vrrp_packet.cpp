#include "firewall/vrrp_packet.h"

#include <algorithm>

#include "model/ip.h"

namespace haprep::firewall {

namespace {

/// The addresses a peer node advertises from on the segment of `instance`: the
/// matching instance's (same VRID and family) unicast_src_ip, else its addresses on
/// that instance's interface (IPv4: not link-local; IPv6: link-local, as VRRPv3 sends).
std::vector<std::string> peer_sources(const model::Facts& facts, const model::VrrpInstance& instance) {
    std::vector<std::string> sources;
    if (!facts.keepalived.ok()) return sources;
    const model::KeepalivedInstance* ours = nullptr;
    for (const auto& k : facts.keepalived.value->instances)
        if (k.name == instance.name) ours = &k;
    if (!ours) return sources;
    for (const auto& peer : facts.peers) {
        for (const auto& theirs : peer.conf.instances) {
            if (theirs.virtual_router_id != ours->virtual_router_id || model::instance_family(theirs) != instance.family) continue;
            if (!theirs.unicast_src_ip.empty()) {
                sources.push_back(theirs.unicast_src_ip);
                continue;
            }
            for (const auto& a : peer.addresses) {
                // IPv4 adverts come from any address, IPv6 ones from a link-local one.
                if (a.interface == theirs.interface && a.family == instance.family &&
                    (instance.family == model::Family::ipv4 ||
                     model::is_link_local(a.address, model::Family::ipv6)))
                    sources.push_back(a.address);
            }
        }
    }
    return sources;
}

}  // namespace

std::vector<VrrpPacket> vrrp_adverts(const model::FactsView& view, const model::VrrpInstance& instance) {
    const bool v4 = instance.family == model::Family::ipv4;
    // Our own addresses on the interface: the unicast destination, and what the
    // evaluator knows the peer's source is not. keepalived's VIPs are not among them
    // as a source, but they are ours.
    std::vector<std::string> own;
    std::string destination;
    for (const auto* a : view.addresses(instance.interface, instance.family)) {
        own.push_back(a->address);
        if (destination.empty() && (v4 || model::is_link_local(a->address, model::Family::ipv6)))
            destination = a->address;
    }
    if (destination.empty()) destination = v4 ? "192.0.2.1" : "fe80::1";  // no address: unicast needs one to arrive at all
    const auto* iface = view.interface(instance.interface);
    std::vector<std::string> sources = instance.peers;
    if (sources.empty()) sources = peer_sources(view.facts(), instance);
    std::vector<VrrpPacket> packets;
    auto add = [&](const std::string& source) {
        VrrpPacket p;
        p.family = instance.family;
        p.iifname = instance.interface;
        p.iif = iface ? iface->index : 0;
        p.saddr = source;
        p.own_addresses = own;
        p.multicast = instance.mode == model::VrrpMode::multicast;
        p.daddr = p.multicast ? (v4 ? "224.0.0.18" : "ff02::12") : destination;
        for (const auto& rp : view.facts().reverse_paths)
            if (rp.interface == instance.interface && rp.peer == source && rp.route.ok() && rp.route.value->reachable)
                p.reverse_path_via_iif = rp.route.value->interface == instance.interface;
        packets.push_back(std::move(p));
    };
    for (const auto& source : sources)
        if (std::find(own.begin(), own.end(), source) == own.end()) add(source);
    if (packets.empty()) add("");  // no known peer: the source is unknown
    return packets;
}

std::vector<VrrpPacket> vrrp_adverts_out(const model::FactsView& view, const model::VrrpInstance& instance) {
    const bool v4 = instance.family == model::Family::ipv4;
    const auto& facts = view.facts();
    std::vector<std::string> vips;
    std::string source;
    if (facts.keepalived.ok())
        for (const auto& k : facts.keepalived.value->instances) {
            for (const auto& vip : k.vips) vips.push_back(vip.address);
            if (k.name == instance.name && !instance.name.empty() && v4) source = k.unicast_src_ip;
        }
    for (const auto* a : view.addresses(instance.interface, instance.family)) {
        const bool vip = std::find(vips.begin(), vips.end(), a->address) != vips.end();
        if (source.empty() && !vip && (v4 || model::is_link_local(a->address, model::Family::ipv6)))
            source = a->address;
    }
    if (source.empty()) source = v4 ? "192.0.2.1" : "fe80::1";  // none: addr.* says so; any source will do here
    const auto* iface = view.interface(instance.interface);
    std::vector<std::string> destinations;
    if (instance.mode == model::VrrpMode::multicast) destinations.push_back(v4 ? "224.0.0.18" : "ff02::12");
    else destinations = instance.peers;
    std::vector<VrrpPacket> packets;
    for (const auto& destination : destinations) {
        VrrpPacket p;
        p.outbound = true;
        p.family = instance.family;
        p.iifname = instance.interface;
        p.iif = iface ? iface->index : 0;
        p.saddr = source;
        p.daddr = destination;
        p.own_addresses = {source};
        p.multicast = instance.mode == model::VrrpMode::multicast;
        packets.push_back(std::move(p));
    }
    return packets;
}

double advert_rate(const model::Facts& facts, const model::FactsView& view, const model::VrrpInstance& instance) {
    double rate = 0;
    for (const auto& other : view.instances(instance.interface)) {
        if (other.family != instance.family) continue;
        long cs = 100;
        if (facts.keepalived.ok())
            for (const auto& k : facts.keepalived.value->instances)
                if (k.name == other.name && !other.name.empty())
                    cs = model::effective_advert_cs(*facts.keepalived.value, k).value_or(100);
        const auto peers = std::max<std::size_t>(1, vrrp_adverts(view, other).size());
        rate += static_cast<double>(peers) * 100.0 / static_cast<double>(std::max(1L, cs));
    }
    return rate;
}

}  // namespace haprep::firewall
