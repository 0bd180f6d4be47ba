// Fix keepalived.conf: edits to keepalived's configuration for the findings that name
// this fix — one planner, because two fixes writing the same file from the same
// original would each undo the other's edit. Each file gets one change with every
// edit in it (one diff). Edits are line edits on the file that holds the item, so
// comments and layout elsewhere stay as they are; an item that shares its line with
// something else is not edited (the message says so).
//
// - keepalived.ipv6_first_vip: the first link-local VIP moves to the front of
//   virtual_ipaddress (RFC 5798: the adverts' first address must be link-local).
// - keepalived.sync_group_single: the group is removed, if it holds nothing but its
//   one member (a group with notify scripts would lose them: left to the admin).
// - env.multicast: the instance becomes unicast when the peers are known: our address
//   on the interface as unicast_src_ip and a unicast_peer block, before its '}'.
//   Not under vrrp_strict, which refuses unicast peers.
//
// Before the rename `keepalived -t` must accept the whole edited configuration (see
// host/keepalived_check.h for when it cannot tell).

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>

#include "fixes/diff.h"
#include "fixes/fix.h"
#include "keepalived/flatten.h"
#include "model/ip.h"
#include "model/text.h"

namespace haprep::fixes {

namespace {

using model::KeepalivedConf;
using model::KeepalivedInstance;

/// Line edits on one file, all in the original's line numbers.
struct FileEdits {
    std::set<int> deleted;
    std::map<int, std::vector<std::string>> inserted_before;  ///< line -> lines to insert
    std::vector<std::string> notes;
    std::set<model::Subject> subjects;
};

std::vector<std::string> split_lines(const std::string& content, bool& trailing_newline) {
    trailing_newline = content.empty() || content.back() == '\n';
    return model::split_lines(content);
}

std::string apply_edits(const std::string& content, const FileEdits& edits) {
    bool trailing = true;
    const auto lines = split_lines(content, trailing);
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        const int number = static_cast<int>(i) + 1;
        if (auto it = edits.inserted_before.find(number); it != edits.inserted_before.end())
            for (const auto& l : it->second) out += l + "\n";
        if (!edits.deleted.count(number)) out += lines[i] + (i + 1 < lines.size() || trailing ? "\n" : "");
    }
    return out;
}

/// The include records with their lines moved as the edits move them (an edit never
/// touches an include line, but lines inserted or deleted above it shift it).
std::vector<model::KeepalivedInclude> shifted(const std::vector<model::KeepalivedInclude>& includes,
                                              const std::map<std::string, FileEdits>& edits) {
    std::vector<model::KeepalivedInclude> out;
    for (auto inc : includes) {
        if (auto it = edits.find(inc.at.file); it != edits.end()) {
            const auto& e = it->second;
            if (e.deleted.count(inc.at.line)) continue;
            int shift = 0;
            for (const auto& [line, lines] : e.inserted_before)
                if (line <= inc.at.line) shift += static_cast<int>(lines.size());
            for (int line : e.deleted)
                if (line < inc.at.line) --shift;
            inc.at.line += shift;
        }
        out.push_back(std::move(inc));
    }
    return out;
}

std::string line_of(const KeepalivedConf& conf, const model::SourceLocation& at) {
    const auto* file = model::find_file(conf.files, at.file);
    if (!file) return {};
    bool trailing = true;
    const auto lines = split_lines(file->content, trailing);
    return at.line >= 1 && at.line <= static_cast<int>(lines.size()) ? lines[at.line - 1] : std::string();
}

std::string where(const model::SourceLocation& at) { return at.file + ":" + std::to_string(at.line); }

const KeepalivedInstance* find_instance(const KeepalivedConf& conf, const std::string& name) {
    for (const auto& in : conf.instances)
        if (in.name == name) return &in;
    return nullptr;
}

void plan_first_vip(const KeepalivedConf& conf, const KeepalivedInstance& in, std::map<std::string, FileEdits>& edits) {
    const model::KeepalivedVip* first = nullptr;
    const model::KeepalivedVip* local = nullptr;
    for (const auto& vip : in.vips) {
        if (!vip.valid || vip.family != model::Family::ipv6) continue;
        if (!first) first = &vip;
        if (model::is_link_local(vip.address, model::Family::ipv6)) {
            local = &vip;
            break;
        }
    }
    if (!first || !local || local == first) return;  // nothing to move: the check's message suggests one
    const auto& front = in.vips.front().item;
    auto& e = edits[front.at.file];
    if (!front.whole_line || !local->item.whole_line || local->item.at.file != front.at.file) {
        e.notes.push_back("vrrp_instance " + in.name + ": " + local->address +
                          " shares its line with other items: move it to the front of virtual_ipaddress by hand");
        return;
    }
    e.deleted.insert(local->item.at.line);
    e.inserted_before[front.at.line].push_back(line_of(conf, local->item.at));
    e.notes.push_back("vrrp_instance " + in.name + ": " + local->address + " (" + where(local->item.at) +
                      ") moved to the front of virtual_ipaddress");
    e.subjects.insert(model::vrrp_instance_subject(in.name));
}

/// The group's lines hold only `group { ... }` and its members: removing it loses nothing.
bool only_members(const KeepalivedConf& conf, const model::KeepalivedSyncGroup& g) {
    for (int line = g.block.at.line + 1; line < g.block.close.line; ++line) {
        std::string text = line_of(conf, {g.block.at.file, line});
        text = text.substr(0, text.find_first_of("#!"));
        std::string word;
        for (size_t i = 0; i <= text.size(); ++i) {
            const char c = i < text.size() ? text[i] : ' ';
            if (c == ' ' || c == '\t' || c == '{' || c == '}') {
                const bool member = std::any_of(g.members.begin(), g.members.end(),
                                                [&](const auto& m) { return m.text == word; });
                if (!word.empty() && word != "group" && !member) return false;
                word.clear();
            } else {
                word += c;
            }
        }
    }
    return true;
}

void plan_sync_group(const KeepalivedConf& conf, const std::string& name, std::map<std::string, FileEdits>& edits) {
    for (const auto& g : conf.sync_groups) {
        if (g.name != name || g.members.size() != 1) continue;
        auto& e = edits[g.block.at.file];
        if (!g.block.own_lines || !only_members(conf, g)) {
            e.notes.push_back("vrrp_sync_group " + name + " (" + where(g.block.at) +
                              ") holds more than its member or shares lines: remove it by hand");
            return;
        }
        for (int line = g.block.at.line; line <= g.block.close.line; ++line) e.deleted.insert(line);
        e.notes.push_back("vrrp_sync_group " + name + " (" + where(g.block.at) + ") removed: a group of one syncs nothing");
        e.subjects.insert(model::sync_group_subject(name));
        return;
    }
}

/// Our address on the instance's interface: a usable global one of its family that is
/// not one of its VIPs (the MASTER holds those too).
std::string own_address(const model::Facts& facts, const KeepalivedInstance& in, model::Family family) {
    if (!facts.addresses.ok()) return {};
    for (const auto& a : *facts.addresses.value) {
        if (a.interface != in.interface || a.family != family || a.scope != 0 || a.tentative || a.dadfailed) continue;
        const bool vip = std::any_of(in.vips.begin(), in.vips.end(), [&](const auto& v) { return v.address == a.address; });
        if (!vip) return a.address;
    }
    return {};
}

/// The peers' addresses: --peer, and what --peer-conf / --peer-facts say about the
/// instance with our VRID (its unicast_src_ip, else its address on that interface).
std::vector<std::string> peer_addresses(const model::Facts& facts, const KeepalivedInstance& in, model::Family family) {
    std::vector<std::string> peers;
    auto add = [&](const std::string& a) {
        if (!a.empty() && model::address_family(a) == family && std::find(peers.begin(), peers.end(), a) == peers.end()) peers.push_back(a);
    };
    for (const auto& v : facts.vrrp.instances)
        if (v.name == in.name)
            for (const auto& p : v.peers) add(p);
    for (const auto& node : facts.peers) {
        for (const auto& theirs : node.conf.instances) {
            if (theirs.virtual_router_id != in.virtual_router_id) continue;
            if (!theirs.unicast_src_ip.empty()) {
                add(theirs.unicast_src_ip);
                continue;
            }
            for (const auto& a : node.addresses)
                if (a.interface == theirs.interface && a.family == family && a.scope == 0) {
                    add(a.address);
                    break;
                }
        }
    }
    return peers;
}

void plan_unicast(const model::Facts& facts, const KeepalivedConf& conf, const KeepalivedInstance& in,
                  std::map<std::string, FileEdits>& edits) {
    if (!in.unicast_peers.empty()) return;
    auto& e = edits[in.block.at.file];
    const auto family = model::instance_family(in);
    const auto peers = peer_addresses(facts, in, family);
    if (conf.global.vrrp_strict) {
        e.notes.push_back("vrrp_instance " + in.name + ": vrrp_strict refuses unicast peers; not converted");
        return;
    }
    if (peers.empty()) {
        e.notes.push_back("vrrp_instance " + in.name +
                          ": the peers are not known (--peer, --peer-conf or --peer-facts): not converted to unicast");
        return;
    }
    const std::string source = in.unicast_src_ip.empty() ? own_address(facts, in, family) : in.unicast_src_ip;
    if (source.empty()) {
        e.notes.push_back("vrrp_instance " + in.name + ": no usable " + model::to_string(family) + " address on " +
                          in.interface + " for unicast_src_ip: not converted");
        return;
    }
    if (!in.block.own_lines) {
        e.notes.push_back("vrrp_instance " + in.name + ": its closing brace shares a line: add unicast_peer by hand");
        return;
    }
    const std::string indent = in.block.indent;
    const std::string inner = indent + (indent.find('\t') != std::string::npos ? "\t" : "    ");
    auto& lines = e.inserted_before[in.block.close.line];
    if (in.unicast_src_ip.empty()) lines.push_back(indent + "unicast_src_ip " + source);
    lines.push_back(indent + "unicast_peer {");
    for (const auto& p : peers) lines.push_back(inner + p);
    lines.push_back(indent + "}");
    e.notes.push_back("vrrp_instance " + in.name + ": unicast from " + source + " to " +
                      fmt::format("{}", fmt::join(peers, " ")) +
                      " (multicast is not forwarded here); the peers need the same change");
    e.subjects.insert(model::vrrp_instance_subject(in.name));
}

}  // namespace

std::vector<model::Change> plan_keepalived_conf(const model::Facts& facts, std::span<const model::Finding> findings,
                                                const policy::Policy&) {
    if (!facts.keepalived.ok()) return {};
    const auto& conf = *facts.keepalived.value;
    std::map<std::string, FileEdits> edits;  // by file
    std::set<std::string> seen;
    for (const auto& f : findings) {
        // One edit per instance: env.multicast judges an instance once per family.
        if (!seen.insert(f.check + "\n" + f.subject.text()).second) continue;
        if (f.check == "keepalived.sync_group_single") {
            plan_sync_group(conf, f.subject.sync_group, edits);
        } else if (const auto* in = find_instance(conf, f.subject.instance)) {
            if (f.check == "keepalived.ipv6_first_vip") plan_first_vip(conf, *in, edits);
            if (f.check == "env.multicast") plan_unicast(facts, conf, *in, edits);
        }
    }

    // Every edit is validated on the whole configuration with all of them made.
    std::vector<model::ConfigFile> edited = conf.files;
    for (auto& file : edited)
        if (auto it = edits.find(file.path); it != edits.end()) file.content = apply_edits(file.content, it->second);
    const model::KeepalivedTest validation{.main = conf.path,
                                           .edited = keepalived::flatten(conf.path, edited, shifted(conf.includes, edits)),
                                           .baseline = keepalived::flatten(conf.path, conf.files, conf.includes),
                                           .config_id = conf.config_id};

    std::vector<model::Change> changes;
    for (const auto& [path, e] : edits) {
        const auto* file = model::find_file(conf.files, path);
        if (!file || e.subjects.empty()) continue;  // only notes: nothing safe to change
        model::Change c = file_edit_change({e.subjects.begin(), e.subjects.end()}, *file,
                                           apply_edits(file->content, e), validation);
        c.note = fmt::format("{}", fmt::join(e.notes, "; "));
        // haprep never restarts a daemon: the running keepalived keeps its old view.
        c.note += "; keepalived reads it at its next reload (systemctl reload keepalived)";
        changes.push_back(std::move(c));
    }
    return changes;
}

}  // namespace haprep::fixes
