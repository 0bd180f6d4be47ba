#pragma once
// Hand-made Facts for the unit tests: a host with VRRP on eth0 and the given
// runtime rp_filter values.

#include "model/facts.h"

namespace haprep::testing {

inline model::Facts rp_filter_facts(int all, int eth0, int default_value = 0) {
    model::Facts facts;
    facts.host = "node1";
    facts.interfaces = model::Fact<std::vector<model::Interface>>::known(
        {{"lo", 1, true, true, false}, {"eth0", 2, true, false, true}});
    facts.vrrp = {{"eth0"}, "--interface"};
    facts.sysctl["net.ipv4.conf.all.rp_filter"] = model::Fact<int>::known(all);
    facts.sysctl["net.ipv4.conf.default.rp_filter"] = model::Fact<int>::known(default_value);
    facts.sysctl["net.ipv4.conf.eth0.rp_filter"] = model::Fact<int>::known(eth0);
    facts.boot_sysctl = model::Fact<model::BootSysctl>::known({});
    return facts;
}

inline model::SysctlAssignment assignment(const std::string& key, const std::string& value,
                                          const std::string& file, int line) {
    return {key, "", value, file, file, line};
}

}  // namespace haprep::testing
