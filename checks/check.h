#pragma once
// What every check is: a row in the registry table (checks/registry.cpp) with a pure
// evaluate function over Facts. Adding a check = one file with its evaluate function,
// one row in the table, and its tests.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/facts.h"
#include "model/finding.h"

namespace haprep::checks {

/// Returns one finding per subject. It fills subject, status, message, expected,
/// observed, evidence and source; the registry stamps check id, severity and fix ids
/// (the row's fix, unless the finding names another one itself). It takes only the
/// Facts: what the site wants (policy::Policy) is for the planners.
using EvaluateFn = std::vector<model::Finding> (*)(const model::Facts&);

struct CheckSpec {
    std::string_view id;
    std::string_view title;
    model::Severity severity;
    EvaluateFn evaluate;
    std::string_view fix;  ///< fix id, empty when there is no automatic fix
    /// What its findings judge when there is something to judge (otherwise "-"):
    /// the text report offers `--interface` with the fix of an interface check.
    /// keepalived.track_script also judges sync groups and scripts; env.multicast names
    /// an instance without a name by its interface.
    model::SubjectKind subject;
};

/// Every registered check, in the order reports list them.
std::span<const CheckSpec> all_checks();
const CheckSpec* find_check(std::string_view id);
/// The registered id closest to `id` (edit distance), for "did you mean".
std::string closest_check_id(std::string_view id);

/// Runs the selected checks. `only` empty means all; `skip` removes ids.
std::vector<model::Finding> evaluate_checks(const model::Facts& facts, const std::vector<std::string>& only,
                                            const std::vector<std::string>& skip);

/// Helpers for evaluate functions.
model::Finding finding(model::Subject subject, model::Status status, std::string message);
/// How a check words a fact it cannot judge: the text before the why, for each state,
/// and the text after it.
struct NotKnownWords {
    std::string unreadable{};  ///< before the why when the fact is unreadable
    std::string absent{};      ///< before the why when the fact is absent
    std::string after{};       ///< after the why, either way
};
/// The finding for a fact that is not known: absent -> skip (the thing is not there,
/// the check does not apply), unreadable -> unknown (it could not be read, never a
/// guess), the message being the why in `words`.
model::Finding not_known(model::Subject subject, model::FactState state, const std::string& why,
                         const NotKnownWords& words);
template <class T>
model::Finding not_known(model::Subject subject, const model::Fact<T>& fact, const NotKnownWords& words) {
    return not_known(std::move(subject), fact.state(), fact.why(), words);
}
/// The single finding a check returns when there is no VRRP interface to judge.
std::vector<model::Finding> no_vrrp_interface(const model::Facts& facts);

/// The shape of every per-interface check: `judge(name)` returns the finding for
/// each VRRP interface, or no_vrrp_interface when there is none.
template <class Judge>
std::vector<model::Finding> per_vrrp_interface(const model::Facts& facts, Judge&& judge) {
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names) findings.push_back(judge(name));
    return findings;
}

}  // namespace haprep::checks
