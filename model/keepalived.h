#pragma once
// keepalived.conf as keepalived reads it: plain data for Facts (so the keepalived
// checks and the planners run on a snapshot, and a peer's snapshot can be compared),
// with the file:line of every item. keepalived/ parses the language into this.
//
// Numbers stay as written ("300", "1.5"): the checks judge them the way keepalived
// does (range, rounding), which a parsed integer could no longer show.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/config_file.h"
#include "model/family.h"
#include "model/finding.h"

namespace haprep::model {

/// A line of the configuration that says something the checks report on.
struct KeepalivedItem {
    std::string text;  ///< the words as written, space-separated
    SourceLocation at;
    /// The item is the only thing on its line, so a fix may move or delete the line.
    bool whole_line = false;
    bool operator==(const KeepalivedItem&) const = default;
};

/// A `{ ... }` block: where its keyword and its closing brace are.
struct KeepalivedBlock {
    SourceLocation at;     ///< the keyword line
    SourceLocation close;  ///< the line of the closing brace (line 0: never closed)
    /// The keyword line holds only the keyword (and its name, and maybe "{"), the
    /// closing brace is alone on its line, and both are in one file: a fix may remove
    /// the block's lines or insert before the brace.
    bool own_lines = false;
    std::string indent;  ///< the indentation of the block's first item, "    " if none
    bool operator==(const KeepalivedBlock&) const = default;
};

/// One entry of virtual_ipaddress / virtual_ipaddress_excluded:
/// `ADDRESS[/PREFIX] [dev IF] [label L] ...`.
struct KeepalivedVip {
    std::string address;  ///< without the prefix
    int prefix = -1;      ///< -1: not written
    bool valid = false;   ///< the address parses as IPv4 or IPv6
    Family family = Family::ipv4;
    std::string dev;
    std::string label;
    KeepalivedItem item;
    bool operator==(const KeepalivedVip&) const = default;
};

struct KeepalivedInstance {
    std::string name;
    KeepalivedBlock block;
    std::string state;      ///< MASTER / BACKUP as written, empty when unset
    std::string interface;  ///< empty when unset
    std::string virtual_router_id, priority, advert_int, version, preempt_delay;
    bool nopreempt = false;
    bool use_vmac = false;
    std::string auth_type, auth_pass;  ///< authentication { auth_type, auth_pass }
    std::string unicast_src_ip;
    std::vector<KeepalivedItem> unicast_peers;  ///< the peer address is the item's first word
    KeepalivedBlock unicast_peer_block;         ///< at.line 0 when there is none
    std::vector<KeepalivedVip> vips;
    KeepalivedBlock vip_block;
    std::vector<KeepalivedVip> excluded_vips;
    std::vector<KeepalivedItem> track_scripts;     ///< first word: the script name
    std::vector<KeepalivedItem> track_interfaces;  ///< first word: the interface
    /// Where each keyword of the instance is (its last occurrence: the one that wins).
    std::map<std::string, SourceLocation> keywords;
    bool operator==(const KeepalivedInstance&) const = default;
};

struct KeepalivedScript {
    std::string name;
    KeepalivedBlock block;
    std::string script;
    bool operator==(const KeepalivedScript&) const = default;
};

struct KeepalivedSyncGroup {
    std::string name;
    KeepalivedBlock block;
    std::vector<KeepalivedItem> members;  ///< the `group { ... }` entries
    std::vector<KeepalivedItem> track_scripts;  ///< first word: the script name
    bool operator==(const KeepalivedSyncGroup&) const = default;
};

struct KeepalivedGlobal {
    std::string router_id;
    std::string vrrp_version;  ///< "2" or "3" as written; empty: keepalived's default 2
    bool vrrp_strict = false;
    bool enable_dbus = false;
    std::string vrrp_mcast_group4, vrrp_mcast_group6;
    std::map<std::string, SourceLocation> keywords;
    bool operator==(const KeepalivedGlobal&) const = default;
};

/// Something the parser reports: a syntax error, an unknown keyword, or a part of the
/// language haprep does not model.
struct KeepalivedMessage {
    std::string message;
    SourceLocation at;
    bool operator==(const KeepalivedMessage&) const = default;
};

/// An `include` line and the files it read, in order (a cycle or a missing file
/// reads nothing): what flattening the configuration inlines there.
struct KeepalivedInclude {
    SourceLocation at;
    std::vector<std::string> files;
    bool operator==(const KeepalivedInclude&) const = default;
};

/// Where keepalived reads its configuration when no file is named, and the origin a
/// configuration read from there carries.
inline constexpr const char* kDefaultKeepalivedConf = "/etc/keepalived/keepalived.conf";
inline constexpr const char* kDefaultKeepalivedOrigin = "default path";

/// A keepalived configuration that was read. When there is none, Facts::keepalived is
/// absent instead.
struct KeepalivedConf {
    std::string path;           ///< the main file, host path (without --root)
    std::string origin;         ///< who named it: "default path", "--keepalived-conf", "--peer-conf"
    std::string config_id;      ///< what `@ID` lines were matched against (keepalived -i, the short hostname)
    std::vector<ConfigFile> files;  ///< every file read, main first, verbatim (fixes edit them)
    std::vector<KeepalivedInclude> includes;
    std::vector<KeepalivedMessage> errors;       ///< syntax errors: keepalived.parse fails
    std::vector<KeepalivedMessage> unknown;      ///< keywords keepalived would ignore: kept, reported
    std::vector<KeepalivedMessage> unsupported;  ///< language haprep does not model: reported
    KeepalivedGlobal global;
    std::vector<KeepalivedScript> scripts;
    std::vector<KeepalivedInstance> instances;
    std::vector<KeepalivedSyncGroup> sync_groups;
    bool operator==(const KeepalivedConf&) const = default;
};

/// The instance's first valid VIP's family: keepalived lets the first VIP decide.
std::optional<Family> vip_family(const KeepalivedInstance& in);

/// The family an instance runs: its first valid VIP's, else its unicast source's or
/// first peer's, else IPv4. Discovery, the checks and the fixes all use this one rule.
Family instance_family(const KeepalivedInstance& in);

// How keepalived reads the numbers it is given (the checks, and the firewall
// evaluators' advert rate, judge what keepalived will run with).

/// An integer as keepalived reads one: optional sign, decimal digits, nothing else.
std::optional<long> parse_integer(const std::string& text);

/// A decimal number of seconds ("1", "0.25", "1."), exactly, in microseconds.
/// `exact` is false when digits beyond the sixth decimal are not zero.
struct Interval {
    long long us = 0;
    bool exact = true;
};
std::optional<Interval> parse_interval(const std::string& text);

/// `version`, else global_defs vrrp_version, else 2. IPv6 is always 3: keepalived
/// forces it (VRRPv2 has no IPv6).
int vrrp_version(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in);

/// The advertisement interval keepalived runs with, in centiseconds: rounded to whole
/// seconds for VRRPv2, to 10 ms for VRRPv3, the default 1 s when unset. nullopt when
/// the value is not a number (nothing sensible to compare).
std::optional<long> effective_advert_cs(const model::KeepalivedConf& conf, const model::KeepalivedInstance& in);

}  // namespace haprep::model
