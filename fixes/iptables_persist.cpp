#include "fixes/iptables_persist.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "fixes/diff.h"
#include "model/ip.h"
#include "model/text.h"

namespace haprep::fixes {

namespace {

constexpr const char* kRulesV4 = "/etc/iptables/rules.v4";
constexpr const char* kRulesV6 = "/etc/iptables/rules.v6";

using model::trim;

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

/// What an interface name or comment may hold to be written unquoted / in double
/// quotes on an iptables-restore line: printable, no quote, backslash or blank
/// (names), no quote or backslash (comments).
bool safe_text(const std::string& text, bool blanks_allowed) {
    for (unsigned char ch : text) {
        if (ch < 0x21 || ch > 0x7e) {
            if (!(blanks_allowed && ch == ' ')) return false;
        }
        if (ch == '"' || ch == '\\' || ch == '\'') return false;
    }
    return true;
}

/// The same rule whatever the order of its options: iptables-save prints `-s -d -i
/// -p` where haprep writes `-i -s -d -p`, so a file saved since still holds it.
bool same_rule(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

enum class Placement { inserted, present, no_chain };

/// `content` with `line` as the first rule of `chain` in the `*table` section:
/// before the chain's first `-A chain` line, else before the section's COMMIT.
Placement place(std::string& content, const std::string& table, const std::string& chain, const std::string& line) {
    std::vector<std::string> lines = model::split_lines(content);
    bool in_table = false, defined = false;
    size_t first_append = std::string::npos;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string t = trim(lines[i]);
        if (t.empty() || t[0] == '#') continue;
        if (t[0] == '*') {
            in_table = trim(t.substr(1)) == table;
            defined = false;
            first_append = std::string::npos;
            continue;
        }
        if (!in_table) continue;
        const auto w = words(t);
        if (t[0] == ':') {
            if (w[0] == ":" + chain) defined = true;
        } else if (w.size() >= 2 && w[0] == "-A" && w[1] == chain) {
            if (first_append == std::string::npos) first_append = i;
            if (same_rule(w, words(line))) return Placement::present;
        } else if (t == "COMMIT") {
            if (defined) {
                const size_t at = first_append != std::string::npos ? first_append : i;
                lines.insert(lines.begin() + static_cast<long>(at), line);
                content.clear();
                for (const auto& l : lines) content += l + "\n";
                return Placement::inserted;
            }
            in_table = false;
        }
    }
    return Placement::no_chain;
}

/// Adds `text` to the note, "; "-separated.
void add_note(model::Change& c, const std::string& text) {
    c.note += (c.note.empty() ? "" : "; ") + text;
}

/// What haprep's VRRP accept rule matches, read from its nftables expressions.
struct VrrpAcceptRule {
    explicit VrrpAcceptRule(bool ipv4)
        : v4(ipv4), address_len(ipv4 ? 4 : 16), saddr_offset(ipv4 ? 12 : 8), daddr_offset(ipv4 ? 16 : 24) {}

    bool v4;
    std::uint32_t address_len, saddr_offset, daddr_offset;
    std::string iifname, oifname, saddr, daddr;
    bool vrrp = false, accept = false;

    /// One load `e` compared equal to `data`: false (and why) when iptables syntax
    /// as haprep writes it cannot say so.
    bool match(const model::NftExpr& e, const std::string& data, std::string& why) {
        if (e.name == "meta" && e.key == model::nft::kMetaL4proto && data == "70") {
            vrrp = true;
        } else if (e.name == "meta" && (e.key == model::nft::kMetaIifname || e.key == model::nft::kMetaOifname) &&
                   iifname.empty() && oifname.empty()) {
            const std::string name = interface_name(data);
            if (name.empty() || name.size() > 15 || !safe_text(name, false)) {
                why = "an interface name match iptables cannot express";
                return false;
            }
            (e.key == model::nft::kMetaIifname ? iifname : oifname) = name;
        } else if (e.name == "payload" && e.base == model::nft::kPayloadNetwork && e.len == address_len &&
                   (e.offset == saddr_offset || e.offset == daddr_offset)) {
            auto& slot = e.offset == saddr_offset ? saddr : daddr;
            slot = address_text(data);
            if (slot.empty()) {
                why = "an address match iptables cannot express";
                return false;
            }
        } else {
            why = "a " + e.name + " match (key " + std::to_string(e.key) + ", offset " + std::to_string(e.offset) +
                  ") haprep does not write in iptables syntax";
            return false;
        }
        return true;
    }

    /// The NUL-padded name compared; empty when it is not one (an unusual match).
    static std::string interface_name(const std::string& hex) {
        const auto bytes = model::nft::from_hex(hex);
        std::string name;
        size_t n = 0;
        for (; n < bytes.size() && bytes[n] != 0; ++n) name += static_cast<char>(bytes[n]);
        for (; n < bytes.size(); ++n)
            if (bytes[n] != 0) name.clear();
        return name;
    }

    std::string address_text(const std::string& hex) const {
        const auto bytes = model::nft::from_hex(hex);
        if (bytes.size() != address_len) return std::string();
        return model::IpAddress::from_bytes(bytes)->text() + (v4 ? "/32" : "/128");
    }
};

}  // namespace

std::optional<std::string> iptables_rule_line(const model::NftRule& rule, std::string& why) {
    const bool v4 = rule.family == "ip";
    if (!v4 && rule.family != "ip6") {
        why = "family " + rule.family + " has no iptables-persistent file";
        return std::nullopt;
    }
    VrrpAcceptRule read(v4);
    const auto& exprs = rule.exprs;
    for (size_t i = 0; i < exprs.size(); ++i) {
        const auto& e = exprs[i];
        if (read.accept) {
            why = "an expression after the verdict (" + e.name + ")";
            return std::nullopt;
        }
        if (e.name == "counter") continue;  // iptables-nft counts every rule anyway
        if (e.name == "immediate" && e.verdict == model::nft::kAccept) {
            read.accept = true;
            continue;
        }
        // Everything else must be a load followed by an equality on the same register.
        const bool load = e.name == "meta" || e.name == "payload";
        if (!load || i + 1 >= exprs.size() || exprs[i + 1].name != "cmp" || exprs[i + 1].op != 0 ||
            exprs[i + 1].sreg != e.dreg) {
            why = "expression " + e.name + " is not one haprep writes in iptables syntax";
            return std::nullopt;
        }
        if (!read.match(e, exprs[++i].data, why)) return std::nullopt;
    }
    if (!read.vrrp || (read.iifname.empty() && read.oifname.empty()) || !read.accept) {
        why = "not haprep's VRRP accept rule (protocol vrrp, interface, accept)";
        return std::nullopt;
    }
    if (!safe_text(rule.comment, true) || rule.comment.size() > 255) {
        why = "a comment iptables-restore cannot read back";
        return std::nullopt;
    }
    std::string line = "-A " + rule.chain + (read.iifname.empty() ? " -o " + read.oifname : " -i " + read.iifname);
    if (!read.saddr.empty()) line += " -s " + read.saddr;
    if (!read.daddr.empty()) line += " -d " + read.daddr;
    line += " -p vrrp";
    if (!rule.comment.empty()) line += " -m comment --comment \"" + rule.comment + "\"";
    line += " -j ACCEPT";
    return line;
}

void persist_iptables(const model::Facts& facts, std::vector<model::Change>& changes) {
    std::map<std::string, std::string> edited;  // path -> content so far
    for (auto& c : changes) {
        const auto* insert = std::get_if<model::NftRuleInsert>(&c.effect);
        if (insert == nullptr) continue;
        const auto& rule = insert->rule;
        const char* path = rule.family == "ip" ? kRulesV4 : rule.family == "ip6" ? kRulesV6 : nullptr;
        if (!path) continue;
        // persist() put it in the nftables configuration: that file loads it at boot.
        const bool in_nft_config = c.note.rfind("also added to ", 0) == 0;
        if (!facts.iptables_persistent.ok()) {
            if (!in_nft_config)
                add_note(c, "cannot read iptables-persistent's " + std::string(path) + " either (" +
                                facts.iptables_persistent.error + ")");
            continue;
        }
        const model::ConfigFile* file = nullptr;
        for (const auto& f : *facts.iptables_persistent.value)
            if (f.path == path) file = &f;
        if (!file) continue;  // no iptables-persistent for this family
        std::string why;
        const auto line = iptables_rule_line(rule, why);
        if (!line) {
            add_note(c, "not added to " + std::string(path) + ", which iptables-persistent restores at boot: " + why);
            continue;
        }
        std::string content = edited.count(path) ? edited[path] : file->content;
        const std::string boot = std::string(path) + ", which iptables-persistent restores at boot";
        switch (place(content, rule.table, rule.chain, *line)) {
            case Placement::inserted:
                edited[path] = content;
                if (in_nft_config) add_note(c, "also added to " + boot);
                else c.note = "also added to " + boot;
                break;
            case Placement::present:
                if (in_nft_config) add_note(c, "already in " + boot);
                else c.note = "already in " + boot;
                break;
            case Placement::no_chain:
                if (!in_nft_config)
                    add_note(c, (c.note.empty() ? "runtime only: " : "") + boot + ", does not define chain " +
                                    rule.chain + " of table " + rule.table + (c.note.empty() ? "" : " either"));
                break;
        }
    }
    if (edited.empty()) return;
    for (const auto& file : *facts.iptables_persistent.value) {
        auto it = edited.find(file.path);
        if (it == edited.end()) continue;
        changes.push_back(file_edit_change(changes.front().subjects, file, it->second,
                                           model::IptablesRestoreTest{.ipv6 = file.path == kRulesV6}));
    }
}

}  // namespace haprep::fixes
