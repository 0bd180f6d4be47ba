// nft.vrrp and nft.legacy.
//
// nft.vrrp builds the adverts this node must receive on each VRRP interface and family
// (multicast: to 224.0.0.18 / ff02::12 from each peer; unicast: to our address from
// each unicast peer) and runs them through the live ruleset with the evaluator. A
// drop names the rule (or chain policy) that decides; a rule the evaluator cannot
// read where it could decide makes the result unknown, naming that rule.

#include "checks/check.h"
#include "checks/keepalived.h"
#include "firewall/legacy_iptables.h"
#include "firewall/nft_eval.h"

#include <fmt/format.h>

namespace haprep::checks {

namespace {

using model::Family;
using model::Status;

std::string describe(const firewall::VrrpPacket& p) {
    const std::string source = p.saddr.empty() ? "(unknown peer)" : p.saddr;
    return "vrrp " + source + " > " + p.daddr + (p.outbound ? " out on " : " on ") + p.iifname +
           (p.ct_state == 0x02 ? " (ct established)" : " (ct new)");
}

int rank(firewall::NftVerdict::Outcome o) {
    switch (o) {
        case firewall::NftVerdict::Outcome::drop: return 3;
        case firewall::NftVerdict::Outcome::indeterminate: return 2;
        case firewall::NftVerdict::Outcome::source_dependent: return 1;
        case firewall::NftVerdict::Outcome::accept: return 0;
    }
    return 0;
}

}  // namespace

namespace {

std::string rate_text(double per_second) {
    if (per_second >= 1) return fmt::format("{:.3g}/second", per_second);
    return fmt::format("{:.3g}/minute", per_second * 60);
}

}  // namespace

namespace {

/// The advert of one instance the ruleset treats worst, and what conntrack would do
/// for the unicast ones it does not accept.
struct WorstAdvert {
    std::optional<firewall::NftVerdict> verdict;
    firewall::VrrpPacket packet;
    std::vector<std::string> established;
};

WorstAdvert worst_advert(const model::NftRuleset& ruleset, const model::FactsView& view,
                         const model::VrrpInstance& instance, bool outbound) {
    WorstAdvert worst;
    for (auto packet : outbound ? firewall::vrrp_adverts_out(view, instance) : firewall::vrrp_adverts(view, instance)) {
        auto verdict = firewall::evaluate_packet(ruleset, packet);
        // Multicast adverts get no replies and never become established; a
        // unicast exchange may, once this node has sent to the peer.
        if (!packet.multicast && !outbound && verdict.outcome != firewall::NftVerdict::Outcome::accept) {
            auto as_established = packet;
            as_established.ct_state = 0x02;
            const auto other = firewall::evaluate_packet(ruleset, as_established);
            if (other.outcome == firewall::NftVerdict::Outcome::accept)
                worst.established.push_back(describe(as_established) + " would be accepted (" + other.decided_by +
                                            "): conntrack may let the peer's adverts in after this node has sent to it, "
                                            "but the pair starts split");
        }
        if (!worst.verdict || rank(verdict.outcome) > rank(worst.verdict->outcome)) {
            worst.verdict = std::move(verdict);
            worst.packet = packet;
        }
    }
    return worst;
}

/// Accepted: but a rate limit below the adverts' rate still drops some. The adverts'
/// rate takes every instance on the interface: only computed when a limit is there to
/// compare it with. Our own outgoing adverts are not rate-judged.
void judge_accepted(model::Finding& f, const model::Facts& facts, const model::FactsView& view,
                    const model::VrrpInstance& instance, const WorstAdvert& worst, bool outbound) {
    const std::string& name = instance.interface;
    f.message = "nftables lets " + std::string(outbound ? "this node's VRRP adverts out" : "VRRP in") + " on " + name +
                " (" + worst.verdict->decided_by + ")";
    const auto& limits = outbound ? std::vector<firewall::RateLimit>{} : worst.verdict->limits;
    const double rate = limits.empty() ? 0 : firewall::advert_rate(facts, view, instance);
    for (const auto& limit : limits) {
        f.evidence.emplace_back("rate", "adverts arrive at " + rate_text(rate) + "; rule " + limit.rule + " lets " +
                                            rate_text(limit.per_second) + " through");
        if (limit.per_second < rate) {
            f.status = Status::fail;
            f.message = "nftables lets VRRP in on " + name + " only at " + rate_text(limit.per_second) +
                        ", below the adverts' " + rate_text(rate) + " (rule " + limit.rule +
                        "): the rest are dropped and the backup takes over";
        }
    }
}

/// Dropped: the message names what decides, and where the fix goes when haprep's own
/// nftables fix is not the one (firewalld's table, a legacy chain, ufw's chains).
void judge_dropped(model::Finding& f, const model::NftRuleset& ruleset, const model::VrrpInstance& instance,
                   const WorstAdvert& worst, bool outbound) {
    const std::string& name = instance.interface;
    const auto& packet = worst.packet;
    f.status = Status::fail;
    f.message = outbound ? "nftables drops this node's own VRRP adverts on their way out on " + name + ": " +
                               worst.verdict->decided_by + " (keepalived logs `send advert error 1 (Operation not permitted)`)"
                         : "nftables drops VRRP adverts on " + name + ": " + worst.verdict->decided_by;
    const auto& step = worst.verdict->path.back();
    const std::string owner = firewall::chain_owner(ruleset, step.family, step.table, step.chain_name);
    const std::string peer = packet.saddr.empty() ? "" : packet.saddr;
    const std::string ip = instance.family == Family::ipv4 ? "iptables" : "ip6tables";
    if (owner == "firewalld") {
        // firewalld rebuilds its table on every reload: the fix is firewalld's.
        f.message += " (firewalld's table: firewalld decides; the fix goes through firewalld)";
        f.fix = "firewalld.vrrp";
    } else if (step.legacy) {
        const std::string match =
            outbound ? " -o " + name + " -d " + packet.daddr : " -i " + name + (peer.empty() ? "" : " -s " + peer);
        f.message += " (a legacy iptables chain, which haprep does not edit: run `" + ip + "-legacy -I " + step.chain_name +
                     " 1" + match + " -p vrrp -j ACCEPT` and save it where this host restores its legacy rules at boot)";
    } else if (owner == "ufw") {
        f.message += outbound ? " (ufw's chains: the fix goes through ufw, `ufw allow out on " + name + " to " + packet.daddr +
                                    " proto vrrp`)"
                              : " (ufw's chains: the fix goes through ufw, `ufw allow in on " + name +
                                    (peer.empty() ? "" : " from " + peer) + " to " + packet.daddr + " proto vrrp`)";
    }
}

model::Finding judge_instance(const model::Facts& facts, const model::FactsView& view, const model::NftRuleset& ruleset,
                              const model::VrrpInstance& instance, bool outbound) {
    const WorstAdvert worst = worst_advert(ruleset, view, instance, outbound);
    const auto& verdict = *worst.verdict;
    const std::string& name = instance.interface;
    const std::string adverts = outbound ? "this node's VRRP adverts out" : "VRRP in";
    model::Finding f = finding(model::adverts_subject(instance, outbound), Status::pass, "");
    f.expected = "accept";
    f.observed = to_string(verdict.outcome);
    f.evidence.emplace_back("packet", describe(worst.packet));
    for (const auto& step : verdict.path) f.evidence.emplace_back(step.chain, step.outcome + " (" + step.by + ")");
    for (const auto& note : verdict.notes) f.evidence.emplace_back("note", note);
    for (const auto& a : verdict.assumed) f.evidence.emplace_back("undecided", a);
    for (const auto& e : worst.established) f.evidence.emplace_back("conntrack", e);
    switch (verdict.outcome) {
        case firewall::NftVerdict::Outcome::accept: judge_accepted(f, facts, view, instance, worst, outbound); break;
        case firewall::NftVerdict::Outcome::drop: judge_dropped(f, ruleset, instance, worst, outbound); break;
        case firewall::NftVerdict::Outcome::source_dependent:
            f.status = Status::warn;
            f.message = "nftables lets " + adverts + " on " + name + " only from some sources (" + verdict.decided_by +
                        ") — is that your peer? haprep does not know the peers: name them with --peer, "
                        "--peer-conf or --peer-facts";
            break;
        case firewall::NftVerdict::Outcome::indeterminate:
            f.status = Status::unknown;
            f.message = "cannot tell whether nftables lets " + adverts + " on " + name + ": " + verdict.decided_by;
            break;
    }
    return f;
}

/// nft.vrrp (the peers' adverts coming in) and nft.vrrp_out (ours going out).
std::vector<model::Finding> judge_nft_vrrp(const model::Facts& facts, bool outbound) {
    if (!facts.nft.ok())
        return {not_known(model::host_subject(), facts.nft, {.unreadable = "no nftables ruleset: ", .absent = "no nftables ruleset: "})};
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);
    const model::FactsView view(facts);
    // Legacy (x_tables) chains hook in beside nftables' and are judged with them.
    std::optional<model::NftRuleset> combined;
    if (firewall::has_legacy_rules(facts)) combined = firewall::with_legacy_rules(facts);
    const auto& ruleset = combined ? *combined : *facts.nft.value;
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names)
        for (const auto& instance : view.instances(name)) findings.push_back(judge_instance(facts, view, ruleset, instance, outbound));
    return findings;
}

}  // namespace

std::vector<model::Finding> evaluate_nft_vrrp(const model::Facts& facts) {
    return judge_nft_vrrp(facts, false);
}

std::vector<model::Finding> evaluate_nft_vrrp_out(const model::Facts& facts) {
    return judge_nft_vrrp(facts, true);
}

std::vector<model::Finding> evaluate_nft_legacy(const model::Facts& facts) {
    if (!facts.legacy_iptables.ok())
        return {not_known(model::host_subject(), facts.legacy_iptables, {.unreadable = "cannot read the legacy iptables tables: "})};
    const auto& legacy = *facts.legacy_iptables.value;
    auto join = [](const std::vector<std::string>& names) {
        return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, " "));
    };
    model::Finding f = finding(model::host_subject(), Status::pass, "no legacy iptables tables in use");
    f.evidence = {{"/proc/net/ip_tables_names", join(legacy.ipv4)}, {"/proc/net/ip6_tables_names", join(legacy.ipv6)}};
    const std::string tables = join(legacy.ipv4) + (legacy.ipv6.empty() ? "" : "; ip6: " + join(legacy.ipv6));
    const bool read_v4 = legacy.ipv4.empty() || !legacy.save_ipv4.empty();
    const bool read_v6 = legacy.ipv6.empty() || !legacy.save_ipv6.empty();
    if (read_v4 && read_v6 && (!legacy.ipv4.empty() || !legacy.ipv6.empty())) {
        // Read with iptables-legacy-save and judged by nft.vrrp beside nftables' chains.
        f.message = "legacy iptables tables are in use (" + tables +
                    "): their rules were read and nft.vrrp judges them with nftables' (`nft list ruleset` does not show them)";
    } else if (!read_v4 || !read_v6) {
        // A snapshot from before haprep read the legacy rules: the tables are known, their rules not.
        f.status = Status::warn;
        f.message = "legacy iptables tables are in use (" + tables +
                    ") but their rules are not in these facts, so nft.vrrp cannot judge them; check them with iptables-legacy-save";
    }
    return {f};
}

}  // namespace haprep::checks
