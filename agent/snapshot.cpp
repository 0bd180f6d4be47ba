// haprep snapshot: the probed Facts as JSON, for `check --facts` elsewhere.

#include <fstream>
#include <iostream>

#include "agent/commands.h"
#include "agent/pipeline.h"
#include "host/files.h"
#include "model/json.h"

namespace haprep::agent {

CLI::App* setup_snapshot(CLI::App& app, SnapshotOptions& options) {
    auto* snapshot =
        app.add_subcommand("snapshot", "Write the probed facts as JSON (for check --facts)");
    snapshot->add_option("-o,--output", options.output, "Write to FILE instead of stdout");
    return snapshot;
}

int run_snapshot(const GlobalOptions& global, const SnapshotOptions& options) {
    const std::string text = nlohmann::json(probe_host(global)).dump(2) + "\n";
    if (options.output.empty()) {
        std::cout << text;
        return 0;
    }
    // The output path is the user's own choice, not a configuration file: not under --root.
    std::ofstream out(options.output, std::ios::trunc);
    if (!(out << text)) throw UsageError("--output " + options.output + ": cannot write");
    return 0;
}

}  // namespace haprep::agent
