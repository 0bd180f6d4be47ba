#pragma once
// Fixes: a pure planner per fix id, in one table. A planner turns the findings that
// name its fix into Changes with their diffs; the applier (fixes/applier.h) executes
// them. The dry run only renders the Changes: nothing in a planner touches the host.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/facts.h"
#include "model/finding.h"
#include "model/plan.h"
#include "policy/policy.h"

namespace haprep::fixes {

using PlanFn = std::vector<model::Change> (*)(const model::Facts&,
                                              std::span<const model::Finding> findings,
                                              const policy::Policy&);

struct FixSpec {
    std::string_view id;
    PlanFn plan;
};

std::span<const FixSpec> all_fixes();

/// The plan for every warn/fail finding that names a fix. Findings whose fix plans
/// nothing are left as they are: the report still shows them.
model::Plan plan_fixes(const model::Facts& facts, const std::vector<model::Finding>& findings,
                       const policy::Policy& policy);

}  // namespace haprep::fixes
