#pragma once
// What a Change does to the host, as a typed value: one struct per kind of effect,
// each holding everything the applier needs to make the change and to take it back
// (the old value; the old content and whether the file existed; the inserted rule
// with the handle the kernel gave it; the zone, layer and protocol or rich rule; the
// ufw arguments). The applier std::visits it (fixes/applier.cpp); JSON appears only
// where an effect leaves the program, in the journal (fixes/journal.cpp), which is
// what a later `haprep undo` replays.

#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "model/nft.h"

namespace haprep::model {

/// Writes `new_value` to /proc/sys/<key>; undo writes `old_value` back.
struct SysctlSet {
    static constexpr const char* kKind = "sysctl_runtime";
    std::string key;
    std::string old_value;
    std::string new_value;
    bool operator==(const SysctlSet&) const = default;
};

/// How a file's new content is checked before it is written: not at all, or by the
/// tool that will read it, so a rejected edit is never written.
struct NoValidation {
    bool operator==(const NoValidation&) const = default;
};
/// `nft -c -f` must accept the new content.
struct NftCheck {
    bool operator==(const NftCheck&) const = default;
};
/// `iptables-restore --test` (`ip6tables-restore --test` when `ipv6`) must accept it.
struct IptablesRestoreTest {
    bool ipv6 = false;
    bool operator==(const IptablesRestoreTest&) const = default;
};
/// `keepalived -t` must accept the whole configuration with every edit of the plan
/// made (`edited`, includes inlined), judged against `baseline` (the same, unedited)
/// so that what keepalived -t already rejected before is not blamed on the edit.
struct KeepalivedTest {
    std::string main;  ///< host path of the main keepalived.conf
    std::string edited;
    std::string baseline;
    std::string config_id;
    bool operator==(const KeepalivedTest&) const = default;
};
using FileValidation = std::variant<NoValidation, NftCheck, IptablesRestoreTest, KeepalivedTest>;

/// Replaces the file `path` (host path, under --root) with `new_content` once
/// `validation` accepts it; undo writes `old_content` back, or removes the file when
/// it did not exist. (Every member has an initializer, so a planner's designated
/// initializer names only what it sets.)
struct FileWrite {
    static constexpr const char* kKind = "file_write";
    std::string path{};
    std::string old_content{};  ///< "" when the file does not exist
    bool existed = true;
    std::string new_content{};
    FileValidation validation{};
    bool operator==(const FileWrite&) const = default;
};

/// Sets IFF_MULTICAST of `interface`; undo sets it back to `was_on`.
struct LinkMulticast {
    static constexpr const char* kKind = "link_multicast";
    std::string interface;
    bool was_on = false;
    bool on = true;
    bool operator==(const LinkMulticast&) const = default;
};

/// Inserts `rule` (family, table, chain, expressions, comment) before the rule with
/// handle `before` (0: at the head of the chain). Until it is inserted, `rule.handle`
/// is a placeholder the planner uses to tell its own rules apart; the applier puts
/// the kernel's handle there, and undo deletes the rule by it.
struct NftRuleInsert {
    static constexpr const char* kKind = "nft_insert_rule";
    NftRule rule;
    std::uint64_t before = 0;
    bool operator==(const NftRuleInsert&) const = default;
};

/// Adds `protocol` to `zone` in firewalld's runtime or `permanent` configuration;
/// undo removes it (only when it was added: see Change::applied).
struct FirewalldProtocol {
    static constexpr const char* kKind = "firewalld_add_protocol";
    std::string zone;
    bool permanent = false;
    std::string protocol;
    bool operator==(const FirewalldProtocol&) const = default;
};

/// Adds the rich rule `rule` (firewalld's normalised syntax) to `zone`, the same way.
struct FirewalldRichRule {
    static constexpr const char* kKind = "firewalld_add_rich_rule";
    std::string zone;
    bool permanent = false;
    std::string rule;
    bool operator==(const FirewalldRichRule&) const = default;
};

/// Runs `ufw ARGS...` (ufw keeps the rule in /etc/ufw); undo runs `ufw delete ARGS...`.
struct UfwRule {
    static constexpr const char* kKind = "ufw_rule";
    std::vector<std::string> args;
    bool operator==(const UfwRule&) const = default;
};

using ChangeEffect =
    std::variant<SysctlSet, FileWrite, LinkMulticast, NftRuleInsert, FirewalldProtocol, FirewalldRichRule, UfwRule>;

/// The effect's kind as the journal names it: "sysctl_runtime", "file_write", ...
inline const char* kind_name(const ChangeEffect& effect) {
    return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kKind; }, effect);
}

}  // namespace haprep::model
