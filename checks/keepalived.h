#pragma once
// Shared by the keepalived.* checks: how keepalived itself reads the values the
// checks judge (numbers, the VRRP version, defaults), where to point the user
// (file:line), and which instance on a peer node is the other half of ours.
//
// The checks judge the configuration the way keepalived would, so a finding says what
// keepalived will do with the file, not what a stricter reading of it would say.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"
#include "model/ip.h"
#include "model/text.h"

namespace haprep::checks {

using model::address_family;
using model::first_word;
using model::instance_family;
using model::vip_family;
using model::parse_integer;
using model::Interval;
using model::parse_interval;
using model::vrrp_version;
using model::effective_advert_cs;

/// The one finding for every keepalived check when there is no configuration to
/// judge: unknown when it could not be read (the check cannot decide), skip when there
/// is none (nothing to judge is not a problem). nullopt when the configuration is there.
std::optional<model::Finding> without_keepalived_conf(const model::Facts& facts);

/// The one "-" skip finding when the configuration has nothing this check judges.
model::Finding nothing_to_judge(std::string why);

/// "file:line", as keepalived and editors print locations.
std::string where(const model::SourceLocation& at);

/// Where `keyword` is written in the instance, else the instance block itself (an
/// absent keyword is fixed by adding it there).
model::SourceLocation keyword_at(const model::KeepalivedInstance& in, const std::string& keyword);

/// The priority keepalived runs with: as written when valid (1..255), 100 when not,
/// and when unset 255 for state MASTER, else 100.
int effective_priority(const model::KeepalivedInstance& in);

/// Authentication is configured (the block, or either of its keywords).
bool uses_auth(const model::KeepalivedInstance& in);

/// Two addresses are the same host (text forms differ for IPv6: "2001:db8::1" and
/// "2001:0db8:0::1").
bool same_address(const std::string& a, const std::string& b);

/// "--peer-conf FILE (node2)": how evidence names a peer node.
std::string peer_name(const model::PeerNode& peer);

/// The peers' instances, indexed by VRID and family once per check, so matching
/// thousands of instances against a peer's thousands stays linear.
class PeerInstances {
public:
    explicit PeerInstances(const model::Facts& facts);
    const model::Facts& facts() const { return facts_; }
    const std::vector<model::PeerNode>& peers() const { return facts_.peers; }
    /// The instance of peers()[peer] that is the other half of ours: same VRID, family
    /// and interface name; else the only one with the same VRID and family (interface
    /// names often differ between nodes). nullptr when there is none (or ours has no
    /// valid VRID).
    const model::KeepalivedInstance* match(const model::KeepalivedInstance& in, size_t peer) const;

private:
    const model::Facts& facts_;
    std::vector<std::map<std::pair<long, model::Family>, std::vector<const model::KeepalivedInstance*>>> by_vrid_;
};

/// Cross-node comparisons (checks/keepalived_peers.cpp), folded into the priority,
/// advert_int and auth findings of our instance: for every peer with a matching
/// instance, a disagreement makes `f` worse (it keeps the worst status and its
/// message) and adds evidence naming the peer and its value.
void compare_priority_with_peers(const PeerInstances& peers, const model::KeepalivedInstance& in, model::Finding& f);
void compare_advert_int_with_peers(const PeerInstances& peers, const model::KeepalivedInstance& in, model::Finding& f);
void compare_auth_with_peers(const PeerInstances& peers, const model::KeepalivedInstance& in, model::Finding& f);

/// Makes `f` at least as bad as `status`: a worse status replaces status and message,
/// an equal one appends its message; `at` becomes the source when `f` has none.
void raise(model::Finding& f, model::Status status, const std::string& message, const model::SourceLocation& at);

/// The shape of the per-instance checks: one finding per vrrp_instance.
template <class Judge>
std::vector<model::Finding> per_keepalived_instance(const model::Facts& facts, Judge&& judge) {
    if (auto f = without_keepalived_conf(facts)) return {*f};
    const auto& conf = *facts.keepalived.value;
    if (conf.instances.empty()) return {nothing_to_judge("no vrrp_instance in " + conf.path)};
    std::vector<model::Finding> findings;
    findings.reserve(conf.instances.size());
    for (const auto& in : conf.instances) findings.push_back(judge(conf, in));
    return findings;
}

}  // namespace haprep::checks
