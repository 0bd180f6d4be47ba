#include "fixes/fix.h"

namespace haprep::fixes {

std::vector<model::Change> plan_rp_filter(const model::Facts&, std::span<const model::Finding>,
                                          const policy::Policy&);
std::vector<model::Change> plan_nft_vrrp(const model::Facts&, std::span<const model::Finding>,
                                         const policy::Policy&);
std::vector<model::Change> plan_firewalld_vrrp(const model::Facts&, std::span<const model::Finding>,
                                               const policy::Policy&);
std::vector<model::Change> plan_link_multicast(const model::Facts&, std::span<const model::Finding>,
                                               const policy::Policy&);
std::vector<model::Change> plan_keepalived_conf(const model::Facts&, std::span<const model::Finding>,
                                                const policy::Policy&);

namespace {
constexpr FixSpec kFixes[] = {
    {"sysctl.rp_filter", plan_rp_filter},
    {"link.multicast", plan_link_multicast},
    {"nft.vrrp", plan_nft_vrrp},
    {"firewalld.vrrp", plan_firewalld_vrrp},
    {"keepalived.conf", plan_keepalived_conf},
};
}  // namespace

std::span<const FixSpec> all_fixes() { return kFixes; }

model::Plan plan_fixes(const model::Facts& facts, const std::vector<model::Finding>& findings,
                       const policy::Policy& policy) {
    model::Plan plan;
    for (const auto& spec : kFixes) {
        std::vector<model::Finding> mine;
        for (const auto& f : findings)
            if (f.fix == spec.id) mine.push_back(f);
        if (mine.empty()) continue;
        for (auto& change : spec.plan(facts, mine, policy)) {
            change.fix = spec.id;
            change.result = "planned";
            plan.changes.push_back(std::move(change));
        }
    }
    return plan;
}

}  // namespace haprep::fixes
