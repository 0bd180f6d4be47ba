#include "agent/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <ranges>

#include "agent/discovery.h"
#include "agent/facts_file.h"
#include "agent/keepalived_conf.h"
#include "agent/names.h"
#include "checks/check.h"
#include "dbus/firewalld.h"
#include "host/dmi.h"
#include "host/files.h"
#include "host/iptables_persistent.h"
#include "host/network_config.h"
#include "host/nft.h"
#include "host/rtnl.h"
#include "host/sysctl.h"
#include "host/sysctl_d.h"
#include "keepalived/config.h"
#include "model/ip.h"
#include "model/json.h"

namespace haprep::agent {

namespace {

std::string hostname() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

std::vector<std::string> rp_filter_keys(const std::vector<std::string>& interfaces) {
    std::vector<std::string> keys = {model::ipv4_conf_key("all", "rp_filter"),
                                     model::ipv4_conf_key("default", "rp_filter")};
    for (const auto& name : interfaces) keys.push_back(model::ipv4_conf_key(name, "rp_filter"));
    return keys;
}

model::Fact<model::BootSysctl> probe_boot_sysctl(const host::Root& root,
                                                 const std::vector<std::string>& keys) {
    auto files = host::list_boot_files(root);
    if (!files.ok()) return model::Fact<model::BootSysctl>::unreadable(files.error);
    auto boot = host::resolve_boot(*files.value, keys);
    // What a fix may edit goes into the snapshot, so planning stays pure.
    for (const auto& file : *files.value) {
        const bool editable = file.path == host::kSysctlConf ||
                              (file.path.rfind("/etc/sysctl.d/", 0) == 0 &&
                               file.path.find("haprep") != std::string::npos);
        if (editable) boot.contents[file.path] = file.content;
    }
    return model::Fact<model::BootSysctl>::known(std::move(boot));
}

/// The route back to every IPv4 peer of every VRRP interface: what strict rp_filter
/// checks each advert against.
std::vector<model::ReversePath> probe_reverse_paths(host::NetlinkSocket& route, const model::Facts& facts) {
    std::vector<model::ReversePath> paths;
    const std::vector<model::Interface> none;
    const auto& links = facts.interfaces.ok() ? *facts.interfaces.value : none;
    for (const auto& instance : facts.vrrp.instances) {
        if (instance.family != model::Family::ipv4) continue;
        for (const auto& peer : instance.peers) {
            const bool seen = std::any_of(paths.begin(), paths.end(), [&](const auto& p) {
                return p.interface == instance.interface && p.peer == peer;
            });
            if (!seen) paths.push_back({instance.interface, peer, host::route_back(route, peer, links)});
        }
    }
    return paths;
}

}  // namespace

model::Facts probe_host(const GlobalOptions& options) {
    const host::Root root(options.root);
    model::Facts facts;
    facts.host = hostname();
    // One socket per netlink protocol for the whole run, every request over it.
    auto route = host::route_socket();
    auto netfilter = host::netfilter_socket();
    facts.interfaces = host::dump_links(route);
    facts.addresses = facts.interfaces.ok()
                          ? host::dump_addresses(route, *facts.interfaces.value)
                          : model::Fact<std::vector<model::Address>>::unreadable(
                                "no link list to name them by: " + facts.interfaces.error);
    facts.keepalived = read_keepalived(options, facts.host);
    facts.peers = read_peers(options);
    facts.platform = host::read_platform();
    facts.vrrp = discover_vrrp(options, facts);
    facts.reverse_paths = probe_reverse_paths(route, facts);
    facts.network_config = host::read_network_config(root);
    facts.nft = host::read_nft_ruleset(netfilter);
    facts.legacy_iptables = host::read_legacy_iptables();
    facts.nft_config = host::read_nft_config(root);
    facts.iptables_persistent = host::read_iptables_persistent(root);
    facts.firewalld = dbus::read_firewalld(facts.vrrp.names);

    const auto keys = rp_filter_keys(facts.vrrp.names);
    for (const auto& key : keys) facts.sysctl[key] = host::read_sysctl_int(key);
    // nft.conntrack: this namespace's conntrack table; no nf_conntrack_count = not loaded.
    for (const char* key : {"net.netfilter.nf_conntrack_count", "net.netfilter.nf_conntrack_max"})
        facts.sysctl[key] = host::read_sysctl_int(key);
    facts.boot_sysctl = probe_boot_sysctl(root, keys);
    return facts;
}

namespace {

bool names_discovery(const GlobalOptions& o) {
    return !o.interfaces.empty() || o.family != "auto" || !o.mode.empty() || !o.peers.empty() ||
           !o.keepalived_conf.empty() || !o.config_id.empty();
}

/// --config-id without --keepalived-conf: the snapshot's keepalived.conf (it holds every
/// file it read, verbatim) parsed again for that id. A file the new id makes keepalived
/// read that the snapshot does not hold cannot be judged: refused.
model::Fact<model::KeepalivedConf> reparse_snapshot_conf(const GlobalOptions& options, const model::Facts& facts) {
    if (!facts.keepalived.ok())
        throw UsageError("--config-id " + options.config_id + ": the snapshot " + options.facts_file +
                         " holds no keepalived configuration to parse for it (name one with --keepalived-conf)");
    const auto& snapshot = *facts.keepalived.value;
    auto loader = keepalived::memory_loader(snapshot.files);
    std::string missing;
    const auto read = loader.read;
    loader.read = [&missing, read, &snapshot](const std::string& path) {
        if (!model::find_file(snapshot.files, path) && missing.empty()) missing = path;
        return read(path);
    };
    // An include the snapshot holds no file for (keepalived only reads it for this id)
    // would look like a missing file: refused instead, as is any read of another file.
    const auto glob = loader.glob;
    loader.glob = [&missing, glob](const std::string& pattern) {
        auto found = glob(pattern);
        if (found.empty() && missing.empty()) missing = pattern;
        return found;
    };
    auto parsed = keepalived::parse_config(snapshot.path, loader, options.config_id);
    if (!missing.empty())
        throw UsageError("--config-id " + options.config_id + ": keepalived.conf then reads " + missing +
                         ", which the snapshot " + options.facts_file +
                         " does not hold (name the configuration with --keepalived-conf)");
    parsed.origin = snapshot.origin;
    return model::Fact<model::KeepalivedConf>::known(std::move(parsed));
}

/// The discovery options on a snapshot, as live: keepalived.conf parsed now when one
/// is named (or parsed again for --config-id), then discovery over the snapshot's host
/// facts. What the snapshot did not record for the interfaces and peers judged now
/// (values only the live host can tell) becomes unknown, never a guess.
void rediscover_offline(const GlobalOptions& options, model::Facts& facts) {
    if (!options.keepalived_conf.empty())
        facts.keepalived = read_keepalived(options, facts.host);
    else if (!options.config_id.empty())
        facts.keepalived = reparse_snapshot_conf(options, facts);
    facts.vrrp = discover_vrrp(options, facts);
    const std::string not_held = "not in the snapshot " + options.facts_file + ": ";

    std::vector<model::ReversePath> paths;
    for (const auto& instance : facts.vrrp.instances) {
        if (instance.family != model::Family::ipv4) continue;
        for (const auto& peer : instance.peers) {
            auto same = [&](const model::ReversePath& p) { return p.interface == instance.interface && p.peer == peer; };
            if (std::any_of(paths.begin(), paths.end(), same)) continue;
            const auto held = std::find_if(facts.reverse_paths.begin(), facts.reverse_paths.end(), same);
            if (held != facts.reverse_paths.end()) {
                paths.push_back(*held);
            } else {
                paths.push_back({instance.interface, peer,
                                 model::Fact<model::Route>::unreadable(
                                     not_held + "the route back to " + peer + " is looked up on the live host")});
            }
        }
    }
    facts.reverse_paths = std::move(paths);

    std::vector<std::string> new_names;
    for (const auto& name : facts.vrrp.names) {
        const auto key = model::ipv4_conf_key(name, "rp_filter");
        if (facts.sysctl.count(key)) continue;
        facts.sysctl[key] = model::Fact<int>::unreadable(not_held + name + " was not a VRRP interface when it was taken");
        new_names.push_back(name);
    }
    if (!new_names.empty() && facts.boot_sysctl.ok())
        facts.boot_sysctl = model::Fact<model::BootSysctl>::unreadable(
            not_held + fmt::format("the boot rp_filter of {} (not VRRP interfaces when it was taken)",
                                   fmt::join(new_names, ", ")));
    if (facts.firewalld.ok()) {
        const auto& zones = facts.firewalld.value->interface_zones;
        const std::string unbound = fmt::format(
            "{}", fmt::join(facts.vrrp.names | std::views::filter([&](const auto& name) {
                                return !zones.count(name);
                            }),
                            ", "));
        if (!unbound.empty() && facts.firewalld.value->state == "RUNNING")
            facts.firewalld = model::Fact<model::Firewalld>::unreadable(not_held + "the firewalld zone of " + unbound);
    }
}

}  // namespace

model::Facts acquire_facts(const GlobalOptions& options) {
    if (options.facts_file.empty()) return probe_host(options);
    auto facts = load_facts(options.facts_file);
    // Peers named now join the snapshot's (a support case compares both nodes offline).
    for (auto& peer : read_peers(options)) facts.peers.push_back(std::move(peer));
    if (names_discovery(options)) rediscover_offline(options, facts);
    return facts;
}

std::vector<model::Finding> evaluate(const model::Facts& facts, const GlobalOptions& options) {
    return checks::evaluate_checks(facts, options.only, options.skip);
}

model::Report new_report(const model::Facts& facts, const std::string& command) {
    model::Report report;
    report.tool_version = kVersion;
    report.host = facts.host;
    report.command = command;
    report.time = utc_now("%Y-%m-%dT%H:%M:%SZ");
    return report;
}

std::string utc_now(const char* format) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, format, &utc);
    return text;
}

void validate(const GlobalOptions& options) {
    for (const auto* list : {&options.only, &options.skip}) {
        for (const auto& id : *list) {
            if (checks::find_check(id)) continue;
            throw UsageError("unknown check '" + id + "'; did you mean '" +
                             checks::closest_check_id(id) + "'? (haprep list shows them all)");
        }
    }
    for (const auto& name : options.interfaces)
        if (const auto problem = interface_name_problem(name); !problem.empty())
            throw UsageError("--interface " + escape_control(name) + ": " + problem);
    for (const auto& peer : options.peers)
        if (!model::IpAddress::parse(peer))
            throw UsageError("--peer " + peer + ": not an IPv4 or IPv6 address");
    std::error_code ec;
    if (!std::filesystem::is_directory(options.root, ec))
        throw UsageError("--root " + options.root + ": not a directory");
}

}  // namespace haprep::agent
