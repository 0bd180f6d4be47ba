#pragma once

#include "agent/options.h"
#include "model/report.h"

namespace haprep::agent {

/// Colour only on a terminal, never with --no-color or NO_COLOR set to anything but
/// "" (no-color.org). Pure: `no_color_environment` is getenv("NO_COLOR"), nullptr
/// when unset; print_report reads the environment and the terminal.
bool want_color(bool no_color_option, const char* no_color_environment, bool stdout_is_tty);

/// Prints the report on stdout in the format the options ask for.
void print_report(const GlobalOptions& global, const model::Report& report);

}  // namespace haprep::agent
