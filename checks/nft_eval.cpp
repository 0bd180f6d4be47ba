#include "checks/nft_eval.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <optional>

#include "model/nft_text.h"

namespace haprep::checks {

namespace {

using Bytes = std::vector<unsigned char>;

using namespace model::nft;

// Hook numbers of the inet-style families and of netdev (linux/netfilter.h).
constexpr int kHookPrerouting = 0, kHookInput = 1, kHookIngress = 0, kHookInetIngress = 5;
constexpr int kMaxJumpDepth = 32;


/// The network header of the advert, as the payload expression reads it.
Bytes network_header(const VrrpPacket& p) {
    Bytes h;
    if (p.family == model::Family::ipv4) {
        h.assign(20, 0);
        h[0] = 0x45;
        h[8] = 255;  // TTL: RFC 5798 requires 255
        h[9] = 112;
        ::inet_pton(AF_INET, p.saddr.c_str(), &h[12]);
        ::inet_pton(AF_INET, p.daddr.c_str(), &h[16]);
    } else {
        h.assign(40, 0);
        h[0] = 0x60;
        h[6] = 112;  // next header
        h[7] = 255;  // hop limit
        ::inet_pton(AF_INET6, p.saddr.c_str(), &h[8]);
        ::inet_pton(AF_INET6, p.daddr.c_str(), &h[24]);
    }
    return h;
}

/// Registers as nft keeps them: 16 32-bit slots plus a known-flag per byte.
struct Registers {
    std::array<unsigned char, 64> data{};
    std::array<bool, 64> known{};

    bool write(int slot, const Bytes& value) {
        if (slot < 0 || slot * 4 + value.size() > data.size()) return false;
        std::copy(value.begin(), value.end(), data.begin() + slot * 4);
        std::fill(known.begin() + slot * 4, known.begin() + slot * 4 + static_cast<long>(value.size()), true);
        // nft zero-pads a load to the 32-bit slot.
        for (size_t i = value.size(); i % 4; ++i) {
            data[slot * 4 + i] = 0;
            known[slot * 4 + i] = true;
        }
        return true;
    }
    void forget(int slot, size_t len) {
        if (slot < 0) return;
        for (size_t i = 0; i < len && slot * 4 + i < known.size(); ++i) known[slot * 4 + i] = false;
    }
    std::optional<Bytes> read(int slot, size_t len) const {
        if (slot < 0 || slot * 4 + len > data.size()) return std::nullopt;
        for (size_t i = 0; i < len; ++i)
            if (!known[slot * 4 + i]) return std::nullopt;
        return Bytes(data.begin() + slot * 4, data.begin() + slot * 4 + static_cast<long>(len));
    }
};

Bytes u32_host(std::uint32_t v) { return {static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)}; }

struct RuleOutcome {
    bool matched = false;
    std::int32_t verdict = kContinue;
    std::string chain;           ///< jump/goto target
    std::string uncertain;       ///< why the match could not be decided, empty when it could
    std::string note;            ///< rate-dependent statements
};

class Evaluator {
public:
    Evaluator(const model::NftRuleset& ruleset, const VrrpPacket& packet)
        : ruleset_(ruleset), packet_(packet), header_(network_header(packet)) {
        for (const auto& rule : ruleset.rules) rules_[key(rule.family, rule.table, rule.chain)].push_back(&rule);
        for (const auto& set : ruleset.sets) sets_[key(set.family, set.table, set.name)] = &set;
    }

    NftVerdict run() {
        NftVerdict verdict;
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
        add_hook([&](const model::NftChain& c) {
            return ((c.family == "netdev" && c.hook == kHookIngress) || (c.family == "inet" && c.hook == kHookInetIngress)) &&
                   on_device(c);
        });
        add_hook([&](const model::NftChain& c) { return (c.family == l3 || c.family == "inet") && c.hook == kHookPrerouting; });
        add_hook([&](const model::NftChain& c) { return (c.family == l3 || c.family == "inet") && c.hook == kHookInput; });

        const NftStep* first_drop = nullptr;
        const NftStep* first_unknown = nullptr;
        verdict.path.reserve(order.size());
        for (const auto* chain : order) {
            verdict.path.push_back(run_base(*chain));
            const auto& step = verdict.path.back();
            if (step.outcome == "drop" && !first_drop) first_drop = &step;
            if (step.outcome == "indeterminate" && !first_unknown) first_unknown = &step;
            if (first_drop) break;  // dropped: no later chain sees it
        }
        verdict.notes = notes_;
        if (first_drop) {
            verdict.outcome = NftVerdict::Outcome::drop;
            verdict.decided_by = first_drop->chain + ": " + first_drop->by;
        } else if (first_unknown) {
            verdict.outcome = NftVerdict::Outcome::indeterminate;
            verdict.decided_by = first_unknown->chain + ": " + first_unknown->by;
        } else {
            verdict.outcome = NftVerdict::Outcome::accept;
            verdict.decided_by = order.empty() ? "no base chain sees the packet" : "every base chain accepts it";
        }
        return verdict;
    }

private:
    const model::NftRuleset& ruleset_;
    const VrrpPacket& packet_;
    Bytes header_;
    std::map<std::string, std::vector<const model::NftRule*>> rules_;
    std::map<std::string, const model::NftSet*> sets_;
    std::vector<std::string> notes_;

    static std::string key(const std::string& family, const std::string& table, const std::string& name) {
        return family + '\0' + table + '\0' + name;
    }

    NftStep run_base(const model::NftChain& base) {
        NftStep step;
        step.chain = model::nft_chain_name(base.family, base.table, base.name);
        step.family = base.family;
        step.table = base.table;
        step.chain_name = base.name;
        struct Frame {
            std::string chain;
            size_t next;
        };
        std::vector<Frame> stack;
        std::string current = base.name;
        size_t index = 0;
        auto finish = [&](const char* outcome, const model::NftRule* rule, const std::string& how) {
            step.outcome = outcome;
            if (rule) {
                step.handle = rule->handle;
                step.deciding_chain = rule->chain;
                step.by = (rule->chain == base.name ? "" : "chain " + rule->chain + " ") + "rule handle " +
                          std::to_string(rule->handle) + ": " + rule->text + how;
            } else {
                step.by = how;
            }
            return step;
        };
        for (int guard = 0;; ++guard) {
            if (stack.size() > kMaxJumpDepth || guard > 100000)
                return finish("indeterminate", nullptr, "jumps nest deeper than " + std::to_string(kMaxJumpDepth));
            const auto& rules = rules_[key(base.family, base.table, current)];
            if (index >= rules.size()) {
                if (stack.empty()) return finish(base.policy == "drop" ? "drop" : "accept", nullptr, "policy " + base.policy);
                current = stack.back().chain;
                index = stack.back().next;
                stack.pop_back();
                continue;
            }
            const model::NftRule* rule = rules[index];
            const auto r = run_rule(*rule);
            ++index;
            if (!r.note.empty()) notes_.push_back(step.chain + " rule handle " + std::to_string(rule->handle) + ": " + r.note);
            if (!r.matched || r.verdict == kContinue || r.verdict == kBreak) continue;
            if (!r.uncertain.empty()) return finish("indeterminate", rule, " (" + r.uncertain + ")");
            switch (r.verdict) {
                case kAccept: return finish("accept", rule, "");
                case kDrop: return finish("drop", rule, "");
                case kJump:
                    stack.push_back({current, index});
                    current = r.chain;
                    index = 0;
                    break;
                case kGoto:
                    current = r.chain;
                    index = 0;
                    break;
                case kReturn:
                    if (stack.empty()) return finish(base.policy == "drop" ? "drop" : "accept", rule, " then policy " + base.policy);
                    current = stack.back().chain;
                    index = stack.back().next;
                    stack.pop_back();
                    break;
                default: return finish("indeterminate", rule, " (verdict " + std::to_string(r.verdict) + ")");
            }
        }
    }

    std::optional<Bytes> meta(std::uint32_t key) const {
        switch (key) {
            case kMetaL4proto: return Bytes{112};
            case kMetaNfproto: return Bytes{static_cast<unsigned char>(packet_.family == model::Family::ipv4 ? 2 : 10)};
            case kMetaProtocol:
                return packet_.family == model::Family::ipv4 ? Bytes{0x08, 0x00} : Bytes{0x86, 0xdd};
            case kMetaIif: return u32_host(static_cast<std::uint32_t>(packet_.iif));
            case kMetaIifname: {
                Bytes name(16, 0);
                std::memcpy(name.data(), packet_.iifname.data(), std::min<size_t>(15, packet_.iifname.size()));
                return name;
            }
            case kMetaIiftype: return Bytes{1, 0};  // ARPHRD_ETHER
            case kMetaPkttype: return Bytes{static_cast<unsigned char>(packet_.multicast ? 2 : 0)};
            case kMetaMark: return u32_host(0);
        }
        return std::nullopt;
    }

    /// `fib saddr . iif oif` (with or without mark): the reverse-path lookup of
    /// firewalld's IPv6_rpfilter and of hand-written rp filters. Modelled where the
    /// answer is certain: an IPv6 link-local source, whose fe80::/64 route exists on
    /// every IPv6 interface, so the lookup restricted to iif finds iif. Everything
    /// else (IPv4, global sources, other results) is not modelled: nullopt.
    std::optional<Bytes> fib(const model::NftExpr& e) const {
        constexpr std::uint32_t kResultOif = 1, kSaddr = 1 << 0, kMark = 1 << 2, kIif = 1 << 3, kPresent = 1 << 5;
        const bool reverse_path = (e.flags & ~(kMark | kPresent)) == (kSaddr | kIif);
        const bool link_local = packet_.family == model::Family::ipv6 && packet_.saddr.rfind("fe80:", 0) == 0;
        if (e.key != kResultOif || !reverse_path || !link_local || packet_.iif == 0) return std::nullopt;
        // With F_PRESENT ("oif missing" / "oif exists") the kernel stores 1, else the index.
        return u32_host((e.flags & kPresent) ? 1U : static_cast<std::uint32_t>(packet_.iif));
    }

    /// Does `key` fall in `set`? nullopt when the set is missing.
    std::optional<const model::NftElement*> lookup(const model::NftSet& set, const Bytes& key, bool& found) const {
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

    RuleOutcome run_rule(const model::NftRule& rule) {
        Registers regs;
        RuleOutcome out;
        auto uncertain = [&](const std::string& why) {
            if (out.uncertain.empty()) out.uncertain = why;
        };
        for (const auto& e : rule.exprs) {
            const int dreg = model::nft_register_slot(e.dreg), sreg = model::nft_register_slot(e.sreg);
            if (e.name == "payload") {
                if (e.dreg == 0) continue;  // a payload write: no effect on the verdict
                if (e.base == kPayloadNetwork && e.offset + e.len <= header_.size()) {
                    regs.write(dreg, Bytes(header_.begin() + e.offset, header_.begin() + e.offset + e.len));
                } else {
                    regs.forget(dreg, e.len);  // link-layer and VRRP header bytes are not modelled
                }
            } else if (e.name == "meta") {
                if (e.dreg == 0) continue;
                if (auto v = meta(e.key)) regs.write(dreg, *v);
                else regs.forget(dreg, 16);
            } else if (e.name == "ct") {
                if (e.dreg == 0) continue;
                if (e.key == kCtState) regs.write(dreg, u32_host(packet_.ct_state));
                else if (e.key == kCtStatus) regs.write(dreg, u32_host(0));
                else regs.forget(dreg, 16);
            } else if (e.name == "cmp") {
                const Bytes data = from_hex(e.data);
                auto value = regs.read(sreg, data.size());
                if (!value) {
                    uncertain("compares a value haprep does not model");
                    continue;
                }
                const int c = std::memcmp(value->data(), data.data(), data.size());
                const bool match = e.op == 0 ? c == 0 : e.op == 1 ? c != 0 : e.op == 2 ? c < 0 : e.op == 3 ? c <= 0 : e.op == 4 ? c > 0 : c >= 0;
                if (!match) return out;
            } else if (e.name == "bitwise") {
                auto value = regs.read(sreg, e.len);
                const Bytes mask = from_hex(e.data), x = from_hex(e.data2);
                if (!value || e.op != 0 || mask.size() != e.len || x.size() != e.len) {
                    regs.forget(dreg, e.len);
                    continue;
                }
                for (size_t i = 0; i < e.len; ++i) (*value)[i] = static_cast<unsigned char>(((*value)[i] & mask[i]) ^ x[i]);
                regs.write(dreg, *value);
            } else if (e.name == "range") {
                const Bytes from = from_hex(e.data), to = from_hex(e.data2);
                auto value = regs.read(sreg, from.size());
                if (!value) {
                    uncertain("compares a value haprep does not model");
                    continue;
                }
                const bool inside = *value >= from && *value <= to;
                if (inside != (e.op == 0)) return out;
            } else if (e.name == "lookup") {
                auto it = sets_.find(key(rule.family, rule.table, e.set));
                if (it == sets_.end()) {
                    uncertain("set " + e.set + " was not read");
                    continue;
                }
                const auto& set = *it->second;
                auto value = regs.read(sreg, set.key_len);
                if (!value) {
                    uncertain("looks up a value haprep does not model");
                    continue;
                }
                bool found = false;
                auto element = lookup(set, *value, found);
                const bool negated = (e.flags & 1) != 0;
                if (found == negated) return out;
                if (e.dreg == 0 && found && element && *element) {  // verdict map
                    out.verdict = (*element)->verdict;
                    out.chain = (*element)->chain;
                } else if (e.dreg != 0) {
                    regs.forget(dreg, 16);  // data maps: the value is not modelled
                }
            } else if (e.name == "immediate") {
                if (e.dreg == 0) {
                    out.verdict = e.verdict;
                    out.chain = e.chain;
                } else {
                    regs.write(dreg, from_hex(e.data));
                }
            } else if (e.name == "reject") {
                out.verdict = kDrop;
            } else if (e.name == "limit" || e.name == "quota" || e.name == "connlimit") {
                out.note = "the verdict depends on rate (" + e.name + "); evaluated as under the limit";
            } else if (e.name == "fib") {
                if (auto v = fib(e)) {
                    regs.write(dreg, *v);
                } else {
                    uncertain("fib lookup haprep does not model");
                    regs.forget(dreg, 16);
                }
            } else if (e.name == "counter" || e.name == "log" || e.name == "notrack" || e.name == "last") {
                continue;
            } else {
                // fib, socket, compat match/target, ...: unknown to this evaluator.
                uncertain(e.name == "match" || e.name == "target" ? "iptables-nft compat " + e.name + " expression"
                                                                  : "expression " + e.name + " is not understood");
                if (e.dreg != 0) regs.forget(dreg, 16);
            }
        }
        out.matched = true;
        return out;
    }
};

}  // namespace

NftVerdict evaluate_packet(const model::NftRuleset& ruleset, const VrrpPacket& packet) {
    return Evaluator(ruleset, packet).run();
}

std::vector<VrrpPacket> vrrp_adverts(const model::FactsView& view, const model::VrrpInstance& instance) {
    const bool v4 = instance.family == model::Family::ipv4;
    std::string own;
    for (const auto* a : view.addresses(instance.interface, instance.family)) {
        const bool link_local = a->address.rfind("fe80", 0) == 0;
        if (own.empty() && (v4 || link_local)) own = a->address;
    }
    if (own.empty()) own = v4 ? "192.0.2.1" : "fe80::1";  // no address: any source will do
    const auto* iface = view.interface(instance.interface);
    // Without known peers, a neighbour on our own subnet stands in: a rule matching
    // the subnet matches it as it would match the real peer.
    std::vector<std::string> sources = instance.peers;
    if (sources.empty()) sources.push_back(own);
    std::vector<VrrpPacket> packets;
    for (const auto& source : sources) {
        VrrpPacket p;
        p.family = instance.family;
        p.iifname = instance.interface;
        p.iif = iface ? iface->index : 0;
        p.saddr = source;
        p.multicast = instance.mode == model::VrrpMode::multicast;
        p.daddr = p.multicast ? (v4 ? "224.0.0.18" : "ff02::12") : own;
        packets.push_back(p);
    }
    return packets;
}

const char* to_string(NftVerdict::Outcome outcome) {
    switch (outcome) {
        case NftVerdict::Outcome::accept: return "accept";
        case NftVerdict::Outcome::drop: return "drop";
        case NftVerdict::Outcome::indeterminate: return "indeterminate";
    }
    return "?";
}

}  // namespace haprep::checks
