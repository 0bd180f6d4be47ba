#pragma once
// The result of one command: what the renderers print and what JSON consumers parse.

#include <string>
#include <vector>

#include "model/finding.h"
#include "model/plan.h"

namespace haprep::model {

inline constexpr const char* kReportSchema = "haprep/1";

struct Summary {
    int pass = 0, warn = 0, fail = 0, unknown = 0, skip = 0, waived = 0;
    bool operator==(const Summary&) const = default;
};

struct Report {
    std::string tool_version;
    std::string host;
    std::string time;     ///< RFC 3339, UTC
    std::string command;  ///< "check", "fix", "fix --apply"
    std::vector<Finding> findings;
    std::vector<Change> changes;

    Status status() const { return worst_status(findings); }
    bool changed() const;
    Summary summary() const;
};

}  // namespace haprep::model
