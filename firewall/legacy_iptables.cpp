#include "firewall/legacy_iptables.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "model/ip.h"
#include "model/text.h"

namespace haprep::firewall {

namespace {

using namespace model::nft;

constexpr std::uint32_t kReg1 = 1;       // NFT_REG_1: the 16-byte register iptables-nft uses
constexpr std::uint32_t kCmpEq = 0, kCmpNeq = 1;
constexpr std::size_t kIfnameMax = 15;  // IFNAMSIZ - 1

// Hook numbers (linux/netfilter.h, the ip/ip6/inet numbering).
constexpr int kPrerouting = 0, kInput = 1, kForward = 2, kOutput = 3, kPostrouting = 4;

/// The built-in chains as x_tables registers them: hook, priority (NF_IP_PRI_*),
/// and the type nft would give such a chain.
struct Builtin {
    const char* table;
    const char* chain;
    int hook;
    int priority;
    const char* type;
};
constexpr Builtin kBuiltins[] = {
    {"raw", "PREROUTING", kPrerouting, -300, "filter"},   {"raw", "OUTPUT", kOutput, -300, "filter"},
    {"mangle", "PREROUTING", kPrerouting, -150, "filter"}, {"mangle", "INPUT", kInput, -150, "filter"},
    {"mangle", "FORWARD", kForward, -150, "filter"},       {"mangle", "OUTPUT", kOutput, -150, "route"},
    {"mangle", "POSTROUTING", kPostrouting, -150, "filter"},
    {"nat", "PREROUTING", kPrerouting, -100, "nat"},       {"nat", "INPUT", kInput, 100, "nat"},
    {"nat", "OUTPUT", kOutput, -100, "nat"},               {"nat", "POSTROUTING", kPostrouting, 100, "nat"},
    {"filter", "INPUT", kInput, 0, "filter"},              {"filter", "FORWARD", kForward, 0, "filter"},
    {"filter", "OUTPUT", kOutput, 0, "filter"},
    {"security", "INPUT", kInput, 50, "filter"},           {"security", "FORWARD", kForward, 50, "filter"},
    {"security", "OUTPUT", kOutput, 50, "filter"},
};

const Builtin* builtin(const std::string& table, const std::string& chain) {
    for (const auto& b : kBuiltins)
        if (table == b.table && chain == b.chain) return &b;
    return nullptr;
}

/// A chain that is built in by its name only (a table haprep does not know, or a
/// built-in name in a table that lacks it): the hook by name, the table's priority.
int hook_by_name(const std::string& chain) {
    static constexpr std::pair<const char*, int> kHooks[] = {
        {"PREROUTING", kPrerouting}, {"INPUT", kInput}, {"FORWARD", kForward}, {"OUTPUT", kOutput}, {"POSTROUTING", kPostrouting}};
    for (const auto& [name, hook] : kHooks)
        if (chain == name) return hook;
    return -1;
}

int table_priority(const std::string& table, int hook) {
    if (table == "raw") return -300;
    if (table == "mangle") return -150;
    if (table == "nat") return hook == kPrerouting || hook == kOutput ? -100 : 100;
    if (table == "security") return 50;
    return 0;
}

/// Protocol names iptables accepts for -p (its own table, then /etc/protocols).
std::optional<unsigned> protocol_number(std::string name) {
    for (auto& c : name)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    static constexpr std::pair<const char*, unsigned> kNames[] = {
        {"all", 0},        {"ip", 0},           {"hopopt", 0},      {"icmp", 1},         {"igmp", 2},
        {"ggp", 3},        {"ipencap", 4},      {"st", 5},          {"tcp", 6},          {"egp", 8},
        {"igp", 9},        {"pup", 12},         {"udp", 17},        {"hmp", 20},         {"xns-idp", 22},
        {"rdp", 27},       {"iso-tp4", 29},     {"dccp", 33},       {"xtp", 36},         {"ddp", 37},
        {"idpr-cmtp", 38}, {"ipv6", 41},        {"ipv6-route", 43}, {"ipv6-frag", 44},   {"idrp", 45},
        {"rsvp", 46},      {"gre", 47},         {"esp", 50},        {"ah", 51},          {"skip", 57},
        {"ipv6-icmp", 58}, {"icmpv6", 58},      {"icmp6", 58},      {"ipv6-nonxt", 59},  {"ipv6-opts", 60},
        {"rspf", 73},      {"vmtp", 81},        {"eigrp", 88},      {"ospf", 89},        {"ax.25", 93},
        {"ipip", 94},      {"etherip", 97},     {"encap", 98},      {"pim", 103},        {"ipcomp", 108},
        {"vrrp", 112},     {"l2tp", 115},       {"isis", 124},      {"sctp", 132},       {"fc", 133},
        {"mobility-header", 135}, {"mh", 135}, {"udplite", 136},   {"mpls-in-ip", 137}, {"manet", 138},
        {"hip", 139},      {"shim6", 140},      {"wesp", 141},      {"rohc", 142},       {"ethernet", 143}};
    for (const auto& [n, number] : kNames)
        if (name == n) return number;
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number, 10);
    if (name.empty() || ec != std::errc() || end != name.data() + name.size() || number > 255) return std::nullopt;
    return number;
}

model::NftExpr meta_load(std::uint32_t key) {
    model::NftExpr e;
    e.name = "meta";
    e.key = key;
    e.dreg = kReg1;
    return e;
}

model::NftExpr cmp(std::uint32_t op, const void* data, std::size_t len) {
    model::NftExpr e;
    e.name = "cmp";
    e.sreg = kReg1;
    e.op = op;
    e.data = to_hex(data, len);
    return e;
}

model::NftExpr payload_load(std::uint32_t offset, std::uint32_t len) {
    model::NftExpr e;
    e.name = "payload";
    e.dreg = kReg1;
    e.base = kPayloadNetwork;
    e.offset = offset;
    e.len = len;
    return e;
}

model::NftExpr verdict(std::int32_t v, const std::string& chain = {}) {
    model::NftExpr e;
    e.name = "immediate";
    e.verdict = v;
    e.chain = chain;
    return e;
}

model::NftExpr compat(const char* kind, const std::string& name, const std::string& args) {
    model::NftExpr e;
    e.name = kind;
    e.xt_name = name;
    e.args = args;
    return e;
}

/// What haprep cannot read in a rule: a compat match no extension has, so the
/// evaluator cannot decide it (firewall/xt.h: XtOther).
model::NftExpr undecidable(const std::string& what, const std::string& args = {}) {
    return compat("match", what, args);
}

/// `ADDR[/PREFIX|/MASK]` of the family: the address bytes (already masked) and the
/// mask bytes. nullopt when it is not that.
struct Network {
    std::array<unsigned char, 16> address{}, mask{};
    std::size_t len = 4;
    bool full = true;  ///< the mask is all ones: no bitwise needed
};
std::optional<Network> parse_network(const std::string& text, model::Family family) {
    Network n;
    n.len = family == model::Family::ipv4 ? 4 : 16;
    const auto slash = text.find('/');
    const auto address = model::IpAddress::parse(text.substr(0, slash), family);
    if (!address) return std::nullopt;
    std::ranges::copy(address->bytes(), n.address.begin());
    n.mask.fill(0);
    for (std::size_t i = 0; i < n.len; ++i) n.mask[i] = 0xff;
    if (slash != std::string::npos) {
        const std::string mask = text.substr(slash + 1);
        unsigned prefix = 0;
        const auto [end, ec] = std::from_chars(mask.data(), mask.data() + mask.size(), prefix, 10);
        if (!mask.empty() && ec == std::errc() && end == mask.data() + mask.size()) {
            if (prefix > n.len * 8) return std::nullopt;
            for (std::size_t i = 0; i < n.len; ++i) {
                const unsigned bits = prefix >= (i + 1) * 8 ? 8 : prefix > i * 8 ? prefix - static_cast<unsigned>(i * 8) : 0;
                n.mask[i] = static_cast<unsigned char>(bits == 0 ? 0 : (0xff << (8 - bits)) & 0xff);
            }
        } else if (const auto netmask = model::IpAddress::parse(mask, family)) {
            std::ranges::copy(netmask->bytes(), n.mask.begin());
        } else {
            return std::nullopt;
        }
    }
    for (std::size_t i = 0; i < n.len; ++i) {
        n.address[i] &= n.mask[i];
        if (n.mask[i] != 0xff) n.full = false;
    }
    return n;
}

bool is_option(const SaveWord& w) {
    return !w.quoted && w.text.size() >= 2 && w.text[0] == '-' &&
           ((w.text[1] >= 'a' && w.text[1] <= 'z') || (w.text[1] >= 'A' && w.text[1] <= 'Z') || w.text[1] == '-');
}
bool is_short_option(const SaveWord& w) { return is_option(w) && w.text[1] != '-'; }

/// Long names of the base options, as their short ones.
std::string short_name(const std::string& option) {
    static constexpr std::pair<const char*, const char*> kLong[] = {
        {"--protocol", "-p"}, {"--source", "-s"},       {"--src", "-s"},          {"--destination", "-d"},
        {"--dst", "-d"},      {"--in-interface", "-i"}, {"--out-interface", "-o"}, {"--match", "-m"},
        {"--jump", "-j"},     {"--goto", "-g"},         {"--fragment", "-f"},     {"--set-counters", "-c"}};
    for (const auto& [l, s] : kLong)
        if (option == l) return s;
    return option;
}

class RuleReader {
public:
    RuleReader(const std::string& line, const std::vector<SaveWord>& words, std::size_t first, model::Family family,
               const std::set<std::string>& chains)
        : line_(line), words_(words), i_(first), family_(family), chains_(chains) {}

    void read(model::NftRule& rule) {
        while (i_ < words_.size()) {
            bool invert = false;
            if (!words_[i_].quoted && words_[i_].text == "!") {
                invert = true;
                ++i_;
                if (i_ >= words_.size()) {
                    exprs_.push_back(undecidable("unknown option !"));
                    break;
                }
            }
            const SaveWord& word = words_[i_++];
            const std::string option = is_option(word) ? short_name(word.text) : std::string();
            if (option == "-p") protocol(invert);
            else if (option == "-s" || option == "-d") address(option == "-s", invert);
            else if (option == "-i" || option == "-o") interface(option == "-i", invert);
            else if (option == "-m") match(invert);
            else if (option == "-j" || option == "-g") target(option == "-g", invert);
            else if (option == "-c" && !invert) i_ = std::min(words_.size(), i_ + 2);  // counters
            else unknown(word, invert);
        }
        rule.exprs = std::move(exprs_);
        rule.exprs.insert(rule.exprs.end(), tail_.begin(), tail_.end());
        rule.comment = comment_;
    }

private:
    const std::string& line_;
    const std::vector<SaveWord>& words_;
    std::size_t i_;
    model::Family family_;
    const std::set<std::string>& chains_;
    std::vector<model::NftExpr> exprs_, tail_;  // tail_: the verdict, always last
    std::string comment_;

    /// The next word as an option's value, or nullopt (none left, or an option).
    std::optional<std::string> value() {
        if (i_ >= words_.size() || is_short_option(words_[i_])) return std::nullopt;
        return words_[i_++].text;
    }

    /// The words up to the next base option (a `!` just before one belongs to it),
    /// as they stand in the line (quotes kept).
    std::string arguments() {
        const std::size_t start = i_;
        while (i_ < words_.size()) {
            if (is_short_option(words_[i_])) break;
            if (!words_[i_].quoted && words_[i_].text == "!" && i_ + 1 < words_.size() && is_short_option(words_[i_ + 1]))
                break;
            ++i_;
        }
        if (start == i_) return {};
        const std::size_t from = words_[start].begin, to = words_[i_ - 1].end;
        return from < to && to <= line_.size() ? line_.substr(from, to - from) : std::string();
    }

    void unknown(const SaveWord& word, bool invert) {
        const std::string what = (invert ? "! " : "") + word.text;
        exprs_.push_back(undecidable("unknown option " + what, arguments()));
    }

    void protocol(bool invert) {
        const auto name = value();
        const auto number = name ? protocol_number(*name) : std::nullopt;
        if (!number) {
            exprs_.push_back(undecidable("unknown protocol " + name.value_or("(none)")));
            return;
        }
        if (*number == 0) {
            if (invert) exprs_.push_back(undecidable("unknown option ! -p all"));  // iptables refuses it
            return;
        }
        const unsigned char byte = static_cast<unsigned char>(*number);
        exprs_.push_back(meta_load(kMetaL4proto));
        exprs_.push_back(cmp(invert ? kCmpNeq : kCmpEq, &byte, 1));
    }

    void address(bool source, bool invert) {
        const auto text = value();
        const auto network = text ? parse_network(*text, family_) : std::nullopt;
        if (!network) {
            exprs_.push_back(undecidable(std::string("unreadable address ") + (source ? "-s " : "-d ") + text.value_or("")));
            return;
        }
        const bool v4 = family_ == model::Family::ipv4;
        exprs_.push_back(payload_load(source ? (v4 ? 12 : 8) : (v4 ? 16 : 24), static_cast<std::uint32_t>(network->len)));
        if (!network->full) {
            model::NftExpr b;
            b.name = "bitwise";
            b.sreg = b.dreg = kReg1;
            b.len = static_cast<std::uint32_t>(network->len);
            b.data = to_hex(network->mask.data(), network->len);
            const std::array<unsigned char, 16> zero{};
            b.data2 = to_hex(zero.data(), network->len);
            exprs_.push_back(b);
        }
        exprs_.push_back(cmp(invert ? kCmpNeq : kCmpEq, network->address.data(), network->len));
    }

    void interface(bool in, bool invert) {
        const auto name = value();
        const std::string option = in ? "-i" : "-o";
        if (!name || name->empty() || name->size() > kIfnameMax + 1 ||
            (name->size() == kIfnameMax + 1 && name->back() != '+')) {
            exprs_.push_back(undecidable("unreadable interface " + option + " " + name.value_or("")));
            return;
        }
        // As iptables-nft: `eth+` compares the prefix, `eth0` the name and its NUL.
        const bool wildcard = name->back() == '+';
        const std::size_t len = wildcard ? name->size() - 1 : name->size() + 1;
        if (wildcard && len == 0) {
            if (!invert) return;  // `+`: every interface
            static constexpr char kNone[] = "INVAL/D";  // no interface is named so
            exprs_.push_back(meta_load(in ? kMetaIifname : kMetaOifname));
            exprs_.push_back(cmp(kCmpEq, kNone, sizeof kNone));
            return;
        }
        exprs_.push_back(meta_load(in ? kMetaIifname : kMetaOifname));
        exprs_.push_back(cmp(invert ? kCmpNeq : kCmpEq, name->c_str(), len));  // c_str: the NUL is there
    }

    void match(bool invert) {
        const auto name = value();
        if (!name || invert) {
            exprs_.push_back(undecidable(std::string("unknown option ") + (invert ? "! " : "") + "-m " + name.value_or(""),
                                         arguments()));
            return;
        }
        const std::string args = arguments();
        exprs_.push_back(compat("match", *name, args));
        if (*name == "comment" && comment_.empty()) {
            const auto words = split_save_line(args);
            if (words.size() == 2 && words[0].text == "--comment") comment_ = words[1].text;
        }
    }

    void target(bool go, bool invert) {
        const auto name = value();
        if (!name || name->empty() || invert) {
            exprs_.push_back(undecidable(std::string("unknown option ") + (invert ? "! " : "") + (go ? "-g " : "-j ") +
                                         name.value_or("")));
            return;
        }
        const std::string args = arguments();
        tail_.clear();
        if (go) {
            // -g only names a chain; iptables refuses a target there.
            if (!chains_.count(*name) || !args.empty()) {
                exprs_.push_back(undecidable("unknown option -g " + *name, args));
                return;
            }
            tail_.push_back(verdict(kGoto, *name));
            return;
        }
        if (args.empty()) {
            if (*name == "ACCEPT") return tail_.push_back(verdict(kAccept));
            if (*name == "DROP") return tail_.push_back(verdict(kDrop));
            if (*name == "RETURN") return tail_.push_back(verdict(kReturn));
            if (chains_.count(*name)) return tail_.push_back(verdict(kJump, *name));
        }
        tail_.push_back(compat("target", *name, args));
    }
};

/// One rule line: `-A CHAIN ...` (or `[pkts:bytes] -A ...` from iptables-save -c).
struct PendingRule {
    std::string table, chain, text;
    std::vector<SaveWord> words;
    std::size_t first = 0;  ///< the word after the chain name
};

using model::trim;

}  // namespace

std::vector<SaveWord> split_save_line(std::string_view line) {
    // iptables-restore's add_param_to_argv: a quote opens (even inside a word) and
    // closes a quoted part, which ends the word; inside quotes `\x` is `x`.
    std::vector<SaveWord> words;
    SaveWord word;
    bool in_word = false, quote = false, escaped = false;
    auto finish = [&](std::size_t end) {
        word.end = end;
        words.push_back(std::move(word));
        word = SaveWord{};
        in_word = false;
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (escaped) {
                word.text += c;
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                quote = false;
                finish(i + 1);
            } else {
                word.text += c;
            }
            continue;
        }
        if (c == '"') {
            if (!in_word) word.begin = i;
            in_word = true;
            quote = true;
            word.quoted = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) finish(i);
            continue;
        }
        if (!in_word) word.begin = i;
        in_word = true;
        word.text += c;
    }
    if (in_word) finish(line.size());  // also an unterminated quote: up to the end
    return words;
}

namespace {

/// `-A CHAIN ...` (after an optional `[packets:bytes]`) as a rule of the table, its
/// words relative to the text kept so the arguments cut from it line up; nullopt
/// for any other line.
std::optional<PendingRule> pending_rule(const std::string& line, const std::string& table) {
    auto words = split_save_line(line);
    std::size_t at = 0;
    if (at < words.size() && !words[at].quoted && words[at].text.size() > 1 && words[at].text.front() == '[' &&
        words[at].text.back() == ']')
        ++at;  // [packets:bytes]
    if (at + 1 >= words.size() || words[at].quoted || (words[at].text != "-A" && words[at].text != "--append"))
        return std::nullopt;
    PendingRule rule;
    rule.table = table;
    rule.chain = words[at + 1].text;
    rule.text = line.substr(words[at].begin);
    rule.first = at + 2;
    const std::size_t shift = words[at].begin;
    for (auto& w : words) {
        w.begin = w.begin >= shift ? w.begin - shift : 0;
        w.end = w.end >= shift ? w.end - shift : 0;
    }
    rule.words = std::move(words);
    return rule;
}

/// The tables of one iptables-save text as they are read: chains by table in the
/// order they are declared (a table repeated later adds to it), and the rule lines.
class LegacyTables {
public:
    explicit LegacyTables(model::Family family) : family_(family), family_name_(family == model::Family::ipv4 ? "ip" : "ip6") {}

    void read(const std::string& save_text) {
        std::string table;
        for (const auto& raw : model::split_lines(save_text)) {
            const std::string line = trim(raw);
            if (line.empty() || line[0] == '#') continue;
            if (line[0] == '*') {
                table = trim(line.substr(1));
                if (!table.empty() && !chains_.count(table)) {
                    table_order_.push_back(table);
                    chains_[table];
                }
                continue;
            }
            if (line == "COMMIT") {
                table.clear();
                continue;
            }
            const std::string current = table.empty() ? "filter" : table;  // iptables' default table
            if (line[0] == ':') {
                const auto words = split_save_line(std::string_view(line).substr(1));
                if (!words.empty() && !words[0].text.empty())
                    declare(current, words[0].text, words.size() > 1 ? words[1].text : "-");
            } else if (auto rule = pending_rule(line, current)) {
                pending_.push_back(std::move(*rule));
            }
        }
        // A rule in a chain never declared: a user chain, or a built-in one whose policy
        // line is missing (then its rules still run, the policy taken as accept).
        for (const auto& rule : pending_)
            if (!chain_of(rule.table, rule.chain))
                declare(rule.table, rule.chain, builtin(rule.table, rule.chain) ? "ACCEPT" : "-");
    }

    model::NftRuleset ruleset() {
        model::NftRuleset ruleset;
        for (const auto& t : table_order_)
            for (auto& chain : chains_[t]) {
                // A policy haprep does not know (the kernel has only ACCEPT and DROP): one
                // last rule it cannot decide, so the chain's end is never taken as accept.
                if (chain.hook >= 0 && chain.policy != "accept" && chain.policy != "drop") {
                    PendingRule end;
                    end.table = t;
                    end.chain = chain.name;
                    end.text = ":" + chain.name + " " + chain.policy;
                    pending_.push_back(end);
                }
                ruleset.chains.push_back(chain);
            }
        add_rules(ruleset);
        return ruleset;
    }

private:
    model::Family family_;
    std::string family_name_;
    std::vector<std::string> table_order_;
    std::map<std::string, std::vector<model::NftChain>> chains_;
    std::map<std::string, std::set<std::string>> chain_names_;
    std::vector<PendingRule> pending_;

    model::NftChain* chain_of(const std::string& table, const std::string& name) {
        for (auto& c : chains_[table])
            if (c.name == name) return &c;
        return nullptr;
    }

    void declare(const std::string& table, const std::string& name, const std::string& policy) {
        if (!chains_.count(table)) table_order_.push_back(table);
        auto* chain = chain_of(table, name);
        if (!chain) {
            model::NftChain c;
            c.family = family_name_;
            c.table = table;
            c.name = name;
            c.legacy = true;
            chains_[table].push_back(c);
            chain_names_[table].insert(name);
            chain = &chains_[table].back();
        }
        if (policy == "-") return;
        // A policy: a built-in chain.
        const Builtin* b = builtin(table, name);
        chain->hook = b ? b->hook : hook_by_name(name);
        chain->priority = b ? b->priority : table_priority(table, chain->hook);
        chain->type = b ? b->type : table == "nat" ? "nat" : "filter";
        chain->policy = policy == "ACCEPT" ? "accept" : policy == "DROP" ? "drop" : policy;
    }

    /// Rules grouped per chain, in chain order then line order (the evaluator keeps
    /// each chain's rules in the order given).
    void add_rules(model::NftRuleset& ruleset) {
        std::map<std::pair<std::string, std::string>, std::uint64_t> positions;
        std::map<std::pair<std::string, std::string>, std::vector<const PendingRule*>> by_chain;
        for (const auto& rule : pending_) by_chain[{rule.table, rule.chain}].push_back(&rule);
        for (const auto& chain : ruleset.chains) {
            for (const PendingRule* p : by_chain[{chain.table, chain.name}]) {
                model::NftRule rule;
                rule.family = family_name_;
                rule.table = p->table;
                rule.chain = p->chain;
                rule.legacy = true;
                rule.handle = ++positions[{p->table, p->chain}];
                rule.text = p->text;
                if (p->words.empty()) {
                    rule.exprs = {undecidable("unknown policy " + chain.policy), verdict(kDrop)};
                } else {
                    RuleReader(p->text, p->words, p->first, family_, chain_names_[p->table]).read(rule);
                }
                ruleset.rules.push_back(std::move(rule));
            }
        }
    }
};

}  // namespace

model::NftRuleset legacy_ruleset(const std::string& save_text, model::Family family) {
    LegacyTables tables(family);
    tables.read(save_text);
    return tables.ruleset();
}

model::NftRuleset with_legacy_rules(const model::Facts& facts) {
    model::NftRuleset combined = *facts.nft.value;
    if (facts.legacy_iptables.ok()) {
        for (const auto& [text, family] : {std::pair{&facts.legacy_iptables.value->save_ipv4, model::Family::ipv4},
                                           std::pair{&facts.legacy_iptables.value->save_ipv6, model::Family::ipv6}}) {
            if (text->empty()) continue;
            auto legacy = legacy_ruleset(*text, family);
            combined.chains.insert(combined.chains.end(), legacy.chains.begin(), legacy.chains.end());
            combined.rules.insert(combined.rules.end(), legacy.rules.begin(), legacy.rules.end());
        }
    }
    return combined;
}

bool has_legacy_rules(const model::Facts& facts) {
    return facts.legacy_iptables.ok() &&
           (!facts.legacy_iptables.value->save_ipv4.empty() || !facts.legacy_iptables.value->save_ipv6.empty());
}

}  // namespace haprep::firewall
