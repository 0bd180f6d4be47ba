// haprep list: every registered check, for people and for tooling.

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "agent/commands.h"
#include "checks/check.h"
#include "model/finding.h"

namespace haprep::agent {

CLI::App* setup_list(CLI::App& app) {
    return app.add_subcommand("list", "List every registered check: id, title, severity, fix");
}

int run_list(const GlobalOptions& global) {
    if (global.format == Format::json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& spec : checks::all_checks())
            rows.push_back({{"id", spec.id},
                            {"title", spec.title},
                            {"severity", model::to_string(spec.severity)},
                            {"fix", spec.fix}});
        std::cout << rows.dump(2) << "\n";
        return 0;
    }
    std::cout << fmt::format("{:<29} {:<8} {:<17} {}\n", "ID", "SEVERITY", "FIX", "TITLE");
    for (const auto& spec : checks::all_checks())
        std::cout << fmt::format("{:<29} {:<8} {:<17} {}\n", spec.id, model::to_string(spec.severity),
                                 spec.fix.empty() ? "-" : spec.fix, spec.title);
    return 0;
}

}  // namespace haprep::agent
