#include "firewall/nft_eval.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "firewall/xt.h"
#include "model/ip.h"
#include "model/nft_text.h"

namespace haprep::firewall {

namespace {

using Bytes = std::vector<unsigned char>;

using namespace model::nft;

// Hook numbers of the inet-style families and of netdev (linux/netfilter.h).
constexpr int kHookPrerouting = 0, kHookInput = 1, kHookOutput = 3, kHookPostrouting = 4, kHookIngress = 0,
              kHookEgress = 1, kHookInetIngress = 5;
constexpr int kMaxJumpDepth = 32;


/// The network header of the advert, as the payload expression reads it, with a
/// known-flag per byte: an unknown source leaves the source address unknown.
struct Header {
    Bytes bytes;
    std::vector<bool> known;
    std::size_t saddr_offset = 0, saddr_len = 0;
};

Header network_header(const VrrpPacket& p) {
    Header h;
    if (p.family == model::Family::ipv4) {
        h.bytes.assign(20, 0);
        h.bytes[0] = 0x45;
        h.bytes[8] = 255;  // TTL: RFC 5798 requires 255
        h.bytes[9] = 112;
        h.saddr_offset = 12, h.saddr_len = 4;
    } else {
        h.bytes.assign(40, 0);
        h.bytes[0] = 0x60;
        h.bytes[6] = 112;  // next header
        h.bytes[7] = 255;  // hop limit
        h.saddr_offset = 8, h.saddr_len = 16;
    }
    // An address that does not parse (the unknown peer's empty one) stays all zeros.
    const auto put = [&](const std::string& text, std::size_t offset) {
        if (const auto address = model::IpAddress::parse(text, p.family))
            std::ranges::copy(address->bytes(), h.bytes.begin() + static_cast<long>(offset));
    };
    put(p.saddr, h.saddr_offset);
    put(p.daddr, h.saddr_offset + h.saddr_len);
    h.known.assign(h.bytes.size(), true);
    if (p.saddr.empty()) {
        // An IPv6 advert always comes from the peer's link-local address (RFC 5798
        // 5.1.2.1): fe80::/64 is known, the interface identifier is not.
        const std::size_t known_prefix = p.family == model::Family::ipv6 ? 8 : 0;
        if (known_prefix) h.bytes[8] = 0xfe, h.bytes[9] = 0x80;
        std::fill(h.known.begin() + static_cast<long>(h.saddr_offset + known_prefix),
                  h.known.begin() + static_cast<long>(h.saddr_offset + h.saddr_len), false);
    }
    return h;
}

/// Registers as nft keeps them: 16 32-bit slots plus, per byte, whether it is known
/// and whether it is unknown only because the source address is. `whole_saddr` marks
/// a slot that holds exactly the (unknown) source address, unmasked.
struct Registers {
    std::array<unsigned char, 64> data{};
    std::array<bool, 64> known{};
    std::array<bool, 64> source{};
    std::array<bool, 16> whole_saddr{};
    std::array<bool, 16> from_fib{};  ///< holds a fib result that could not be looked up

    static bool fits(int slot, std::size_t len) { return slot >= 0 && static_cast<std::size_t>(slot) * 4 + len <= 64; }

    void write(int slot, const Bytes& value, const std::vector<bool>* value_known = nullptr, bool from_source = false) {
        if (!fits(slot, value.size())) return;
        const std::size_t base = static_cast<std::size_t>(slot) * 4;
        for (std::size_t i = 0; i < value.size(); ++i) {
            data[base + i] = value[i];
            known[base + i] = !value_known || (*value_known)[i];
            source[base + i] = !known[base + i] && from_source;
        }
        // nft zero-pads a load to the 32-bit slot.
        for (std::size_t i = value.size(); i % 4 && base + i < 64; ++i) {
            data[base + i] = 0;
            known[base + i] = true;
            source[base + i] = false;
        }
        whole_saddr[static_cast<std::size_t>(slot)] = false;
        if (static_cast<std::size_t>(slot) < from_fib.size()) from_fib[static_cast<std::size_t>(slot)] = false;
    }
    void forget(int slot, std::size_t len) {
        if (slot < 0) return;
        for (std::size_t i = 0; i < len && static_cast<std::size_t>(slot) * 4 + i < known.size(); ++i) {
            known[static_cast<std::size_t>(slot) * 4 + i] = false;
            source[static_cast<std::size_t>(slot) * 4 + i] = false;
        }
        if (slot < 16) whole_saddr[static_cast<std::size_t>(slot)] = false;
    }
    std::optional<Bytes> read(int slot, std::size_t len) const {
        if (!fits(slot, len)) return std::nullopt;
        const std::size_t base = static_cast<std::size_t>(slot) * 4;
        for (std::size_t i = 0; i < len; ++i)
            if (!known[base + i]) return std::nullopt;
        return Bytes(data.begin() + static_cast<long>(base), data.begin() + static_cast<long>(base + len));
    }
    /// Every unknown byte of the range is unknown only because the source is.
    bool unknown_by_source(int slot, std::size_t len) const {
        if (!fits(slot, len)) return false;
        const std::size_t base = static_cast<std::size_t>(slot) * 4;
        for (std::size_t i = 0; i < len; ++i)
            if (!known[base + i] && !source[base + i]) return false;
        return true;
    }
};

Bytes u32_host(std::uint32_t v) { return {static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)}; }

std::optional<Bytes> address_bytes(const std::string& text, model::Family family) {
    const auto address = model::IpAddress::parse(text, family);
    if (!address) return std::nullopt;
    return Bytes(address->bytes().begin(), address->bytes().end());
}

struct RuleOutcome {
    bool matched = false;
    std::int32_t verdict = kContinue;
    std::string chain;           ///< jump/goto target
    std::string note;            ///< rate-dependent statements
    std::optional<RateLimit> limit;
    bool notrack = false;
};

/// One rule's run through its expressions: its registers, its outcome so far, and
/// what it could not decide. An expression that cannot be decided is noted and the
/// rest of the rule runs on: when a decidable one fails, the rule does not match
/// whatever the undecided ones say (`ip saddr X tcp dport 22 accept` never takes an
/// advert, from any source). Only a rule whose every decidable condition holds
/// branches, once per visit, at its end.
struct RuleRun {
    const model::NftRule& rule;
    RuleOutcome& out;
    Registers regs{};
    bool pending = false, pending_source = true, target_pending = false;
    std::string pending_why{}, target_why{};

    void undecided(const std::string& why, bool source) {
        if (!pending) pending_why = why;
        pending = true;
        pending_source = pending_source && source;
    }
};

/// One point where the evaluator could not decide and took a branch.
struct Choice {
    bool taken = true;   ///< the branch assumed: the rule matches (or the target drops)
    bool source = false;  ///< undecidable only because the source is unknown
    std::string where;   ///< "ip filter INPUT rule handle 4: -m recent --rcheck (...)"
};

/// Limits on how far the evaluator explores undecidable rules: each one doubles the
/// paths, and a ruleset with dozens on one path is not decided by enumeration.
constexpr int kMaxPaths = 256;

class Evaluator {
public:
    Evaluator(const model::NftRuleset& ruleset, const VrrpPacket& packet)
        : ruleset_(ruleset), packet_(packet), header_(network_header(packet)) {
        for (const auto& rule : ruleset.rules)
            rules_[key(rule.family, rule.table, rule.chain, rule.legacy)].push_back(&rule);
        for (const auto& set : ruleset.sets) sets_[key(set.family, set.table, set.name, false)] = &set;
        for (const auto& a : packet.own_addresses)
            if (auto b = address_bytes(a, packet.family)) own_.push_back(*b);
        for (const auto& rule : ruleset.rules)
            if (!rule.legacy && std::any_of(rule.exprs.begin(), rule.exprs.end(),
                                            [](const auto& e) { return e.name == "match" || e.name == "target"; }))
                iptables_tables_.insert(rule.family + ' ' + rule.table);
        order_ = base_chains();
    }

    /// Every combination of the undecidable points (depth first), until the paths
    /// run out or disagree in a way the caller needs to know.
    NftVerdict run() {
        std::vector<NftVerdict> results;
        std::vector<std::string> source_keys;  // per result
        std::vector<Choice> all_points;
        choices_.clear();
        for (int paths = 0;; ++paths) {
            if (paths >= kMaxPaths) {
                NftVerdict v = results.front();
                v.outcome = NftVerdict::Outcome::indeterminate;
                v.decided_by = "more than " + std::to_string(kMaxPaths) + " combinations of rules haprep cannot decide";
                return v;
            }
            next_choice_ = 0;
            results.push_back(run_path());
            // What this path assumed about the source: paths that assumed the same and
            // still disagree disagree for another reason than the source.
            std::string source_key;
            for (std::size_t i = 0; i < next_choice_ && i < choices_.size(); ++i)
                if (choices_[i].source) source_key += choices_[i].where + (choices_[i].taken ? "=1;" : "=0;");
            source_keys.push_back(std::move(source_key));
            for (std::size_t i = 0; i < choices_.size(); ++i)
                if (std::none_of(all_points.begin(), all_points.end(), [&](const Choice& c) { return c.where == choices_[i].where; }))
                    all_points.push_back(choices_[i]);
            while (!choices_.empty() && !choices_.back().taken) choices_.pop_back();
            if (choices_.empty()) break;
            choices_.back().taken = false;
        }
        return combine(results, source_keys, all_points);
    }

private:
    const model::NftRuleset& ruleset_;
    const VrrpPacket& packet_;
    Header header_;
    std::vector<Bytes> own_;
    std::map<std::string, std::vector<const model::NftRule*>> rules_;
    std::map<std::string, const model::NftSet*> sets_;
    std::vector<const model::NftChain*> order_;
    std::set<std::string> iptables_tables_;  ///< "ip filter": tables iptables-nft wrote
    std::vector<std::string> notes_;
    std::vector<RateLimit> limits_;
    bool untracked_ = false;
    std::vector<Choice> choices_;
    std::size_t next_choice_ = 0;

    static std::string key(const std::string& family, const std::string& table, const std::string& name, bool legacy) {
        return std::string(legacy ? "L" : "N") + family + '\0' + table + '\0' + name;
    }

    /// The branch to take at the next undecidable point of this path.
    bool decide(const model::NftRule& rule, const std::string& why, bool source) {
        if (next_choice_ == choices_.size())
            choices_.push_back({true, source, model::nft_chain_name(rule.family, rule.table, rule.chain) + " rule " +
                                                  rule_name(rule) + " (" + why + ")"});
        return choices_[next_choice_++].taken;
    }

    static NftVerdict combine(std::vector<NftVerdict>& results, const std::vector<std::string>& source_keys,
                              const std::vector<Choice>& points) {
        const auto outcome = results.front().outcome;
        const bool agree = std::all_of(results.begin(), results.end(), [&](const NftVerdict& v) { return v.outcome == outcome; });
        if (agree) {
            // The path where no undecidable rule matched shows what decides regardless.
            NftVerdict last = std::move(results.back());
            for (const auto& p : points) last.assumed.push_back(p.where + ": " + to_string(outcome) + " either way");
            return last;
        }
        NftVerdict first = std::move(results.front());
        // Source-dependent when the outcome is a function of the source assumptions
        // alone: paths that assumed the same about the source agree.
        std::map<std::string, NftVerdict::Outcome> by_source;
        bool only_source = std::any_of(points.begin(), points.end(), [](const Choice& c) { return c.source; });
        for (std::size_t i = 0; i < results.size() && only_source; ++i) {
            const auto [it, fresh] = by_source.emplace(source_keys[i], results[i].outcome);
            if (!fresh && it->second != results[i].outcome) only_source = false;
        }
        first.outcome = only_source ? NftVerdict::Outcome::source_dependent : NftVerdict::Outcome::indeterminate;
        for (const auto& p : points)
            if (p.source == only_source) {
                first.decided_by = p.where;
                break;
            }
        return first;
    }

    std::vector<const model::NftChain*> base_chains() const {
        std::vector<const model::NftChain*> order;
        const std::string l3 = packet_.family == model::Family::ipv4 ? "ip" : "ip6";
        auto on_device = [&](const model::NftChain& c) {
            return std::find(c.devices.begin(), c.devices.end(), packet_.iifname) != c.devices.end();
        };
        auto add_hook = [&](auto&& wanted) {
            std::vector<const model::NftChain*> hook;
            for (const auto& c : ruleset_.chains)
                if (c.hook >= 0 && wanted(c)) hook.push_back(&c);
            std::stable_sort(hook.begin(), hook.end(), [](auto* a, auto* b) { return a->priority < b->priority; });
            order.insert(order.end(), hook.begin(), hook.end());
        };
        if (packet_.outbound) {
            add_hook([&](const model::NftChain& c) { return (c.family == l3 || c.family == "inet") && c.hook == kHookOutput; });
            add_hook([&](const model::NftChain& c) { return (c.family == l3 || c.family == "inet") && c.hook == kHookPostrouting; });
            add_hook([&](const model::NftChain& c) { return c.family == "netdev" && c.hook == kHookEgress && on_device(c); });
            return order;
        }
        add_hook([&](const model::NftChain& c) {
            return ((c.family == "netdev" && c.hook == kHookIngress) || (c.family == "inet" && c.hook == kHookInetIngress)) &&
                   on_device(c);
        });
        add_hook([&](const model::NftChain& c) { return (c.family == l3 || c.family == "inet") && c.hook == kHookPrerouting; });
        add_hook([&](const model::NftChain& c) { return (c.family == l3 || c.family == "inet") && c.hook == kHookInput; });
        return order;
    }

    NftVerdict run_path() {
        NftVerdict verdict;
        notes_.clear();
        limits_.clear();
        untracked_ = false;
        const NftStep* first_drop = nullptr;
        const NftStep* first_unknown = nullptr;
        verdict.path.reserve(order_.size());
        for (const auto* chain : order_) {
            verdict.path.push_back(run_base(*chain));
            const auto& step = verdict.path.back();
            if (step.outcome == "drop" && !first_drop) first_drop = &step;
            if (step.outcome == "indeterminate" && !first_unknown) first_unknown = &step;
            if (first_drop) break;  // dropped: no later chain sees it
        }
        verdict.notes = notes_;
        verdict.limits = limits_;
        verdict.untracked = untracked_;
        if (first_drop) {
            verdict.outcome = NftVerdict::Outcome::drop;
            verdict.decided_by = first_drop->chain + ": " + first_drop->by;
        } else if (first_unknown) {
            verdict.outcome = NftVerdict::Outcome::indeterminate;
            verdict.decided_by = first_unknown->chain + ": " + first_unknown->by;
        } else {
            verdict.outcome = NftVerdict::Outcome::accept;
            verdict.decided_by = order_.empty() ? "no base chain sees the packet" : "every base chain accepts it";
        }
        return verdict;
    }

    /// How evidence names a rule: iptables rules the way iptables-save prints them.
    /// A table iptables-nft wrote (it holds compat expressions) shows every rule in
    /// iptables syntax, its native ones (`-p vrrp -s ...`) too.
    std::string rule_name(const model::NftRule& rule) const {
        if (rule.legacy) return std::to_string(rule.handle) + ": " + rule.text;
        std::optional<std::string> iptables;
        if (iptables_tables_.count(rule.family + ' ' + rule.table)) iptables = iptables_rule_text(rule);
        return "handle " + std::to_string(rule.handle) + ": " + iptables.value_or(rule.text);
    }

    NftStep run_base(const model::NftChain& base) {
        NftStep step;
        step.chain = (base.legacy ? "legacy " : "") + model::nft_chain_name(base.family, base.table, base.name);
        step.family = base.family;
        step.table = base.table;
        step.chain_name = base.name;
        step.legacy = base.legacy;
        walk_base(base, step);
        return step;
    }

    /// Where the walk of a base chain is: the chain it is in, the next rule there,
    /// and the chains that jumped, to return to.
    struct ChainWalk {
        struct Frame {
            std::string chain;
            size_t next;
        };
        std::vector<Frame> stack;
        std::string current;
        size_t index = 0;

        /// Back to the chain that jumped here; false in the base chain itself.
        bool return_to_caller() {
            if (stack.empty()) return false;
            current = stack.back().chain;
            index = stack.back().next;
            stack.pop_back();
            return true;
        }
    };

    /// The rules of `base` and the chains it jumps to, in order, until one decides
    /// (or the policy does): fills `step` with the outcome and what decided it.
    void walk_base(const model::NftChain& base, NftStep& step) {
        ChainWalk walk{{}, base.name};
        const char* policy = base.policy == "drop" ? "drop" : "accept";
        for (int guard = 0;; ++guard) {
            if (walk.stack.size() > kMaxJumpDepth || guard > 100000)
                return finish(base, step, "indeterminate", nullptr, "jumps nest deeper than " + std::to_string(kMaxJumpDepth));
            const auto& rules = rules_in(base, walk.current);
            if (walk.index >= rules.size()) {
                if (!walk.return_to_caller()) return finish(base, step, policy, nullptr, "policy " + base.policy);
                continue;
            }
            const model::NftRule* rule = rules[walk.index];
            const auto r = run_rule(*rule);
            ++walk.index;
            if (!r.matched) continue;
            record_effects(base, step, *rule, r);
            if (r.verdict == kContinue || r.verdict == kBreak) continue;
            switch (r.verdict) {
                case kAccept: return finish(base, step, "accept", rule, "");
                case kDrop: return finish(base, step, "drop", rule, "");
                case kJump:
                    walk.stack.push_back({walk.current, walk.index});
                    walk.current = r.chain;
                    walk.index = 0;
                    break;
                case kGoto:
                    walk.current = r.chain;
                    walk.index = 0;
                    break;
                case kReturn:
                    if (!walk.return_to_caller()) return finish(base, step, policy, rule, " then policy " + base.policy);
                    break;
                default: return finish(base, step, "indeterminate", rule, " (verdict " + std::to_string(r.verdict) + ")");
            }
        }
    }

    const std::vector<const model::NftRule*>& rules_in(const model::NftChain& base, const std::string& chain) const {
        static const std::vector<const model::NftRule*> kNone;
        const auto found = rules_.find(key(base.family, base.table, chain, base.legacy));
        return found == rules_.end() ? kNone : found->second;
    }

    /// What a matched rule leaves besides its verdict: a note on a rate-dependent
    /// statement, an untracked packet, the rate limit an accepting rule puts on adverts.
    void record_effects(const model::NftChain& base, const NftStep& step, const model::NftRule& rule, const RuleOutcome& r) {
        if (!r.note.empty()) notes_.push_back(step.chain + " rule " + rule_name(rule) + ": " + r.note);
        // notrack works only before conntrack sees the packet (priority -200):
        // in a raw prerouting or output chain.
        constexpr int kConntrackPriority = -200;
        if (r.notrack && base.priority < kConntrackPriority && (base.hook == kHookPrerouting || base.hook == kHookOutput) &&
            base.family != "netdev")
            untracked_ = true;
        if (r.limit && r.verdict == kAccept) {
            limits_.push_back(*r.limit);
            limits_.back().family = rule.family, limits_.back().table = rule.table;
            limits_.back().chain = rule.chain, limits_.back().handle = rule.handle;
        }
    }

    /// Sets the step's outcome and what decided it: `rule` (and `how` after its name),
    /// or `how` alone for the policy or a walk that ran away.
    void finish(const model::NftChain& base, NftStep& step, const char* outcome, const model::NftRule* rule,
                const std::string& how) const {
        step.outcome = outcome;
        if (!rule) {
            step.by = how;
            return;
        }
        step.handle = rule->handle;
        step.deciding_chain = rule->chain;
        step.by = (rule->chain == base.name ? "" : "chain " + rule->chain + " ") + "rule " + rule_name(*rule) + how;
    }

    std::optional<Bytes> meta(std::uint32_t key) const {
        switch (key) {
            case kMetaL4proto: return Bytes{112};
            case kMetaNfproto: return Bytes{static_cast<unsigned char>(packet_.family == model::Family::ipv4 ? 2 : 10)};
            case kMetaProtocol:
                return packet_.family == model::Family::ipv4 ? Bytes{0x08, 0x00} : Bytes{0x86, 0xdd};
            // A locally sent packet has no input device; its output device is the interface.
            case kMetaIif: return u32_host(packet_.outbound ? 0U : static_cast<std::uint32_t>(packet_.iif));
            case kMetaIifname: return name_bytes(packet_.outbound ? std::string() : packet_.iifname);
            case kMetaOif: return u32_host(packet_.outbound ? static_cast<std::uint32_t>(packet_.iif) : 0U);
            case kMetaOifname: return name_bytes(packet_.outbound ? packet_.iifname : std::string());
            case kMetaIiftype: return Bytes{1, 0};  // ARPHRD_ETHER
            case kMetaPkttype:  // not modelled on the way out
                if (packet_.outbound) return std::nullopt;
                return Bytes{static_cast<unsigned char>(packet_.multicast ? 2 : 0)};
            case kMetaMark: return u32_host(0);
        }
        return std::nullopt;
    }

    static Bytes name_bytes(const std::string& text) {
        Bytes name(16, 0);
        std::memcpy(name.data(), text.data(), std::min<size_t>(15, text.size()));
        return name;
    }

    /// `fib saddr . iif oif` (with or without mark): the reverse-path lookup of
    /// firewalld's IPv6_rpfilter and of the nftables wiki's IPv4 rp filter. The lookup
    /// restricted to iif finds iif when the route back to the source leaves through
    /// it: certain for an IPv6 link-local source (fe80::/64 exists on every IPv6
    /// interface), else the reverse-path fact the probes read for the peer.
    std::optional<Bytes> fib(const model::NftExpr& e) const {
        constexpr std::uint32_t kResultOif = 1, kSaddr = 1 << 0, kMark = 1 << 2, kIif = 1 << 3, kPresent = 1 << 5;
        const bool reverse_path = (e.flags & ~(kMark | kPresent)) == (kSaddr | kIif);
        if (e.key != kResultOif || !reverse_path || packet_.iif == 0 || packet_.outbound) return std::nullopt;
        const bool link_local =
            packet_.family == model::Family::ipv6 &&
            (packet_.saddr.empty() || model::is_link_local(packet_.saddr, model::Family::ipv6));
        std::optional<bool> via_iif = link_local ? std::optional<bool>(true) : packet_.reverse_path_via_iif;
        if (!via_iif) return std::nullopt;
        // With F_PRESENT ("oif missing" / "oif exists") the kernel stores 1 or 0, else the index.
        if (e.flags & kPresent) return u32_host(*via_iif ? 1U : 0U);
        return u32_host(*via_iif ? static_cast<std::uint32_t>(packet_.iif) : 0U);
    }

    /// Does `key` fall in `set`? `found` says; the element when it is found.
    const model::NftElement* lookup(const model::NftSet& set, const Bytes& key, bool& found) const {
        found = false;
        const bool interval = (set.flags & 0x4) != 0;
        const model::NftElement* best = nullptr;
        Bytes best_key;
        for (const auto& el : set.elements) {
            const Bytes start = from_hex(el.key);
            if (!el.key_end.empty()) {
                const Bytes end = from_hex(el.key_end);
                if (start <= key && key <= end) {
                    found = true;
                    return &el;
                }
                continue;
            }
            if (!interval) {
                if (start == key) {
                    found = true;
                    return &el;
                }
                continue;
            }
            // rbtree intervals: the greatest start <= key decides; an interval-end there
            // means the key is in a gap.
            if (start <= key && (!best || best_key < start || (best_key == start && el.interval_end))) {
                best = &el;
                best_key = start;
            }
        }
        if (interval && best && !best->interval_end) {
            found = true;
            return best;
        }
        return nullptr;
    }

    /// A compat match for this advert: true/false, or nullopt with `why` (and
    /// `source` when only the unknown source keeps it from being decided).
    std::optional<bool> xt_matches(const XtMatch& match, std::string& why, bool& source) const {
        const bool v4 = packet_.family == model::Family::ipv4;
        if (const auto* c = std::get_if<XtConntrack>(&match)) {
            if (!c->undecided.empty()) {
                why = c->undecided.front() + " is not modelled";
                return std::nullopt;
            }
            if (c->states == 0) return true;
            return ((packet_.ct_state & c->states) != 0) != c->invert;
        }
        if (std::holds_alternative<XtComment>(match)) return true;
        if (std::holds_alternative<XtPorts>(match)) return false;  // VRRP has no ports
        if (const auto* a = std::get_if<XtAddrtype>(&match)) {
            constexpr std::uint16_t kUnicast = 0x2, kLocal = 0x4, kMulticast = 0x20;
            bool ok = true;
            // Inbound: the peer's address is unicast, ours local; outbound the other way round.
            const std::uint16_t src = packet_.outbound ? kLocal : kUnicast;
            if (a->source) ok = ok && (((a->source & src) != 0) != a->invert_source);
            const std::uint16_t dest = packet_.multicast ? kMulticast : packet_.outbound ? kUnicast : kLocal;
            if (a->dest) ok = ok && (((a->dest & dest) != 0) != a->invert_dest);
            return ok;
        }
        if (const auto* m = std::get_if<XtMark>(&match)) return ((0U & m->mask) == m->mark) != m->invert;  // unmarked
        if (std::holds_alternative<XtLimit>(match)) return true;  // under the limit; the rate is judged separately
        if (const auto* p = std::get_if<XtPkttype>(&match)) return (p->type == (packet_.multicast ? 2 : 0)) != p->invert;
        if (const auto* r = std::get_if<XtIprange>(&match)) {
            auto in_range = [&](const std::string& address, const std::string& from, const std::string& to) -> std::optional<bool> {
                const auto a = address_bytes(address, packet_.family), f = address_bytes(from, packet_.family),
                           t = address_bytes(to, packet_.family);
                if (!a || !f || !t) return std::nullopt;
                return *f <= *a && *a <= *t;
            };
            if (!r->dst_from.empty()) {
                auto in = in_range(packet_.daddr, r->dst_from, r->dst_to);
                if (!in) return why = "address range of another family", std::nullopt;
                if (*in == r->invert_dst) return false;
            }
            if (!r->src_from.empty()) {
                if (packet_.saddr.empty()) {
                    why = "the source range depends on the peer's address";
                    source = true;
                    return std::nullopt;
                }
                auto in = in_range(packet_.saddr, r->src_from, r->src_to);
                if (!in) return why = "address range of another family", std::nullopt;
                if (*in == r->invert_src) return false;
            }
            (void)v4;
            return true;
        }
        why = xt_match_text(match) + " is not modelled";
        return std::nullopt;
    }

    /// Runs the rule's expressions on the advert, one handler per kind of expression
    /// (in the order of how often rulesets use them); a handler returns false once the
    /// rule cannot match. The dispatch stays inline: this is the evaluator's hot loop.
    RuleOutcome run_rule(const model::NftRule& rule) {
        RuleOutcome out;
        RuleRun run{rule, out};
        for (const auto& e : rule.exprs) {
            bool may_match = true;
            if (e.name == "payload") load_payload(e, run);
            else if (e.name == "meta") load_meta(e, run);
            else if (e.name == "ct") load_ct(e, run);
            else if (e.name == "cmp") may_match = compare(e, run);
            else if (e.name == "bitwise") apply_bitwise(e, run);
            else if (e.name == "range") may_match = compare_range(e, run);
            else if (e.name == "lookup") may_match = look_up_set(e, run);
            else if (e.name == "immediate") load_immediate(e, run);
            else if (e.name == "reject") out.verdict = kDrop;
            else if (e.name == "limit") apply_limit(e, run);
            else if (e.name == "quota" || e.name == "connlimit") out.note = "the verdict depends on " + e.name + "; evaluated as under it";
            else if (e.name == "fib") load_fib(e, run);
            else if (e.name == "notrack") out.notrack = true;
            else if (e.name == "counter" || e.name == "log" || e.name == "last") continue;
            else if (e.name == "match") may_match = xt_match(e, run);
            else if (e.name == "target") xt_target(e, run);
            else unknown_expression(e, run);  // socket, osf, exthdr, ...
            if (!may_match) return out;
        }
        if (run.pending && !decide(rule, run.pending_why, run.pending_source)) return out;
        if (run.target_pending && decide(rule, run.target_why, false)) out.verdict = kDrop;
        out.matched = true;
        return out;
    }

    /// `payload load`: the network header's bytes (known or not); link-layer and
    /// VRRP header bytes are not modelled. A payload write has no effect on the verdict.
    void load_payload(const model::NftExpr& e, RuleRun& run) const {
        if (e.dreg == 0) return;
        const int dreg = model::nft_register_slot(e.dreg);
        const std::uint64_t end = std::uint64_t{e.offset} + e.len;
        if (e.base != kPayloadNetwork || end > header_.bytes.size()) return run.regs.forget(dreg, e.len);
        const Bytes value(header_.bytes.begin() + e.offset, header_.bytes.begin() + static_cast<long>(end));
        const std::vector<bool> known(header_.known.begin() + e.offset, header_.known.begin() + static_cast<long>(end));
        run.regs.write(dreg, value, &known, true);
        if (e.offset == header_.saddr_offset && e.len == header_.saddr_len && packet_.saddr.empty() && dreg >= 0 && dreg < 16)
            run.regs.whole_saddr[static_cast<std::size_t>(dreg)] = true;
    }

    void load_meta(const model::NftExpr& e, RuleRun& run) const {
        if (e.dreg == 0) return;
        const int dreg = model::nft_register_slot(e.dreg);
        if (auto v = meta(e.key)) run.regs.write(dreg, *v);
        else run.regs.forget(dreg, 16);
    }

    void load_ct(const model::NftExpr& e, RuleRun& run) const {
        if (e.dreg == 0) return;
        const int dreg = model::nft_register_slot(e.dreg);
        if (e.key == kCtState) run.regs.write(dreg, u32_host(untracked_ ? 0x40 : packet_.ct_state));
        else if (e.key == kCtStatus) run.regs.write(dreg, u32_host(0));
        else run.regs.forget(dreg, 16);
    }

    /// `cmp`: false when the register's known value fails the comparison.
    bool compare(const model::NftExpr& e, RuleRun& run) const {
        const int sreg = model::nft_register_slot(e.sreg);
        const Bytes data = from_hex(e.data);
        if (data.empty()) {
            run.undecided("a comparison without data", false);
            return true;
        }
        auto value = run.regs.read(sreg, data.size());
        if (!value) return compare_unknown(e, sreg, data, run);
        const int c = std::memcmp(value->data(), data.data(), data.size());
        return e.op == 0 ? c == 0 : e.op == 1 ? c != 0 : e.op == 2 ? c < 0 : e.op == 3 ? c <= 0 : e.op == 4 ? c > 0 : c >= 0;
    }

    /// A `cmp` on a value the evaluator does not know: decided only for an exact
    /// compare of the unknown source with one of our own addresses (never the peer's).
    bool compare_unknown(const model::NftExpr& e, int sreg, const Bytes& data, RuleRun& run) const {
        const bool own = sreg >= 0 && sreg < 16 && run.regs.whole_saddr[static_cast<std::size_t>(sreg)] &&
                         std::find(own_.begin(), own_.end(), data) != own_.end() && (e.op == 0 || e.op == 1);
        if (own) return e.op != 0;
        const bool fib_result = sreg >= 0 && sreg < 16 && run.regs.from_fib[static_cast<std::size_t>(sreg)];
        const std::string why = fib_result ? "fib lookup: the route back to the peer is not known; name the peer with --peer"
                                           : "compares a value haprep does not model";
        run.undecided(why, run.regs.unknown_by_source(sreg, data.size()));
        return true;
    }

    /// `bitwise` (mask and xor): an unknown input leaves the output unknown, and
    /// unknown only because of the source when the input was.
    static void apply_bitwise(const model::NftExpr& e, RuleRun& run) {
        const int dreg = model::nft_register_slot(e.dreg), sreg = model::nft_register_slot(e.sreg);
        auto value = run.regs.read(sreg, e.len);
        const Bytes mask = from_hex(e.data), x = from_hex(e.data2);
        if (!value || e.op != 0 || mask.size() != e.len || x.size() != e.len) {
            const bool by_source = run.regs.unknown_by_source(sreg, e.len);
            run.regs.forget(dreg, e.len);
            if (by_source && Registers::fits(dreg, e.len))
                for (std::size_t i = 0; i < e.len; ++i) run.regs.source[static_cast<std::size_t>(dreg) * 4 + i] = true;
            return;
        }
        for (size_t i = 0; i < e.len; ++i) (*value)[i] = static_cast<unsigned char>(((*value)[i] & mask[i]) ^ x[i]);
        run.regs.write(dreg, *value);
    }

    /// `range`: false when the known value is on the wrong side of the range.
    static bool compare_range(const model::NftExpr& e, RuleRun& run) {
        const int sreg = model::nft_register_slot(e.sreg);
        const Bytes from = from_hex(e.data), to = from_hex(e.data2);
        auto value = run.regs.read(sreg, from.size());
        if (!value) {
            run.undecided("compares a value haprep does not model", run.regs.unknown_by_source(sreg, from.size()));
            return true;
        }
        const bool inside = *value >= from && *value <= to;
        return inside == (e.op == 0);
    }

    /// `lookup` in a set or map: false when the key is (not) in it against the rule;
    /// a verdict map's element sets the verdict, a data map's value is not modelled.
    bool look_up_set(const model::NftExpr& e, RuleRun& run) const {
        const int dreg = model::nft_register_slot(e.dreg), sreg = model::nft_register_slot(e.sreg);
        auto it = sets_.find(key(run.rule.family, run.rule.table, e.set, false));
        if (it == sets_.end()) {
            run.undecided("set " + e.set + " was not read", false);
            return true;
        }
        const auto& set = *it->second;
        auto value = run.regs.read(sreg, set.key_len);
        if (!value) {
            run.undecided("looks up a value haprep does not model", run.regs.unknown_by_source(sreg, set.key_len));
            if (e.dreg != 0) run.regs.forget(dreg, 16);
            return true;
        }
        bool found = false;
        const auto* element = lookup(set, *value, found);
        const bool negated = (e.flags & 1) != 0;
        if (found == negated) return false;
        if (e.dreg == 0 && found && element) {  // verdict map
            run.out.verdict = element->verdict;
            run.out.chain = element->chain;
        } else if (e.dreg != 0) {
            run.regs.forget(dreg, 16);
        }
        return true;
    }

    static void load_immediate(const model::NftExpr& e, RuleRun& run) {
        if (e.dreg == 0) {
            run.out.verdict = e.verdict;
            run.out.chain = e.chain;
        } else {
            run.regs.write(model::nft_register_slot(e.dreg), from_hex(e.data));
        }
    }

    void apply_limit(const model::NftExpr& e, RuleRun& run) const {
        if (e.flags & 1) {  // `limit rate over`: matches only above the rate
            run.undecided("limit rate over: depends on the traffic", false);
            return;
        }
        run.out.limit = native_limit(e, run.rule);
    }

    /// `fib`: the result when the route back is known; else the compare that reads
    /// the register branches, and says why.
    void load_fib(const model::NftExpr& e, RuleRun& run) const {
        const int dreg = model::nft_register_slot(e.dreg);
        if (auto v = fib(e)) {
            run.regs.write(dreg, *v);
            return;
        }
        run.regs.forget(dreg, 16);
        if (dreg >= 0 && dreg < 16) run.regs.from_fib[static_cast<std::size_t>(dreg)] = true;
    }

    /// An iptables-nft compat match: false when it decidedly does not take the advert.
    bool xt_match(const model::NftExpr& e, RuleRun& run) const {
        const model::Family family = run.rule.family == "ip6" ? model::Family::ipv6 : model::Family::ipv4;
        const XtMatch match = read_xt_match(e, family);
        if (const auto* l = std::get_if<XtLimit>(&match); l && l->avg > 0)
            run.out.limit = RateLimit{10000.0 / l->avg, l->burst, rule_name(run.rule), {}, {}, {}, 0};
        std::string why;
        bool source = false;
        const auto m = xt_matches(match, why, source);
        if (!m) {
            run.undecided(why, source);
            return true;
        }
        return *m;
    }

    /// An iptables-nft compat target; one not modelled is evaluated both ways: as if
    /// it dropped, and as if it let the packet go on.
    static void xt_target(const model::NftExpr& e, RuleRun& run) {
        const XtTarget target = read_xt_target(e);
        if (target.notrack) run.out.notrack = true;
        switch (target.effect) {
            case XtTarget::Effect::drop: run.out.verdict = kDrop; break;
            case XtTarget::Effect::accept: run.out.verdict = kAccept; break;
            case XtTarget::Effect::proceed: break;
            case XtTarget::Effect::unknown:
                run.target_pending = true;
                run.target_why = "target " + target.name + " is not modelled";
                break;
        }
    }

    static void unknown_expression(const model::NftExpr& e, RuleRun& run) {
        run.undecided("expression " + e.name + " is not understood", false);
        if (e.dreg != 0) run.regs.forget(model::nft_register_slot(e.dreg), 16);
    }

    /// `limit rate N/unit [burst B packets]`; byte limits never bind a 40-byte advert
    /// below ~1 KB/s, and are recorded as their packet equivalent of 60-byte frames.
    std::optional<RateLimit> native_limit(const model::NftExpr& e, const model::NftRule& rule) const {
        std::uint64_t rate = 0, unit = 0;
        std::from_chars(e.data.data(), e.data.data() + e.data.size(), rate);
        std::from_chars(e.data2.data(), e.data2.data() + e.data2.size(), unit);
        if (rate == 0 || unit == 0) return std::nullopt;
        double per_second = static_cast<double>(rate) / static_cast<double>(unit);
        if (e.key == 1) per_second /= 60.0;
        return RateLimit{per_second, e.len, rule_name(rule), {}, {}, {}, 0};
    }
};

}  // namespace

NftVerdict evaluate_packet(const model::NftRuleset& ruleset, const VrrpPacket& packet) {
    return Evaluator(ruleset, packet).run();
}

const char* to_string(NftVerdict::Outcome outcome) {
    switch (outcome) {
        case NftVerdict::Outcome::accept: return "accept";
        case NftVerdict::Outcome::drop: return "drop";
        case NftVerdict::Outcome::indeterminate: return "indeterminate";
        case NftVerdict::Outcome::source_dependent: return "depends on the source";
    }
    return "?";
}

std::string chain_owner(const model::NftRuleset& ruleset, const std::string& family, const std::string& table,
                        const std::string& chain) {
    if (family == "inet" && table == "firewalld") return "firewalld";
    if (chain.rfind("ufw", 0) == 0) return "ufw";
    if (chain.rfind("DOCKER", 0) == 0) return "docker";
    if (chain.rfind("KUBE-", 0) == 0) return "kube-proxy";
    // ufw owns the base chains of the table it builds its chains in (it jumps from them).
    for (const auto& c : ruleset.chains)
        if (c.family == family && c.table == table && c.name.rfind("ufw-", 0) == 0) return "ufw";
    return "";
}

}  // namespace haprep::firewall
