// nft.vrrp and nft.legacy.
//
// nft.vrrp builds the adverts this node must receive on each VRRP interface and family
// (multicast: to 224.0.0.18 / ff02::12 from each peer; unicast: to our address from
// each unicast peer) and runs them through the live ruleset with the evaluator. A
// drop names the rule (or chain policy) that decides; a rule the evaluator cannot
// read where it could decide makes the result unknown, naming that rule.

#include "checks/check.h"
#include "checks/nft_eval.h"

namespace haprep::checks {

namespace {

using model::Family;
using model::Status;

std::string describe(const VrrpPacket& p) {
    return "vrrp " + p.saddr + " > " + p.daddr + " on " + p.iifname + (p.ct_state == 0x02 ? " (ct established)" : " (ct new)");
}

int rank(NftVerdict::Outcome o) {
    return o == NftVerdict::Outcome::drop ? 2 : o == NftVerdict::Outcome::indeterminate ? 1 : 0;
}

}  // namespace

std::vector<model::Finding> evaluate_nft_vrrp(const model::Facts& facts, const policy::Policy&) {
    if (!facts.nft.ok()) {
        const bool absent = facts.nft.error.find("nf_tables available") != std::string::npos;
        return {finding("-", absent ? Status::skip : Status::unknown, "no nftables ruleset: " + facts.nft.error)};
    }
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);
    const model::FactsView view(facts);
    const auto& ruleset = *facts.nft.value;
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names) {
        for (const auto& instance : view.instances(name)) {
            const std::string subject = name + " (" + model::to_string(instance.family) + ")";
            std::optional<NftVerdict> worst;
            VrrpPacket worst_packet;
            std::vector<std::string> established;
            for (auto packet : vrrp_adverts(view, instance)) {
                auto verdict = evaluate_packet(ruleset, packet);
                auto as_established = packet;
                as_established.ct_state = 0x02;
                const auto other = evaluate_packet(ruleset, as_established);
                if (other.outcome != verdict.outcome)
                    established.push_back(describe(as_established) + " would be " + to_string(other.outcome) + " (" +
                                          other.decided_by + ")");
                if (!worst || rank(verdict.outcome) > rank(worst->outcome)) {
                    worst = std::move(verdict);
                    worst_packet = packet;
                }
            }
            model::Finding f = finding(subject, Status::pass, "");
            f.expected = "accept";
            f.observed = to_string(worst->outcome);
            f.evidence.emplace_back("packet", describe(worst_packet));
            for (const auto& step : worst->path) f.evidence.emplace_back(step.chain, step.outcome + " (" + step.by + ")");
            for (const auto& note : worst->notes) f.evidence.emplace_back("note", note);
            for (const auto& e : established) f.evidence.emplace_back("conntrack", e);
            switch (worst->outcome) {
                case NftVerdict::Outcome::accept:
                    f.message = "nftables lets VRRP in on " + name + " (" + worst->decided_by + ")";
                    break;
                case NftVerdict::Outcome::drop: {
                    f.status = Status::fail;
                    f.message = "nftables drops VRRP adverts on " + name + ": " + worst->decided_by;
                    const auto& step = worst->path.back();
                    if (step.family == "inet" && step.table == "firewalld") {
                        // firewalld rebuilds its table on every reload: the fix is firewalld's.
                        f.message += " (firewalld's table: firewalld decides; the fix goes through firewalld)";
                        f.fix = "firewalld.vrrp";
                    }
                    break;
                }
                case NftVerdict::Outcome::indeterminate:
                    f.status = Status::unknown;
                    f.message = "cannot tell whether nftables lets VRRP in on " + name + ": " + worst->decided_by;
                    break;
            }
            findings.push_back(std::move(f));
        }
    }
    return findings;
}

std::vector<model::Finding> evaluate_nft_legacy(const model::Facts& facts, const policy::Policy&) {
    if (!facts.legacy_iptables.ok())
        return {finding("-", Status::unknown, "cannot read the legacy iptables tables: " + facts.legacy_iptables.error)};
    const auto& legacy = *facts.legacy_iptables.value;
    auto join = [](const std::vector<std::string>& names) {
        std::string text;
        for (const auto& n : names) text += (text.empty() ? "" : " ") + n;
        return text.empty() ? std::string("none") : text;
    };
    model::Finding f = finding("-", Status::pass, "no legacy iptables tables in use");
    f.evidence = {{"/proc/net/ip_tables_names", join(legacy.ipv4)}, {"/proc/net/ip6_tables_names", join(legacy.ipv6)}};
    if (!legacy.ipv4.empty() || !legacy.ipv6.empty()) {
        f.status = Status::warn;
        f.message = "legacy iptables tables are in use (" + join(legacy.ipv4) + (legacy.ipv6.empty() ? "" : "; ip6: " + join(legacy.ipv6)) +
                    "): their rules are invisible to nftables and to nft.vrrp; check them with iptables-legacy -L";
    }
    return {f};
}

}  // namespace haprep::checks
