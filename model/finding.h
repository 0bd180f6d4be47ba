#pragma once
// A finding is one check applied to one subject (an interface, a family, an instance).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/subject.h"

namespace haprep::model {

enum class Status { pass, warn, fail, unknown, skip, waived };
enum class Severity { warn, fail };

struct SourceLocation {
    std::string file;
    int line = 0;
    bool operator==(const SourceLocation&) const = default;
};

/// One named piece of evidence: ("route back to 10.0.0.2", "10.0.0.2 dev eth1").
using Evidence = std::pair<std::string, std::string>;

struct Finding {
    std::string check;    ///< check id, e.g. "sysctl.rp_filter"
    Subject subject;      ///< what it judges: an interface, an instance, ...
    Status status = Status::unknown;
    Severity severity = Severity::fail;
    std::string message;
    std::string expected;
    std::string observed;
    std::vector<Evidence> evidence;  ///< ordered for humans
    std::string fix;  ///< fix id that repairs it, empty when none applies (only warn and fail ask for one)
    /// The fix of its check (the registry row's), on every finding whatever its status:
    /// after an apply, a change counts every finding of its fix's checks on its subjects.
    std::string check_fix;
    std::optional<SourceLocation> source;
    bool operator==(const Finding&) const = default;
};

const char* to_string(Status status);
const char* to_string(Severity severity);
std::optional<Status> status_from_string(const std::string& text);
std::optional<Severity> severity_from_string(const std::string& text);

/// Ordering for "the worst status": fail > unknown > warn > pass (skip and waived count
/// as pass), which is also the order of the exit codes 2, 3, 1, 0.
int badness(Status status);
Status worst_status(const std::vector<Finding>& findings);

/// Nagios plugin convention: 0 pass, 1 warn, 2 fail, 3 unknown.
int exit_code_for(Status worst);

}  // namespace haprep::model
