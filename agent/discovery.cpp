#include "agent/discovery.h"

#include <arpa/inet.h>

namespace haprep::agent {

namespace {

using model::Family;

bool is_family(const std::string& address, Family family) {
    unsigned char buffer[16];
    return ::inet_pton(family == Family::ipv4 ? AF_INET : AF_INET6, address.c_str(), buffer) == 1;
}

/// The families to judge on `interface`, and why.
std::vector<std::pair<Family, std::string>> families_for(const GlobalOptions& options,
                                                         const model::FactsView& probed,
                                                         const std::string& interface) {
    if (options.family == "ipv4") return {{Family::ipv4, "--family ipv4"}};
    if (options.family == "ipv6") return {{Family::ipv6, "--family ipv6"}};
    if (options.family == "both")
        return {{Family::ipv4, "--family both"}, {Family::ipv6, "--family both"}};
    std::vector<std::pair<Family, std::string>> families;
    for (Family family : {Family::ipv4, Family::ipv6}) {
        const char* name = family == Family::ipv4 ? "IPv4" : "IPv6";
        bool peer_of_family = false;
        for (const auto& peer : options.peers) peer_of_family = peer_of_family || is_family(peer, family);
        if (peer_of_family)
            families.emplace_back(family, std::string("an ") + name + " --peer");
        else if (!probed.addresses(interface, family).empty())
            families.emplace_back(family, interface + " has " + name + " addresses (no --family)");
    }
    // An interface without any address still runs VRRP for IPv4, keepalived's default.
    if (families.empty()) families.emplace_back(Family::ipv4, interface + " has no addresses; IPv4 assumed");
    return families;
}

}  // namespace

model::VrrpInterfaces discover_vrrp(const GlobalOptions& options, const model::Facts& probed) {
    model::VrrpInterfaces vrrp;
    if (!options.interfaces.empty()) {
        vrrp.names = options.interfaces;
        vrrp.source = "--interface";
    } else {
        vrrp.source = "every non-loopback interface that is UP";
        if (probed.interfaces.ok())
            for (const auto& iface : *probed.interfaces.value)
                if (iface.up && !iface.loopback) vrrp.names.push_back(iface.name);
    }
    const model::FactsView view(probed);
    const auto mode = options.mode == "unicast" ? model::VrrpMode::unicast : model::VrrpMode::multicast;
    for (const auto& name : vrrp.names) {
        for (const auto& [family, why] : families_for(options, view, name)) {
            model::VrrpInstance instance;
            instance.interface = name;
            instance.family = family;
            instance.mode = mode;
            for (const auto& peer : options.peers)
                if (is_family(peer, family)) instance.peers.push_back(peer);
            instance.source = why + ", --mode " + options.mode;
            vrrp.instances.push_back(std::move(instance));
        }
    }
    return vrrp;
}

}  // namespace haprep::agent
