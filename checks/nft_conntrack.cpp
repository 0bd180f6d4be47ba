// nft.conntrack: the conntrack table has room for VRRP adverts.
//
// When nf_conntrack's table is full (the namespace's nf_conntrack_count reaches
// nf_conntrack_max) the kernel refuses every packet that would start a new entry —
// "nf_conntrack: table full, dropping packet" — after trying to evict an unassured
// one. A VRRP advert is such a packet unless the ruleset takes it out of conntrack
// (`notrack` in a raw prerouting chain, iptables' `-j CT --notrack`). The count is
// per network namespace, the limit global (read-only inside a namespace); 0 means no
// limit. A missing /proc/sys/net/netfilter/nf_conntrack_count (the fact is absent)
// means nf_conntrack is not loaded: nothing is tracked.

#include <cstdint>
#include <optional>

#include "checks/check.h"
#include "firewall/legacy_iptables.h"
#include "firewall/nft_eval.h"

namespace haprep::checks {

namespace {

using model::Status;

constexpr const char* kCountKey = "net.netfilter.nf_conntrack_count";
constexpr const char* kMaxKey = "net.netfilter.nf_conntrack_max";

std::string text(const model::Fact<int>& fact) {
    return fact.ok() ? std::to_string(*fact.value) : "unreadable (" + fact.error + ")";
}

/// Whether the ruleset takes every VRRP advert of the instance out of conntrack,
/// with the evidence saying so (tracked when there is no ruleset to read).
bool adverts_untracked(model::Finding& f, const model::Facts& facts, const model::NftRuleset* ruleset,
                       const model::FactsView& view, const model::VrrpInstance& instance) {
    if (!ruleset) {
        f.evidence.emplace_back("conntrack", "VRRP assumed tracked: cannot read the nftables ruleset (" + facts.nft.error + ")");
        return false;
    }
    const auto packets = firewall::vrrp_adverts(view, instance);
    bool untracked = !packets.empty();
    for (const auto& packet : packets) {
        if (!firewall::evaluate_packet(*ruleset, packet).untracked) {
            untracked = false;
            break;
        }
    }
    f.evidence.emplace_back("conntrack", untracked ? "the ruleset takes the VRRP adverts out of conntrack (notrack)"
                                                   : "the VRRP adverts are tracked (no notrack rule for them)");
    return untracked;
}

/// The status and message: tracked adverts need room in the table.
void judge_room(model::Finding& f, bool untracked, std::int64_t used, std::int64_t limit, const std::string& name) {
    const std::string numbers = std::to_string(used) + "/" + std::to_string(limit);
    if (untracked) {
        f.message = "VRRP is not tracked (notrack): the conntrack table (" + numbers + ") does not limit the adverts on " + name;
    } else if (limit <= 0) {
        f.message = "the conntrack table has no limit (nf_conntrack_max = " + std::to_string(limit) + ")";
    } else if (used >= limit) {
        f.status = Status::fail;
        f.message = "the conntrack table is full (" + numbers +
                    "): new VRRP packets are dropped; raise net.netfilter.nf_conntrack_max or add `notrack` for "
                    "VRRP in a raw/prerouting chain";
    } else if (used * 10 >= limit * 9) {
        f.status = Status::warn;
        f.message = "the conntrack table is nearly full (" + numbers +
                    "): once full, new VRRP packets are dropped; raise net.netfilter.nf_conntrack_max or add "
                    "`notrack` for VRRP in a raw/prerouting chain";
    } else {
        f.message = "the conntrack table has room for VRRP adverts on " + name + " (" + numbers + ")";
    }
}

}  // namespace

std::vector<model::Finding> evaluate_nft_conntrack(const model::Facts& facts) {
    const auto count_it = facts.sysctl.find(kCountKey);
    const auto max_it = facts.sysctl.find(kMaxKey);
    if (count_it == facts.sysctl.end() || max_it == facts.sysctl.end())
        // A snapshot taken before haprep read them: nothing to judge, nothing to claim.
        return {finding(model::host_subject(), Status::skip,
                        "these facts have no conntrack values (a snapshot from an older haprep): not judged")};
    const auto& count = count_it->second;
    const auto& max = max_it->second;
    if (count.is_absent()) {
        model::Finding f = finding(model::host_subject(), Status::pass, "conntrack is not loaded: VRRP adverts are not tracked");
        f.expected = "room for new connections";
        f.observed = "nf_conntrack not loaded";
        f.evidence.emplace_back("/proc/sys/net/netfilter/nf_conntrack_count", "absent (nf_conntrack is not loaded)");
        return {f};
    }
    if (!count.ok() || !max.ok()) {
        model::Finding f = finding(model::host_subject(), Status::unknown,
                                   "cannot read the conntrack table's size: " + (count.ok() ? max.error : count.error));
        f.evidence = {{kCountKey, text(count)}, {kMaxKey, text(max)}};
        return {f};
    }
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);

    const std::int64_t used = *count.value;
    const std::int64_t limit = *max.value;
    const std::string numbers = std::to_string(used) + "/" + std::to_string(limit);

    // The ruleset the adverts go through: nftables' and the legacy x_tables chains beside it.
    std::optional<model::NftRuleset> combined;
    if (facts.nft.ok() && firewall::has_legacy_rules(facts)) combined = firewall::with_legacy_rules(facts);
    const model::NftRuleset* ruleset = combined ? &*combined : facts.nft.ok() ? &*facts.nft.value : nullptr;

    const model::FactsView view(facts);
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names) {
        for (const auto& instance : view.instances(name)) {
            model::Finding f = finding(model::adverts_subject(instance), Status::pass, "");
            f.evidence = {{kCountKey, std::to_string(used)}, {kMaxKey, std::to_string(limit)}};
            const bool untracked = adverts_untracked(f, facts, ruleset, view, instance);
            f.expected = "notrack for VRRP, or nf_conntrack_count below nf_conntrack_max";
            f.observed = (untracked ? "untracked, " : "tracked, ") + numbers;
            judge_room(f, untracked, used, limit, name);
            findings.push_back(std::move(f));
        }
    }
    return findings;
}

}  // namespace haprep::checks
