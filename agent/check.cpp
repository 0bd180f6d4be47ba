// haprep check: probe, evaluate, report. Exit code = worst status (Nagios).

#include "agent/commands.h"
#include "agent/output.h"
#include "agent/pipeline.h"

namespace haprep::agent {

CLI::App* setup_check(CLI::App& app) {
    return app.add_subcommand("check", "Probe this host and report every check's finding");
}

int run_check(const GlobalOptions& global) {
    const auto facts = acquire_facts(global);
    auto report = new_report(facts, "check");
    report.findings = evaluate(facts, global);
    print_report(global, report);
    return model::exit_code_for(report.status());
}

}  // namespace haprep::agent
