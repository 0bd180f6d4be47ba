#include "fixes/fix.h"

namespace haprep::fixes {

std::vector<model::Change> plan_keepalived_conf(const model::Facts&, std::span<const model::Finding>,
                                                const policy::Policy&) {
    return {};
}

}  // namespace haprep::fixes
