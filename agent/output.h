#pragma once

#include "agent/options.h"
#include "model/report.h"

namespace haprep::agent {

/// Prints the report on stdout in the format the options ask for.
void print_report(const GlobalOptions& global, const model::Report& report);

}  // namespace haprep::agent
