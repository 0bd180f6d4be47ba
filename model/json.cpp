#include "model/json.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>

namespace haprep::model {

using nlohmann::json;

namespace {
const char* legacy_flag(const Firewalld*) { return "running"; }
const char* legacy_flag(const KeepalivedConf*) { return "present"; }

/// An older snapshot's unreadable fact whose error said that the thing is not there.
std::optional<std::string> error_saying(const json& j, const char* text) {
    if (j.contains("value") || !j.contains("error")) return std::nullopt;
    auto error = j.at("error").get<std::string>();
    if (error.find(text) == std::string::npos) return std::nullopt;
    return error;
}

json absent_value(const Firewalld*) { return Firewalld{}; }
/// Only the default keepalived.conf can be absent (one named on the command line must
/// exist: agent/keepalived_conf.cpp), and older snapshots named it.
json absent_value(const KeepalivedConf*) {
    KeepalivedConf conf;
    conf.path = kDefaultKeepalivedConf;
    conf.origin = kDefaultKeepalivedOrigin;
    return conf;
}
}  // namespace

template <class T>
void LegacyFlagAbsence<T>::mark_known(json& value) {
    value[legacy_flag(static_cast<const T*>(nullptr))] = true;
    value["absent_reason"] = "";
}

template <class T>
void LegacyFlagAbsence<T>::write(json& j, const std::string& why) {
    json value = absent_value(static_cast<const T*>(nullptr));
    value[legacy_flag(static_cast<const T*>(nullptr))] = false;
    value["absent_reason"] = why;
    j["value"] = std::move(value);
}

template <class T>
std::optional<std::string> LegacyFlagAbsence<T>::read(const json& j) {
    if (!j.contains("value")) return std::nullopt;
    return read_value(j.at("value"));
}

template <class T>
std::optional<std::string> LegacyFlagAbsence<T>::read_value(const json& value) {
    if (!value.is_object()) return std::nullopt;
    // A value without the flag read as false (not running, no configuration) then.
    if (value.value(legacy_flag(static_cast<const T*>(nullptr)), false)) return std::nullopt;
    return value.value("absent_reason", std::string());
}

template struct LegacyFlagAbsence<Firewalld>;
template struct LegacyFlagAbsence<KeepalivedConf>;

template <>
std::optional<std::string> LegacyAbsence<NftRuleset>::read(const json& j) {
    return error_saying(j, "(is nf_tables available?)");  // host/nft.cpp's ENOENT, EPROTONOSUPPORT
}

template <>
std::optional<std::string> LegacyAbsence<Platform>::read(const json& j) {
    return error_saying(j, "(no DMI: a container or a board without it)");  // host/dmi.cpp
}

void to_json(json& j, const PeerNode& v) {
    j = json{{"origin", v.origin}, {"host", v.host}, {"conf", v.conf}, {"addresses", v.addresses}};
    LegacyAbsence<KeepalivedConf>::mark_known(j["conf"]);
}
void from_json(const json& j, PeerNode& v) {
    v.origin = j.value("origin", "");
    v.host = j.value("host", "");
    // No current haprep writes a peer without a configuration (the options refuse one).
    if (j.contains("conf")) {
        if (auto why = LegacyAbsence<KeepalivedConf>::read_value(j.at("conf")))
            throw SnapshotFieldError("peers: " + v.origin + ": no keepalived configuration (" + *why + ")");
        j.at("conf").get_to(v.conf);
    }
    v.addresses = j.value("addresses", std::vector<Address>{});
}

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

namespace {

/// Integers too large even for uint64 become doubles when parsed; parse_facts records
/// how they were written so that the error shows the number the file holds.
thread_local const std::map<double, std::string>* raw_numbers = nullptr;

std::string number_text(const json& n) {
    if (n.is_number_float() && raw_numbers) {
        const auto it = raw_numbers->find(n.get<double>());
        if (it != raw_numbers->end()) return it->second;
    }
    return n.dump();
}

std::string join_path(const std::string& path, const std::string& key) {
    if (key == "value") return path;  // Fact<T>'s wrapper says nothing to the reader
    if (path == "sysctl") return path + " " + key;
    return path.empty() ? key : path + "." + key;
}

[[noreturn]] void out_of_range(const std::string& field, const json& n, const std::string& domain = "") {
    const bool fraction = n.is_number_float() && std::isfinite(n.get<double>()) &&
                          n.get<double>() != std::floor(n.get<double>());
    throw SnapshotFieldError(field + ": " + number_text(n) +
                             (fraction ? " is not a whole number" : " is out of range") +
                             (domain.empty() ? "" : " (" + domain + ")"));
}

/// Numeric equality by value (nlohmann's == casts unsigned to signed: -5 == 2^64 - 5).
bool same_value(const json& a, const json& b) {
    if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
    const bool a_negative = a.is_number_integer() && !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
    const bool b_negative = b.is_number_integer() && !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
    if (a_negative != b_negative) return false;
    if (a_negative) return a.get<std::int64_t>() == b.get<std::int64_t>();
    return a.get<std::uint64_t>() == b.get<std::uint64_t>();
}

/// Every number of the snapshot against what it became once read: a value outside
/// its field's type (an int that wrapped, a negative unsigned, a fraction) differs.
void same_numbers(const json& in, const json& out, const std::string& path) {
    if (in.is_number()) {
        if (out.is_number() && !same_value(in, out)) out_of_range(path, in);
    } else if (in.is_object() && out.is_object()) {
        for (const auto& [key, value] : in.items())
            if (out.contains(key)) same_numbers(value, out.at(key), join_path(path, key));
    } else if (in.is_array() && out.is_array()) {
        for (std::size_t i = 0; i < in.size() && i < out.size(); ++i)
            same_numbers(in[i], out[i], path + "[" + std::to_string(i) + "]");
    }
}

void in_domain(long long value, long long low, long long high, const std::string& field) {
    if (value < low || value > high)
        out_of_range(field, json(value), std::to_string(low) + ".." + std::to_string(high));
}

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

/// The values whose domain is narrower than their type.
void check_domains(const Facts& v) {
    constexpr long long kIntMax = std::numeric_limits<int>::max();
    for (const auto& [key, fact] : v.sysctl) {
        if (!fact.ok()) continue;
        if (ends_with(key, ".rp_filter")) in_domain(*fact.value, 0, 2, "sysctl " + key);
        if (key.rfind("net.netfilter.nf_conntrack_", 0) == 0) in_domain(*fact.value, 0, kIntMax, "sysctl " + key);
    }
    if (v.interfaces.ok())
        for (std::size_t i = 0; i < v.interfaces.value->size(); ++i) {
            const auto& iface = (*v.interfaces.value)[i];
            const std::string at = "interfaces[" + std::to_string(i) + "]";
            in_domain(iface.index, 1, kIntMax, at + ".index");
            in_domain(iface.mtu, 0, kIntMax, at + ".mtu");
        }
    if (v.addresses.ok())
        for (std::size_t i = 0; i < v.addresses.value->size(); ++i) {
            const auto& a = (*v.addresses.value)[i];
            const std::string at = "addresses[" + std::to_string(i) + "]";
            in_domain(a.index, 1, kIntMax, at + ".index");
            in_domain(a.prefix, 0, a.family == Family::ipv4 ? 32 : 128, at + ".prefix");
            in_domain(a.scope, 0, 255, at + ".scope");
        }
    if (v.nft.ok()) {
        const auto& rules = v.nft.value->rules;
        for (std::size_t i = 0; i < rules.size(); ++i)
            for (std::size_t k = 0; k < rules[i].exprs.size(); ++k) {
                // NFT_REG_VERDICT 0, NFT_REG_1..4, NFT_REG32_00..15 = 8..23.
                const std::string at = "nft.rules[" + std::to_string(i) + "].exprs[" + std::to_string(k) + "]";
                in_domain(rules[i].exprs[k].dreg, 0, 23, at + ".dreg");
                in_domain(rules[i].exprs[k].sreg, 0, 23, at + ".sreg");
            }
        const auto& chains = v.nft.value->chains;
        for (std::size_t i = 0; i < chains.size(); ++i)
            in_domain(chains[i].hook, -1, 4, "nft.chains[" + std::to_string(i) + "].hook");
    }
    if (v.boot_sysctl.ok())
        for (const auto& [key, boot] : v.boot_sysctl.value->keys)
            for (const auto& a : boot.assignments) in_domain(a.line, 0, kIntMax, "boot_sysctl " + key + " " + a.file + " line");
}

/// nlohmann's DOM builder, but remembering how an integer too large for uint64 was written.
struct RecordingSax : nlohmann::detail::json_sax_dom_parser<json> {
    std::map<double, std::string>& raw;
    RecordingSax(json& result, std::map<double, std::string>& numbers)
        : json_sax_dom_parser(result, true), raw(numbers) {}
    bool number_float(double value, const std::string& text) {
        if (text.find_first_of(".eE") == std::string::npos) raw.emplace(value, text);
        return json_sax_dom_parser::number_float(value, text);
    }
};

template <class Input>
Facts parse_with_raw_numbers(Input&& input) {
    json root;
    std::map<double, std::string> numbers;
    RecordingSax sax(root, numbers);
    json::sax_parse(std::forward<Input>(input), &sax);
    struct Scope {
        explicit Scope(const std::map<double, std::string>* n) { raw_numbers = n; }
        ~Scope() { raw_numbers = nullptr; }
    } scope(&numbers);
    return root.get<Facts>();
}

}  // namespace

Facts parse_facts(std::istream& in) { return parse_with_raw_numbers(in); }
Facts parse_facts(const std::string& text) { return parse_with_raw_numbers(text); }

void from_json(const json& j, Facts& v) {
    if (j.value("schema", "") != kFactsSchema)
        throw std::runtime_error(std::string("not a haprep snapshot (expected \"schema\": \"") +
                                 kFactsSchema + "\")");
    j.at("host").get_to(v.host);
    j.at("interfaces").get_to(v.interfaces);
    j.at("vrrp_interfaces").get_to(v.vrrp);
    j.at("sysctl").get_to(v.sysctl);
    // Older snapshots recorded a /proc/sys file that does not exist as unreadable,
    // with the probe's text (host/sysctl.cpp); nft.conntrack read that as absent.
    for (auto& [key, fact] : v.sysctl)
        if (fact.is_unreadable() && fact.why().find(": no such key (interface missing?)") != std::string::npos)
            fact = Fact<int>::absent(fact.why());
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
    // Validated once read: a number that did not survive the conversion, then the
    // values with a narrower domain than their type.
    same_numbers(j, json(v), "");
    check_domains(v);
}

}  // namespace haprep::model
