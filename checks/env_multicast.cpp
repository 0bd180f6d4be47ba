#include "checks/check.h"

// STUB: to be replaced by the real checks.

namespace haprep::checks {

std::vector<model::Finding> evaluate_env_multicast(const model::Facts&, const policy::Policy&) { return {}; }

}  // namespace haprep::checks
