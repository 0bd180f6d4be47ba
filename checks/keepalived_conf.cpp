#include "checks/check.h"

// STUB: to be replaced by the real checks.

namespace haprep::checks {

std::vector<model::Finding> evaluate_keepalived_parse(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_sync_group_single(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_track_script(const model::Facts&, const policy::Policy&) { return {}; }

}  // namespace haprep::checks
