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

FactsView::FactsView(const Facts& facts) : facts_(facts) {
    if (facts.interfaces.ok())
        for (const auto& iface : *facts.interfaces.value) interfaces_.emplace(iface.name, &iface);
    if (facts.addresses.ok())
        for (const auto& a : *facts.addresses.value)
            addresses_[static_cast<int>(a.family)][a.interface].push_back(&a);
    for (const auto& instance : facts.vrrp.instances) instances_[instance.interface].push_back(instance);
    if (facts.vrrp.instances.empty())
        for (const auto& name : facts.vrrp.names)
            instances_[name].push_back({"", name, Family::ipv4, VrrpMode::multicast, {}, facts.vrrp.source});
}

const Interface* FactsView::interface(const std::string& name) const {
    auto it = interfaces_.find(name);
    return it == interfaces_.end() ? nullptr : it->second;
}

const std::vector<const Address*>& FactsView::addresses(const std::string& name, Family family) const {
    static const std::vector<const Address*> none;
    const auto& by_name = addresses_[static_cast<int>(family)];
    auto it = by_name.find(name);
    return it == by_name.end() ? none : it->second;
}

const std::vector<VrrpInstance>& FactsView::instances(const std::string& name) const {
    static const std::vector<VrrpInstance> none;
    auto it = instances_.find(name);
    return it == instances_.end() ? none : it->second;
}

bool FactsView::runs_family(const std::string& name, Family family) const {
    for (const auto& instance : instances(name))
        if (instance.family == family) return true;
    return false;
}

}  // namespace haprep::model
