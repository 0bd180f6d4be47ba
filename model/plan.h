#pragma once
// A Plan is the list of Changes a `fix` would make. Each Change carries both what
// the report shows (target, action, diff) and what the applier needs to execute and
// to undo it (before/after).

#include <string>
#include <vector>

#include "model/subject.h"

namespace haprep::model {

enum class ChangeKind {
    sysctl_runtime,  ///< write `after` to /proc/sys/<target>
    file_write,      ///< replace the file `target` (under --root) with `after`
    link_multicast,  ///< set IFF_MULTICAST of interface `target` to `after` ("on"/"off")
    nft_insert_rule,  ///< insert the rule in `after` ({"rule", "before"}; JSON); undo deletes it by handle
    firewalld_add_protocol,  ///< add a protocol to a zone, `after` = {"zone", "permanent", "protocol"} (JSON)
    firewalld_add_rich_rule,  ///< add a rich rule to a zone, `after` = {"zone", "permanent", "rule"} (JSON)
    ufw_rule,  ///< `ufw` with the arguments in `after` (JSON array); undo runs `ufw delete` with them
};

struct Change {
    std::string fix;      ///< fix id
    std::vector<Subject> subjects;  ///< what it repairs; reports show subjects_text()
    ChangeKind kind = ChangeKind::sysctl_runtime;
    std::string target;  ///< sysctl key or file path (host path, without --root)
    std::string action;  ///< "set", "create", "modify"
    std::string before;  ///< old value / old content ("" for a file that does not exist)
    bool existed = true;  ///< false when a file is created
    std::string after;    ///< new value / new content
    std::string diff;     ///< what the dry run shows
    std::string note;     ///< what the user should know: "runtime only: ..." (may be empty)
    /// file_write: "nft" = `nft -c -f` must accept the new content first; "iptables" /
    /// "ip6tables" = `iptables-restore --test` / `ip6tables-restore --test` must; "keepalived" =
    /// `keepalived -t` must accept `validate_input` (JSON: main, edited, baseline, config_id).
    std::string validate;
    std::string validate_input;
    bool applied = false;
    std::string result;  ///< "planned", "fixed", "not fixed: ...", "failed: ...", "rolled back"
    /// What must be restarted for the change to take effect once made: "keepalived" when
    /// the daemon must be restarted (a reload is not enough), empty when nothing must.
    std::string restart;
    bool operator==(const Change&) const = default;
};

struct Plan {
    std::vector<Change> changes;
};

/// What must be restarted after these changes, each once, in the order first named:
/// the `restart` of every change that was made (applied) or is planned (a dry run).
/// Reports list it so a caller restarts exactly that (Ansible: notify a handler).
inline std::vector<std::string> restarts_needed(const std::vector<Change>& changes) {
    std::vector<std::string> names;
    for (const auto& c : changes) {
        if (c.restart.empty() || !(c.applied || c.result == "planned")) continue;
        bool seen = false;
        for (const auto& n : names) seen = seen || n == c.restart;
        if (!seen) names.push_back(c.restart);
    }
    return names;
}

const char* to_string(ChangeKind kind);

}  // namespace haprep::model
