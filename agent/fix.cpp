// haprep fix: plan the fixes for what fails and show them; with --apply, execute the
// plan under the lock, journal it, re-probe and report what is really fixed.

#include <unistd.h>

#include <iostream>

#include "agent/commands.h"
#include "agent/output.h"
#include "agent/pipeline.h"
#include "fixes/applier.h"
#include "fixes/fix.h"
#include "host/lock.h"

namespace haprep::agent {

namespace {

std::string journal_name() {
    return utc_now("%Y%m%dT%H%M%SZ") + "-" + std::to_string(::getpid()) + ".json";
}

}  // namespace

CLI::App* setup_fix(CLI::App& app, FixOptions& options) {
    auto* fix = app.add_subcommand(
        "fix", "Plan fixes for what fails and show them as a dry run (--apply executes them)");
    fix->add_flag("--apply", options.apply,
                  "Apply the plan: journaled, rolled back on error, verified by a re-check");
    return fix;
}

int run_fix(const GlobalOptions& global, const FixOptions& options) {
    if (options.apply && !global.facts_file.empty())
        throw UsageError("--apply acts on this host; it cannot be combined with --facts");
    const auto policy = policy::defaults();

    host::ExclusiveLock lock;
    if (options.apply) {
        // Taken before probing: the plan must be made from the state it is applied to.
        if (auto err = lock.acquire(host::Root(global.root), fixes::kLockPath); !err.empty())
            throw UsageError("cannot take the lock: " + err);
    }

    const auto facts = acquire_facts(global);
    const auto findings = evaluate(facts, global);
    auto plan = fixes::plan_fixes(facts, findings, policy);

    auto report = new_report(facts, options.apply ? "fix --apply" : "fix");
    // Nothing to apply: the probe just made is the state to report (re-probing
    // could only turn an unknown into a misleading skip if a daemon went away).
    if (!options.apply || plan.changes.empty()) {
        report.findings = findings;
        report.changes = std::move(plan.changes);
        print_report(global, report);
        return model::exit_code_for(report.status());
    }

    fixes::HostWriter writer{host::Root(global.root)};
    const auto outcome = fixes::apply_plan(plan, writer, journal_name());
    const auto after = probe_host(global);
    report.findings = evaluate(after, global);
    if (outcome.ok) fixes::verify_plan(plan, report.findings);
    report.changes = std::move(plan.changes);
    print_report(global, report);
    if (!outcome.ok) {
        std::cerr << "haprep: fix --apply failed, nothing left half-applied: " << outcome.error
                  << "\n";
        return kExitUnknown;
    }
    return model::exit_code_for(report.status());
}

}  // namespace haprep::agent
