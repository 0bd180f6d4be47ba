#include "model/finding.h"

#include <algorithm>

namespace haprep::model {

namespace {
struct StatusName {
    Status status;
    const char* name;
};
constexpr StatusName kStatusNames[] = {
    {Status::pass, "pass"},       {Status::warn, "warn"}, {Status::fail, "fail"},
    {Status::unknown, "unknown"}, {Status::skip, "skip"}, {Status::waived, "waived"},
};
}  // namespace

const char* to_string(Status status) {
    for (const auto& entry : kStatusNames)
        if (entry.status == status) return entry.name;
    return "unknown";
}

const char* to_string(Severity severity) { return severity == Severity::warn ? "warn" : "fail"; }

std::optional<Status> status_from_string(const std::string& text) {
    for (const auto& entry : kStatusNames)
        if (text == entry.name) return entry.status;
    return std::nullopt;
}

std::optional<Severity> severity_from_string(const std::string& text) {
    if (text == "warn") return Severity::warn;
    if (text == "fail") return Severity::fail;
    return std::nullopt;
}

int badness(Status status) {
    switch (status) {
        case Status::fail: return 3;
        case Status::unknown: return 2;
        case Status::warn: return 1;
        default: return 0;
    }
}

Status worst_status(const std::vector<Finding>& findings) {
    Status worst = Status::pass;
    for (const auto& finding : findings)
        if (badness(finding.status) > badness(worst)) worst = finding.status;
    return worst;
}

int exit_code_for(Status worst) {
    switch (worst) {
        case Status::fail: return 2;
        case Status::unknown: return 3;
        case Status::warn: return 1;
        default: return 0;
    }
}

}  // namespace haprep::model
