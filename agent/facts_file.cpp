#include "agent/facts_file.h"

#include "agent/names.h"
#include "agent/options.h"
#include "host/files.h"
#include "model/json.h"

namespace haprep::agent {

namespace {

/// A snapshot is data from elsewhere: every interface name in it must be one, or
/// sysctl keys such as net.ipv4.conf.all.rp_filter could be judged and planned for.
void check_snapshot_names(const model::Facts& facts) {
    auto check = [](const std::string& field, const std::string& name) {
        if (const auto problem = interface_name_problem(name); !problem.empty())
            throw model::SnapshotFieldError(field + ": \"" + name + "\": " + problem);
    };
    if (facts.interfaces.ok())
        for (std::size_t i = 0; i < facts.interfaces.value->size(); ++i)
            check("interfaces[" + std::to_string(i) + "].name", (*facts.interfaces.value)[i].name);
    if (facts.addresses.ok())
        for (std::size_t i = 0; i < facts.addresses.value->size(); ++i)
            check("addresses[" + std::to_string(i) + "].interface", (*facts.addresses.value)[i].interface);
    for (std::size_t i = 0; i < facts.vrrp.names.size(); ++i)
        check("vrrp_interfaces.names[" + std::to_string(i) + "]", facts.vrrp.names[i]);
    for (std::size_t i = 0; i < facts.vrrp.instances.size(); ++i)
        check("vrrp_interfaces.instances[" + std::to_string(i) + "].interface", facts.vrrp.instances[i].interface);
    for (std::size_t i = 0; i < facts.reverse_paths.size(); ++i)
        check("reverse_paths[" + std::to_string(i) + "].interface", facts.reverse_paths[i].interface);
}

}  // namespace

model::Facts load_facts(const std::string& path, const std::string& option) {
    // A regular file within the size budget, like every file haprep reads: a FIFO or a
    // directory named here is bad usage, not a hang or an empty snapshot.
    const auto content = host::read_regular_file(path, option + " " + path);
    if (!content.ok()) throw UsageError(content.error);
    try {
        auto facts = model::parse_facts(*content.value);
        check_snapshot_names(facts);
        return facts;
    } catch (const model::SnapshotFieldError& e) {
        // "--facts node1.json: sysctl net.ipv4.conf.all.rp_filter: 1e+20 is out of range"
        throw UsageError(option + " " + path + ": " + e.what());
    } catch (const std::exception& e) {
        throw UsageError(option + " " + path + ": not a valid snapshot: " + e.what());
    }
}

}  // namespace haprep::agent
