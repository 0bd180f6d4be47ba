#include "model/json.h"

#include <stdexcept>

namespace haprep::model {

using nlohmann::json;

void to_json(json& j, const Interface& v) {
    j = json{{"name", v.name},           {"index", v.index},         {"up", v.up},
             {"loopback", v.loopback},   {"multicast", v.multicast}, {"running", v.running},
             {"lower_up", v.lower_up},   {"operstate", v.operstate}, {"mtu", v.mtu},
             {"kind", v.kind}};
}
void from_json(const json& j, Interface& v) {
    j.at("name").get_to(v.name);
    j.at("index").get_to(v.index);
    j.at("up").get_to(v.up);
    j.at("loopback").get_to(v.loopback);
    j.at("multicast").get_to(v.multicast);
    // Added with the rtnetlink probe; older snapshots lack them.
    v.running = j.value("running", false);
    v.lower_up = j.value("lower_up", false);
    v.operstate = j.value("operstate", "");
    v.mtu = j.value("mtu", 0);
    v.kind = j.value("kind", "");
}

void to_json(json& j, const SysctlAssignment& v) {
    j = json{{"key", v.key},   {"value", v.value}, {"file", v.file},
             {"line", v.line}, {"real_file", v.real_file}};
    if (!v.pattern.empty()) j["pattern"] = v.pattern;
}
void from_json(const json& j, SysctlAssignment& v) {
    j.at("key").get_to(v.key);
    j.at("value").get_to(v.value);
    j.at("file").get_to(v.file);
    j.at("line").get_to(v.line);
    v.real_file = j.value("real_file", v.file);
    v.pattern = j.value("pattern", "");
}

void to_json(json& j, const BootKey& v) {
    j = json{{"assignments", v.assignments}};
    j["winner"] = v.winner ? json(*v.winner) : json(nullptr);
}
void from_json(const json& j, BootKey& v) {
    j.at("assignments").get_to(v.assignments);
    if (j.contains("winner") && !j.at("winner").is_null())
        v.winner = j.at("winner").get<SysctlAssignment>();
    else
        v.winner.reset();
}

void to_json(json& j, const BootSysctl& v) {
    j = json{{"files", v.files}, {"keys", v.keys}, {"contents", v.contents}};
}
void from_json(const json& j, BootSysctl& v) {
    j.at("files").get_to(v.files);
    j.at("keys").get_to(v.keys);
    j.at("contents").get_to(v.contents);
}

void to_json(json& j, const VrrpInterfaces& v) {
    j = json{{"names", v.names}, {"source", v.source}, {"instances", v.instances}};
}
void from_json(const json& j, VrrpInterfaces& v) {
    j.at("names").get_to(v.names);
    j.at("source").get_to(v.source);
    v.instances = j.value("instances", std::vector<VrrpInstance>{});
}

void to_json(json& j, const Facts& v) {
    j = json{{"schema", kFactsSchema},         {"host", v.host},
             {"interfaces", v.interfaces},     {"addresses", v.addresses},
             {"vrrp_interfaces", v.vrrp},      {"reverse_paths", v.reverse_paths},
             {"sysctl", v.sysctl},             {"boot_sysctl", v.boot_sysctl},
             {"network_config", v.network_config}, {"nft", v.nft},
             {"legacy_iptables", v.legacy_iptables}, {"nft_config", v.nft_config},
             {"iptables_persistent", v.iptables_persistent},
             {"firewalld", v.firewalld},       {"keepalived", v.keepalived},
             {"peers", v.peers},               {"platform", v.platform}};
}

namespace {
/// A fact that an older snapshot does not hold reads as unreadable, with that reason:
/// the checks that need it say `unknown` instead of guessing.
template <class T>
Fact<T> optional_fact(const json& j, const char* name) {
    if (!j.contains(name)) return Fact<T>::unreadable(std::string("not in this snapshot: ") + name);
    return j.at(name).get<Fact<T>>();
}
}  // namespace

void from_json(const json& j, Facts& v) {
    if (j.value("schema", "") != kFactsSchema)
        throw std::runtime_error(std::string("not a haprep snapshot (expected \"schema\": \"") +
                                 kFactsSchema + "\")");
    j.at("host").get_to(v.host);
    j.at("interfaces").get_to(v.interfaces);
    j.at("vrrp_interfaces").get_to(v.vrrp);
    j.at("sysctl").get_to(v.sysctl);
    j.at("boot_sysctl").get_to(v.boot_sysctl);
    v.addresses = optional_fact<std::vector<Address>>(j, "addresses");
    v.reverse_paths = j.value("reverse_paths", std::vector<ReversePath>{});
    v.network_config = optional_fact<NetworkConfig>(j, "network_config");
    v.nft = optional_fact<NftRuleset>(j, "nft");
    v.legacy_iptables = optional_fact<LegacyTables>(j, "legacy_iptables");
    v.nft_config = optional_fact<std::vector<ConfigFile>>(j, "nft_config");
    v.iptables_persistent = optional_fact<std::vector<ConfigFile>>(j, "iptables_persistent");
    v.firewalld = optional_fact<Firewalld>(j, "firewalld");
    v.keepalived = optional_fact<KeepalivedConf>(j, "keepalived");
    v.peers = j.value("peers", std::vector<PeerNode>{});
    v.platform = optional_fact<Platform>(j, "platform");
}

}  // namespace haprep::model
