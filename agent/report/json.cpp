#include "agent/report/render.h"
#include "model/json.h"

namespace haprep::agent::report {

std::string render_json(const model::Report& report) {
    return model::report_to_json(report).dump(2) + "\n";
}

}  // namespace haprep::agent::report
