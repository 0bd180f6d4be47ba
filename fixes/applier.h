#pragma once
// Apply: the only stage with effects. Every change is journaled (what it was before)
// before the first write; a step that fails rolls back the steps before it, so a
// plan is applied whole or not at all. Verification is separate: the caller
// re-probes and re-evaluates, then `verify_plan` marks what is really fixed.

#include <string>
#include <vector>

#include "fixes/writer.h"
#include "model/finding.h"
#include "model/plan.h"

namespace haprep::fixes {

inline constexpr const char* kJournalDir = "/var/lib/haprep/journal";
inline constexpr const char* kLockPath = "/run/haprep.lock";

struct ApplyOutcome {
    bool ok = true;
    std::string error;         ///< the step that failed and why
    std::string journal_path;  ///< host path of the journal written
};

/// `journal_name` is the file name under kJournalDir (the caller picks time+pid).
ApplyOutcome apply_plan(model::Plan& plan, Writer& writer, const std::string& journal_name);

/// Sets each applied change's result to "fixed" when every finding in `after` for its
/// subjects, from the checks this fix repairs (a finding's check_fix) or that name
/// the fix themselves (its fix), passes; else "not fixed: <which check is still what>".
void verify_plan(model::Plan& plan, const std::vector<model::Finding>& after);

}  // namespace haprep::fixes
