#include "model/facts.h"

#include <algorithm>

namespace haprep::model {

std::string ipv4_conf_key(const std::string& interface, const std::string& setting) {
    std::string name = interface;
    std::replace(name.begin(), name.end(), '.', '/');
    return "net.ipv4.conf." + name + "." + setting;
}

const char* to_string(Family family) { return family == Family::ipv4 ? "ipv4" : "ipv6"; }

const char* to_string(VrrpMode mode) {
    return mode == VrrpMode::multicast ? "multicast" : "unicast";
}

const Interface* find_interface(const Facts& facts, const std::string& name) {
    if (!facts.interfaces.ok()) return nullptr;
    for (const auto& iface : *facts.interfaces.value)
        if (iface.name == name) return &iface;
    return nullptr;
}

std::vector<Address> addresses_of(const Facts& facts, const std::string& name, Family family) {
    std::vector<Address> out;
    if (!facts.addresses.ok()) return out;
    for (const auto& a : *facts.addresses.value)
        if (a.interface == name && a.family == family) out.push_back(a);
    return out;
}

std::vector<VrrpInstance> instances_on(const Facts& facts, const std::string& name) {
    std::vector<VrrpInstance> out;
    for (const auto& instance : facts.vrrp.instances)
        if (instance.interface == name) out.push_back(instance);
    if (facts.vrrp.instances.empty()) out.push_back({"", name, Family::ipv4, VrrpMode::multicast, {}, facts.vrrp.source});
    return out;
}

bool runs_family(const Facts& facts, const std::string& name, Family family) {
    for (const auto& instance : instances_on(facts, name))
        if (instance.family == family) return true;
    return false;
}

}  // namespace haprep::model
