#pragma once
// Hand-made Facts for the unit tests: a host with IPv4 multicast VRRP on eth0
// (192.0.2.10/24, fe80::10/64) and the given runtime rp_filter values.

#include "model/facts.h"

namespace haprep::testing {

inline model::Interface link(const std::string& name, int index, bool multicast = true) {
    model::Interface iface;
    iface.name = name;
    iface.index = index;
    iface.up = iface.running = iface.lower_up = true;
    iface.loopback = name == "lo";
    iface.multicast = multicast;
    iface.operstate = iface.loopback ? "unknown" : "up";
    iface.mtu = iface.loopback ? 65536 : 1500;
    return iface;
}

inline model::Address address(const std::string& interface, int index, model::Family family,
                              const std::string& text, int prefix) {
    model::Address a;
    a.interface = interface;
    a.index = index;
    a.family = family;
    a.address = text;
    a.prefix = prefix;
    a.scope = text.rfind("fe80", 0) == 0 ? 253 : 0;
    a.permanent = true;
    return a;
}

inline model::VrrpInstance instance(const std::string& interface, model::Family family,
                                    model::VrrpMode mode = model::VrrpMode::multicast,
                                    std::vector<std::string> peers = {}) {
    return {"", interface, family, mode, std::move(peers), "test fixture"};
}

inline model::Facts rp_filter_facts(int all, int eth0, int default_value = 0) {
    using model::Family;
    model::Facts facts;
    facts.host = "node1";
    facts.interfaces = model::Fact<std::vector<model::Interface>>::known({link("lo", 1, false), link("eth0", 2)});
    facts.addresses = model::Fact<std::vector<model::Address>>::known(
        {address("eth0", 2, Family::ipv4, "192.0.2.10", 24), address("eth0", 2, Family::ipv6, "fe80::10", 64)});
    facts.vrrp.names = {"eth0"};
    facts.vrrp.source = "--interface";
    facts.vrrp.instances = {instance("eth0", Family::ipv4)};
    facts.sysctl["net.ipv4.conf.all.rp_filter"] = model::Fact<int>::known(all);
    facts.sysctl["net.ipv4.conf.default.rp_filter"] = model::Fact<int>::known(default_value);
    facts.sysctl["net.ipv4.conf.eth0.rp_filter"] = model::Fact<int>::known(eth0);
    facts.boot_sysctl = model::Fact<model::BootSysctl>::known({});
    facts.network_config = model::Fact<model::NetworkConfig>::known({});
    return facts;
}

inline model::SysctlAssignment assignment(const std::string& key, const std::string& value,
                                          const std::string& file, int line) {
    return {key, "", value, file, file, line};
}

}  // namespace haprep::testing
