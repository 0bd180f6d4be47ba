#include "agent/output.h"

#include <iostream>

#include "agent/report/render.h"

namespace haprep::agent {

void print_report(const GlobalOptions& global, const model::Report& report) {
    if (global.format == Format::json) {
        std::cout << report::render_json(report);
    } else {
        std::cout << report::render_text(report, {report::want_color(global.no_color), global.verbose});
    }
    std::cout.flush();
}

}  // namespace haprep::agent
