#include <iostream>
#include <nlohmann/json.hpp>

#include "agent/commands.h"

namespace haprep::agent {

CLI::App* setup_version(CLI::App& app) {
    return app.add_subcommand("version", "Print haprep's version");
}

int run_version(const GlobalOptions& global) {
    if (global.format == Format::json)
        std::cout << nlohmann::json{{"name", "haprep"}, {"version", kVersion}}.dump() << "\n";
    else
        std::cout << "haprep " << kVersion << "\n";
    return 0;
}

}  // namespace haprep::agent
