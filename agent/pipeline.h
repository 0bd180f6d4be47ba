#pragma once
// The stages every command shares: probe (or load a snapshot), evaluate, and the
// report skeleton. Subcommands compose them; see docs/ARCHITECTURE.md for the data flow.

#include <string>
#include <vector>

#include "agent/options.h"
#include "model/facts.h"
#include "model/report.h"

namespace haprep::agent {

/// Reads the live host (kernel state live, configuration files under --root).
model::Facts probe_host(const GlobalOptions& options);

/// probe_host or load_facts, as the options say.
model::Facts acquire_facts(const GlobalOptions& options);

std::vector<model::Finding> evaluate(const model::Facts& facts, const GlobalOptions& options);

/// A report with tool, host, time and command filled in.
model::Report new_report(const model::Facts& facts, const std::string& command);

/// The current time in UTC, formatted by strftime(3) (report times, journal names).
std::string utc_now(const char* format);

/// Validates the global options (check ids, --root); throws UsageError.
void validate(const GlobalOptions& options);

}  // namespace haprep::agent
