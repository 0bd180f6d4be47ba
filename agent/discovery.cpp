#include "agent/discovery.h"

#include <algorithm>

#include "agent/names.h"
#include "model/ip.h"
#include "model/text.h"

namespace haprep::agent {

namespace {

using model::Family;

bool is_family(const std::string& address, Family family) { return model::address_family(address) == family; }

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

/// Without a configuration: --interface (or every UP interface), --family, --mode, --peer.
model::VrrpInterfaces discover_from_options(const GlobalOptions& options, const model::Facts& probed,
                                            const std::vector<std::string>& names_given);

/// The instances of keepalived.conf, with the options' overrides applied. Empty when
/// there is no configuration or no instance names an interface. An instance whose
/// interface is not an interface name (`all`, `default`, `a/b`, too long, control
/// characters) is neither judged nor planned for: keepalived.interface reports it (no
/// such interface here), and nothing may ever reach net.ipv4.conf.all through it.
/// `invalid` counts them.
model::VrrpInterfaces from_keepalived(const GlobalOptions& options, const model::KeepalivedConf& conf,
                                      int& invalid) {
    model::VrrpInterfaces vrrp;
    auto wanted = [&](const std::string& name) {
        return options.interfaces.empty() ||
               std::find(options.interfaces.begin(), options.interfaces.end(), name) != options.interfaces.end();
    };
    for (const auto& in : conf.instances) {
        if (in.interface.empty() || !wanted(in.interface)) continue;
        if (!interface_name_problem(in.interface).empty()) {
            ++invalid;
            continue;
        }
        std::vector<Family> families = {model::instance_family(in)};
        if (options.family == "ipv4") families = {Family::ipv4};
        if (options.family == "ipv6") families = {Family::ipv6};
        if (options.family == "both") families = {Family::ipv4, Family::ipv6};
        for (Family family : families) {
            model::VrrpInstance instance;
            instance.name = in.name;
            instance.interface = in.interface;
            instance.family = family;
            instance.mode = in.unicast_peers.empty() ? model::VrrpMode::multicast : model::VrrpMode::unicast;
            if (!options.mode.empty())
                instance.mode = options.mode == "unicast" ? model::VrrpMode::unicast : model::VrrpMode::multicast;
            for (const auto& peer : in.unicast_peers) {
                const std::string address = model::first_word(peer.text);
                if (is_family(address, family)) instance.peers.push_back(address);
            }
            for (const auto& peer : options.peers)
                if (is_family(peer, family) &&
                    std::find(instance.peers.begin(), instance.peers.end(), peer) == instance.peers.end())
                    instance.peers.push_back(peer);
            instance.source = in.block.at.file + ":" + std::to_string(in.block.at.line) + " (vrrp_instance " +
                              in.name + ")";
            vrrp.instances.push_back(std::move(instance));
        }
        if (std::find(vrrp.names.begin(), vrrp.names.end(), in.interface) == vrrp.names.end())
            vrrp.names.push_back(in.interface);
    }
    vrrp.source = conf.path;
    return vrrp;
}

}  // namespace

model::VrrpInterfaces discover_vrrp(const GlobalOptions& options, const model::Facts& probed) {
    if (probed.keepalived.ok()) {
        int invalid = 0;
        auto vrrp = from_keepalived(options, *probed.keepalived.value, invalid);
        if (!vrrp.names.empty() || invalid > 0) {
            // An --interface the configuration does not name is still judged, as before.
            for (const auto& name : options.interfaces)
                if (std::find(vrrp.names.begin(), vrrp.names.end(), name) == vrrp.names.end()) {
                    auto extra = discover_from_options(options, probed, {name});
                    vrrp.names.push_back(name);
                    vrrp.instances.insert(vrrp.instances.end(), extra.instances.begin(), extra.instances.end());
                }
            if (!options.interfaces.empty()) vrrp.source += " and --interface";
            return vrrp;
        }
    }
    return discover_from_options(options, probed, options.interfaces);
}

namespace {

model::VrrpInterfaces discover_from_options(const GlobalOptions& options, const model::Facts& probed,
                                            const std::vector<std::string>& names_given) {
    model::VrrpInterfaces vrrp;
    if (!names_given.empty()) {
        vrrp.names = names_given;
        vrrp.source = "--interface";
    } else {
        vrrp.source = "every non-loopback interface that is UP";
        if (probed.interfaces.ok())
            for (const auto& iface : *probed.interfaces.value)
                if (iface.up && !iface.loopback) vrrp.names.push_back(iface.name);
    }
    const model::FactsView view(probed);
    const auto mode = options.mode == "unicast" ? model::VrrpMode::unicast : model::VrrpMode::multicast;
    const std::string mode_source = options.mode.empty() ? "multicast (no --mode)" : "--mode " + options.mode;
    for (const auto& name : vrrp.names) {
        for (const auto& [family, why] : families_for(options, view, name)) {
            model::VrrpInstance instance;
            instance.interface = name;
            instance.family = family;
            instance.mode = mode;
            for (const auto& peer : options.peers)
                if (is_family(peer, family)) instance.peers.push_back(peer);
            instance.source = why + ", " + mode_source;
            vrrp.instances.push_back(std::move(instance));
        }
    }
    return vrrp;
}

}  // namespace
}  // namespace haprep::agent
