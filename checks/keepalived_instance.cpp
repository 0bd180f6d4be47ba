#include "checks/check.h"

// STUB: to be replaced by the real checks.

namespace haprep::checks {

std::vector<model::Finding> evaluate_keepalived_interface(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_vrid(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_priority(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_advert_int(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_auth(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_unicast(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_nopreempt(const model::Facts&, const policy::Policy&) { return {}; }
std::vector<model::Finding> evaluate_keepalived_ipv6_first_vip(const model::Facts&, const policy::Policy&) { return {}; }

}  // namespace haprep::checks
