#pragma once
// Renderers: pure functions from a Report to text. The text form is for people
// (grouped by status, evidence and a fix hint per problem); JSON is the "haprep/1"
// contract for Ansible, CI and monitoring.

#include <string>

#include "model/report.h"

namespace haprep::agent::report {

struct TextStyle {
    bool color = false;
    bool verbose = false;  ///< evidence for passing findings too
};

std::string render_text(const model::Report& report, const TextStyle& style);
std::string render_json(const model::Report& report);

}  // namespace haprep::agent::report
