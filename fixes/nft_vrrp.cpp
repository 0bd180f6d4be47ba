// Fix nft.vrrp: insert `meta l4proto vrrp iifname "IF" ip daddr 224.0.0.18 counter
// accept` (ip6 daddr ff02::12; for unicast `ip saddr PEER`, one rule per peer) into
// every base chain that drops the advert, just before the rule that drops it, or at
// the head when the policy or a jumped-to chain does. All inserts of one fix go to
// the kernel as one atomic batch. Never flush, delete, reorder or change a policy;
// never touch `inet firewalld` (firewalld rebuilds it: the firewalld fix owns it), nor
// the chains of ufw (changed through `ufw allow`), Docker, kube-proxy or legacy iptables.
//
// The planner re-runs the evaluator on the ruleset with its own rules added, until
// every advert is accepted, so a second dropping chain gets its rule too.

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>

#include "firewall/legacy_iptables.h"
#include "firewall/nft_eval.h"
#include "fixes/diff.h"
#include "fixes/fix.h"
#include "fixes/iptables_persist.h"
#include "model/ip.h"
#include "model/nft_text.h"
#include "model/text.h"

namespace haprep::fixes {

namespace {

using model::Family;

constexpr int kMaxInserts = 16;
constexpr std::uint64_t kPlannedHandle = 1ULL << 62;  // stands for "not inserted yet"

std::string hex(const unsigned char* b, size_t n) { return model::nft::to_hex(b, n); }

model::NftExpr load(const char* name, std::uint32_t key_or_base, std::uint32_t offset = 0, std::uint32_t len = 0) {
    model::NftExpr e;
    e.name = name;
    e.dreg = 1;
    if (e.name == "meta") e.key = key_or_base;
    else e.base = key_or_base, e.offset = offset, e.len = len;
    return e;
}

model::NftExpr equals(const std::string& data) {
    model::NftExpr e;
    e.name = "cmp";
    e.sreg = 1;
    e.data = data;
    return e;
}

/// haprep's rule for `packet` in a chain of `family`.
model::NftRule vrrp_rule(const std::string& family, const firewall::VrrpPacket& packet) {
    const bool v4 = packet.family == Family::ipv4;
    model::NftRule rule;
    rule.exprs.push_back(load("meta", model::nft::kMetaL4proto));
    rule.exprs.push_back(equals("70"));      // 112
    rule.exprs.push_back(load("meta", packet.outbound ? model::nft::kMetaOifname : model::nft::kMetaIifname));  // NUL-padded
    unsigned char name[16] = {};
    std::memcpy(name, packet.iifname.data(), std::min<size_t>(15, packet.iifname.size()));
    rule.exprs.push_back(equals(hex(name, 16)));
    // The address match reads the network header, so the family must be pinned first
    // where a chain sees both (inet: nfproto; netdev: the ethertype).
    if (family == "inet") {
        rule.exprs.push_back(load("meta", model::nft::kMetaNfproto));
        rule.exprs.push_back(equals(v4 ? "02" : "0a"));
    } else if (family == "netdev") {
        rule.exprs.push_back(load("meta", model::nft::kMetaProtocol));
        rule.exprs.push_back(equals(v4 ? "0800" : "86dd"));
    }
    // Exactly the known peer (never wider than the adverts it must let in); multicast
    // adverts also by their group.
    auto match_address = [&](const std::string& text, std::uint32_t offset) {
        const auto ip_family = v4 ? Family::ipv4 : Family::ipv6;
        const auto address = model::IpAddress::parse(text, ip_family)
                                 .value_or(model::IpAddress::unspecified(ip_family));
        rule.exprs.push_back(load("payload", model::nft::kPayloadNetwork, offset, v4 ? 4 : 16));
        rule.exprs.push_back(equals(hex(address.bytes().data(), address.bytes().size())));
    };
    if (packet.outbound) {
        match_address(packet.daddr, v4 ? 16 : 24);  // our adverts: to the group or the peer
    } else {
        if (!packet.saddr.empty()) match_address(packet.saddr, v4 ? 12 : 8);
        if (packet.multicast) match_address(packet.daddr, v4 ? 16 : 24);
    }
    model::NftExpr counter;
    counter.name = "counter";
    rule.exprs.push_back(counter);
    model::NftExpr accept;
    accept.name = "immediate";
    accept.verdict = model::nft::kAccept;
    rule.exprs.push_back(accept);
    rule.comment = std::string("haprep: allow VRRP ") + (packet.outbound ? "out on " : "on ") + packet.iifname;
    return rule;
}

/// The ufw rule that lets `packet` in: `ufw allow in on IF [from PEER] to DEST proto
/// vrrp`, exactly the peer when it is known (ufw puts it in ufw-user-input, before
/// its final drop, and keeps it in /etc/ufw/user.rules).
model::Change ufw_change(const model::Subject& subject, const firewall::VrrpPacket& packet) {
    std::vector<std::string> args{"allow", packet.outbound ? "out" : "in", "on", packet.iifname};
    if (!packet.saddr.empty() && !packet.outbound) args.insert(args.end(), {"from", packet.saddr});
    args.insert(args.end(), {"to", packet.daddr, "proto", "vrrp"});
    model::Change c;
    c.subjects = {subject};
    c.target = "ufw";
    c.action = "allow";
    std::string line = "ufw";
    for (const auto& a : args) line += " " + a;
    c.diff = "+ " + line + "\n";
    c.effect = model::UfwRule{std::move(args)};
    c.note = "through ufw, which owns these chains and keeps the rule in /etc/ufw/user.rules (survives reload and reboot)";
    return c;
}

/// Inserts `rule` into the working copy where the kernel will put it.
void insert_into(model::NftRuleset& ruleset, model::NftRule rule, std::uint64_t before) {
    auto it = ruleset.rules.begin();
    for (; it != ruleset.rules.end(); ++it) {
        const bool same_chain = it->family == rule.family && it->table == rule.table && it->chain == rule.chain;
        if (same_chain && (before == 0 || it->handle == before)) break;
    }
    ruleset.rules.insert(it, std::move(rule));
}

using model::trim;

/// Inserts `rule_text` into the chain whose `chain NAME {` line is `lines[chain_line]`,
/// after the chain's type/policy lines (and blank and comment lines among them).
void insert_at_chain_head(std::vector<std::string>& lines, size_t chain_line, const std::string& rule_text) {
    size_t at = chain_line + 1;
    while (at < lines.size()) {
        const std::string t = trim(lines[at]);
        if (t.rfind("type ", 0) == 0 || t.rfind("policy ", 0) == 0 || t.empty() || t[0] == '#') ++at;
        else break;
    }
    // Indented like the chain's own statements (its `type` line), else one tab deeper.
    const auto indent_of = [&](size_t i) { return lines[i].substr(0, lines[i].find_first_not_of(" \t")); };
    std::string indent = indent_of(chain_line) + "\t";
    if (chain_line + 1 < lines.size() && trim(lines[chain_line + 1]).rfind("type ", 0) == 0)
        indent = indent_of(chain_line + 1);
    lines.insert(lines.begin() + static_cast<long>(at), indent + rule_text);
}

/// `content` with `rule_text` as the first rule of `chain` in `table` (after the
/// chain's type/policy lines), or nothing when the file does not define that chain.
std::optional<std::string> insert_in_config(const std::string& content, const model::NftRule& rule,
                                            const std::string& rule_text) {
    std::vector<std::string> lines = model::split_lines(content);
    auto words = [](const std::string& line) {
        std::istringstream w(line);
        std::vector<std::string> out;
        for (std::string word; w >> word;) out.push_back(word);
        return out;
    };
    int depth = 0, table_depth = -1;
    for (size_t i = 0; i < lines.size(); ++i) {
        const auto w = words(lines[i]);
        if (table_depth < 0 && w.size() >= 3 && w[0] == "table") {
            // `table NAME {` is family ip; `table FAMILY NAME {` names it.
            const bool named = w.size() >= 4 && w[3] == "{";
            const std::string family = named ? w[1] : "ip";
            const std::string name = named ? w[2] : w[1];
            if (family == rule.family && name == rule.table) table_depth = depth;
        } else if (table_depth >= 0 && depth == table_depth + 1 && w.size() >= 3 && w[0] == "chain" &&
                   w[1] == rule.chain && w[2] == "{") {
            insert_at_chain_head(lines, i, rule_text);
            std::string out;
            for (const auto& l : lines) out += l + "\n";
            return out;
        }
        for (char c : lines[i]) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        if (table_depth >= 0 && depth <= table_depth) table_depth = -1;
    }
    return std::nullopt;
}

/// Adds the rules of `changes` to the nftables configuration files that define their
/// chains: one validated file edit per file. The runtime changes' notes say where.
void persist(const model::Facts& facts, std::vector<model::Change>& changes) {
    if (!facts.nft_config.ok()) {
        for (auto& c : changes)
            if (std::holds_alternative<model::NftRuleInsert>(c.effect))
                c.note = "runtime only: cannot read the nftables configuration (" + facts.nft_config.error + ")";
        return;
    }
    std::map<std::string, std::string> edited;  // path -> content so far
    for (auto& c : changes) {
        const auto* insert = std::get_if<model::NftRuleInsert>(&c.effect);
        if (insert == nullptr) continue;  // ufw keeps its own rules
        const auto& rule = insert->rule;
        bool placed = false;
        for (const auto& file : *facts.nft_config.value) {
            const std::string& current = edited.count(file.path) ? edited[file.path] : file.content;
            if (auto next = insert_in_config(current, rule, rule.text)) {
                edited[file.path] = *next;
                c.note = "also added to " + file.path + ", which loads it at boot";
                placed = true;
                break;
            }
        }
        if (!placed)
            c.note = "runtime only: no nftables configuration file (/etc/nftables.conf, "
                     "/etc/sysconfig/nftables.conf or their includes) defines chain " + c.target +
                     ", so whatever creates it at boot must let VRRP in too";
    }
    for (const auto& file : *facts.nft_config.value) {
        auto it = edited.find(file.path);
        if (it == edited.end()) continue;
        changes.push_back(file_edit_change(changes.front().subjects, file, it->second, model::NftCheck{}));
    }
}

/// Plans the inserts of one run. The working copy of the ruleset (the facts' ruleset
/// with every rule planned so far) and the changes are shared by every finding,
/// instance and packet: each evaluation sees the rules already planned.
class VrrpPlanner {
public:
    explicit VrrpPlanner(const model::Facts& facts)
        : facts_(facts),
          view_(facts),
          // Evaluated with the legacy chains (a legacy drop stops the planner: nft
          // cannot change x_tables), inserted only into nftables chains.
          working_(firewall::has_legacy_rules(facts) ? firewall::with_legacy_rules(facts) : *facts.nft.value) {}

    /// Plans the rules that let in (or out) the adverts `finding` says are dropped.
    void plan(const model::Finding& finding) {
        const bool outbound = finding.check == "nft.vrrp_out";
        for (const auto& instance : view_.instances(finding.subject.interface)) {
            if (model::adverts_subject(instance, outbound) != finding.subject) continue;
            std::optional<double> rate;  // the adverts' rate, computed when a limit needs it
            for (const auto& packet : outbound ? firewall::vrrp_adverts_out(view_, instance)
                                               : firewall::vrrp_adverts(view_, instance)) {
                for (int round = 0; round < kMaxInserts; ++round)
                    if (!plan_step(finding.subject, instance, packet, outbound, rate)) break;
            }
        }
    }

    std::vector<model::Change> take_changes() { return std::move(changes_); }

private:
    /// Evaluates `packet` on the working copy and plans one rule towards accepting it;
    /// false when it needs none more or none can be planned.
    bool plan_step(const model::Subject& subject, const model::VrrpInstance& instance,
                   const firewall::VrrpPacket& packet, bool outbound, std::optional<double>& rate) {
        const auto verdict = firewall::evaluate_packet(working_, packet);
        const auto slow = std::find_if(verdict.limits.begin(), verdict.limits.end(), [&](const auto& l) {
            return !outbound && l.per_second < advert_rate(instance, rate);
        });
        if (verdict.outcome == firewall::NftVerdict::Outcome::accept && slow != verdict.limits.end())
            return plan_before_limit(subject, *slow, packet);
        // Only a definite drop gets a rule. A source-dependent verdict (the peer is not
        // known) gets none: the only rule that could let the advert in would admit
        // every source, wider than what is there.
        if (verdict.outcome != firewall::NftVerdict::Outcome::drop) return false;
        return plan_against_drop(subject, verdict.path.back(), packet);
    }

    double advert_rate(const model::VrrpInstance& instance, std::optional<double>& rate) const {
        if (!rate) rate = firewall::advert_rate(facts_, view_, instance);
        return *rate;
    }

    /// Lets the adverts in before the rate limit that would drop most of them.
    bool plan_before_limit(const model::Subject& subject, const firewall::RateLimit& slow,
                           const firewall::VrrpPacket& packet) {
        if (!firewall::chain_owner(working_, slow.family, slow.table, slow.chain).empty()) return false;
        add_rule(subject, slow.family, slow.table, slow.chain, slow.handle, packet);
        return true;
    }

    /// Lets the adverts past the base chain `step` that drops them.
    bool plan_against_drop(const model::Subject& subject, const firewall::NftStep& step,
                           const firewall::VrrpPacket& packet) {
        // firewalld's, ufw's, Docker's and kube-proxy's chains are changed by their
        // managers (ufw's through ufw); legacy chains are not nftables'.
        const std::string owner = firewall::chain_owner(working_, step.family, step.table, step.chain_name);
        if (owner == "ufw" && !step.legacy) {
            changes_.push_back(ufw_change(subject, packet));
            return false;
        }
        if (step.legacy || !owner.empty()) return false;
        // Before the dropping rule when it is in the base chain itself; at the head
        // when the policy or a jumped-to chain drops.
        const std::uint64_t before = step.handle != 0 && step.deciding_chain == step.chain_name ? step.handle : 0;
        add_rule(subject, step.family, step.table, step.chain_name, before, packet);
        return true;
    }

    /// haprep's rule for `packet` in `chain`, before the rule with handle `before`
    /// (0: at the head), planned and added to the working copy.
    void add_rule(const model::Subject& subject, const std::string& family, const std::string& table,
                  const std::string& chain, std::uint64_t before, const firewall::VrrpPacket& packet) {
        model::NftRule rule = vrrp_rule(family, packet);
        rule.family = family;
        rule.table = table;
        rule.chain = chain;
        rule.handle = kPlannedHandle + changes_.size();
        rule.text = model::nft_rule_text(rule, working_);
        model::Change c;
        c.subjects = {subject};
        c.target = model::nft_chain_name(rule.family, rule.table, rule.chain);
        c.action = "insert";
        c.diff = "+ nft insert rule " + c.target + (before ? " position " + std::to_string(before) : "") + " " +
                 rule.text + "\n";
        c.effect = model::NftRuleInsert{rule, before};
        changes_.push_back(std::move(c));
        insert_into(working_, std::move(rule), before);
    }

    const model::Facts& facts_;
    const model::FactsView view_;
    model::NftRuleset working_;
    std::vector<model::Change> changes_;
};

}  // namespace

std::vector<model::Change> plan_nft_vrrp(const model::Facts& facts, std::span<const model::Finding> findings,
                                         const policy::Policy&) {
    if (!facts.nft.ok()) return {};
    VrrpPlanner planner(facts);
    for (const auto& f : findings) planner.plan(f);
    std::vector<model::Change> changes = planner.take_changes();
    if (std::any_of(changes.begin(), changes.end(),
                    [](const auto& c) { return std::holds_alternative<model::NftRuleInsert>(c.effect); }))
        persist(facts, changes);
    persist_iptables(facts, changes);
    return changes;
}

}  // namespace haprep::fixes
