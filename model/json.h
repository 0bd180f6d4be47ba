#pragma once
// JSON (de)serialisation of Facts: they round-trip exactly (snapshot -> --facts).
// The report is written by agent/report/json.cpp ("haprep/1", docs/ARCHITECTURE.md).

#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "model/facts.h"

namespace haprep::model {

/// How snapshots from before Fact had an absent state said "not there", for the facts
/// that could be. A new snapshot says it that way too, beside "absent", so that it
/// stays what it was (fields only added) and an older haprep reads it with the same
/// meaning. By default an absent fact is also written as an "error" (an older reader
/// then says unknown, never pass) and an old snapshot held no absent fact.
template <class T>
struct LegacyAbsence {
    /// Adds what an older reader needs to see in the JSON of a known value.
    static void mark_known(nlohmann::json&) {}
    /// Adds the older form of an absent fact to `j`, which holds "absent".
    static void write(nlohmann::json& j, const std::string& why) { j["error"] = why; }
    /// The why, when `j` (a fact without "absent") is an older snapshot's absent fact.
    static std::optional<std::string> read(const nlohmann::json&) { return std::nullopt; }
};

/// firewalld and keepalived.conf said it in the value: "running"/"present" false and
/// "absent_reason"; a known value says true and "".
template <class T>
struct LegacyFlagAbsence {
    static void mark_known(nlohmann::json& value);
    static void write(nlohmann::json& j, const std::string& why);
    static std::optional<std::string> read(const nlohmann::json& j);
    /// The same for the value itself (a peer's configuration is one).
    static std::optional<std::string> read_value(const nlohmann::json& value);
};
template <>
struct LegacyAbsence<Firewalld> : LegacyFlagAbsence<Firewalld> {};
template <>
struct LegacyAbsence<KeepalivedConf> : LegacyFlagAbsence<KeepalivedConf> {};

/// nf_tables missing and no DMI were unreadable facts whose error said so.
template <>
std::optional<std::string> LegacyAbsence<NftRuleset>::read(const nlohmann::json& j);
template <>
std::optional<std::string> LegacyAbsence<Platform>::read(const nlohmann::json& j);

/// known: {"value": V}; unreadable: {"error": WHY}; absent: {"absent": WHY} and its
/// older form (LegacyAbsence).
template <class T>
void to_json(nlohmann::json& j, const Fact<T>& fact) {
    switch (fact.state()) {
        case FactState::known:
            j = nlohmann::json{{"value", *fact.value}};
            LegacyAbsence<T>::mark_known(j["value"]);
            break;
        case FactState::absent:
            j = nlohmann::json{{"absent", fact.why()}};
            LegacyAbsence<T>::write(j, fact.why());
            break;
        case FactState::unreadable: j = nlohmann::json{{"error", fact.why()}}; break;
    }
}

template <class T>
void from_json(const nlohmann::json& j, Fact<T>& fact) {
    if (j.contains("absent")) {
        fact = Fact<T>::absent(j.at("absent").get<std::string>());
    } else if (auto why = LegacyAbsence<T>::read(j)) {
        fact = Fact<T>::absent(std::move(*why));
    } else if (j.contains("value")) {
        fact = Fact<T>::known(j.at("value").get<T>());
    } else {
        fact = Fact<T>::unreadable(j.at("error").get<std::string>());
    }
}

NLOHMANN_JSON_SERIALIZE_ENUM(Family, {{Family::ipv4, "ipv4"}, {Family::ipv6, "ipv6"}})
NLOHMANN_JSON_SERIALIZE_ENUM(VrrpMode, {{VrrpMode::multicast, "multicast"},
                                        {VrrpMode::unicast, "unicast"}})
// Plain records: a field missing from an older snapshot reads as its default.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Address, index, interface, family, address, prefix,
                                                scope, tentative, dadfailed, deprecated,
                                                optimistic, permanent)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Route, reachable, interface, gateway, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ReversePath, interface, peer, route)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(VrrpInstance, name, interface, family, mode, peers,
                                                source)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ConfigFile, path, content)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NetworkConfig, networkd, ifupdown)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NftExpr, name, dreg, sreg, base, offset, len, key, op,
                                                flags, verdict, chain, set, data, data2, xt_name, xt_rev, args)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NftRule, family, table, chain, legacy, handle, exprs, comment, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NftChain, family, table, name, legacy, hook, priority, policy,
                                                type, devices)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NftElement, key, key_end, interval_end, verdict,
                                                has_verdict, chain)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NftSet, family, table, name, flags, key_len, elements)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NftRuleset, generation, chains, rules, sets)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LegacyTables, ipv4, ipv6, save_ipv4, save_ipv6)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FirewalldZone, name, target, protocols, rich_rules, services,
                                                sources, interfaces)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FirewalldService, name, protocols)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FirewalldLayer, zones, services)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Firewalld, state, default_zone,
                                                interface_zones, source_zones, runtime, permanent)

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SourceLocation, file, line)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedItem, text, at, whole_line)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedBlock, at, close, own_lines, indent)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedVip, address, prefix, valid, family, dev, label, item)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedInstance, name, block, state, interface,
                                                virtual_router_id, priority, advert_int, version, preempt_delay,
                                                nopreempt, use_vmac, auth_type, auth_pass, unicast_src_ip,
                                                unicast_peers, unicast_peer_block, vips, vip_block, excluded_vips,
                                                track_scripts, track_interfaces, keywords)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedScript, name, block, script)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedSyncGroup, name, block, members, track_scripts)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedGlobal, router_id, vrrp_version, vrrp_strict, enable_dbus,
                                                vrrp_mcast_group4, vrrp_mcast_group6, keywords)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedMessage, message, at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedInclude, at, files)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KeepalivedConf, path, origin, config_id, files, includes,
                                                errors, unknown, unsupported, global, scripts, instances, sync_groups)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Platform, sys_vendor, product_name, bios_vendor, chassis_asset_tag)

void to_json(nlohmann::json& j, const PeerNode& v);
void from_json(const nlohmann::json& j, PeerNode& v);
void to_json(nlohmann::json& j, const Interface& v);
void from_json(const nlohmann::json& j, Interface& v);
void to_json(nlohmann::json& j, const SysctlAssignment& v);
void from_json(const nlohmann::json& j, SysctlAssignment& v);
void to_json(nlohmann::json& j, const BootKey& v);
void from_json(const nlohmann::json& j, BootKey& v);
void to_json(nlohmann::json& j, const BootSysctl& v);
void from_json(const nlohmann::json& j, BootSysctl& v);
void to_json(nlohmann::json& j, const VrrpInterfaces& v);
void from_json(const nlohmann::json& j, VrrpInterfaces& v);
void to_json(nlohmann::json& j, const Facts& v);
void from_json(const nlohmann::json& j, Facts& v);

inline constexpr const char* kFactsSchema = "haprep-facts/1";

/// A snapshot field whose value is out of its type's range or of its domain; the
/// message names the field: "sysctl net.ipv4.conf.all.rp_filter: 99999999999999999999
/// is out of range". from_json(Facts) throws it, so a crafted or corrupted snapshot
/// never wraps into a value that passes.
struct SnapshotFieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Parses a `haprep snapshot` (strict JSON) into Facts; throws nlohmann's errors for
/// bad JSON and SnapshotFieldError for a value out of range. An integer too large for
/// any JSON number type is named as written, not as its rounded double.
Facts parse_facts(std::istream& in);
Facts parse_facts(const std::string& text);

}  // namespace haprep::model
