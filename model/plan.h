#pragma once
// A Plan is the list of Changes a `fix` would make. Each Change carries both what
// the report shows (target, action, diff) and its typed effect: what the applier
// needs to execute it and to undo it (model/change_effect.h).

#include <string>
#include <vector>

#include "model/change_effect.h"
#include "model/subject.h"

namespace haprep::model {

struct Change {
    std::string fix;      ///< fix id
    std::vector<Subject> subjects;  ///< what it repairs; reports show subjects_text()
    ChangeEffect effect;  ///< what it does to the host, and what undoes it
    std::string target;  ///< what the report names: sysctl key, file path (host path, without --root), chain, zone
    std::string action;  ///< "set", "create", "modify"
    std::string diff;     ///< what the dry run shows
    std::string note;     ///< what the user should know: "runtime only: ..." (may be empty)
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

}  // namespace haprep::model
