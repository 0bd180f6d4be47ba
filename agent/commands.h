#pragma once
// One subcommand per file (agent/<name>.cpp): setup_<name> declares it and its own
// options on the CLI11 app; run_<name> executes it and returns the exit code.

#include <CLI/CLI.hpp>
#include <string>

#include "agent/options.h"

namespace haprep::agent {

CLI::App* setup_check(CLI::App& app);
int run_check(const GlobalOptions& global);

struct FixOptions {
    bool apply = false;
};
CLI::App* setup_fix(CLI::App& app, FixOptions& options);
int run_fix(const GlobalOptions& global, const FixOptions& options);

CLI::App* setup_list(CLI::App& app);
int run_list(const GlobalOptions& global);

struct SnapshotOptions {
    std::string output;
};
CLI::App* setup_snapshot(CLI::App& app, SnapshotOptions& options);
int run_snapshot(const GlobalOptions& global, const SnapshotOptions& options);

CLI::App* setup_version(CLI::App& app);
int run_version(const GlobalOptions& global);

}  // namespace haprep::agent
