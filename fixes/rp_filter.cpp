// Fix sysctl.rp_filter: loose mode on the VRRP interface, now and at boot.
//
// Only the interface key is changed. The kernel applies max(all, IF), so IF=2 wins
// over all=1 for VRRP traffic, while lowering `all` would loosen every interface on
// the host: least change. At boot the value must survive too: a drop-in in
// /etc/sysctl.d whose name sorts after every file that sets a conflicting value
// (systemd-sysctl applies files in name order, later wins). /etc/sysctl.conf is
// applied last by procps, so no drop-in can override it: a conflicting line there
// is commented out instead.

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>

#include "fixes/diff.h"
#include "fixes/fix.h"
#include "model/text.h"

namespace haprep::fixes {

namespace {

constexpr const char* kSysctlConf = "/etc/sysctl.conf";
constexpr const char* kDropInDir = "/etc/sysctl.d/";
constexpr const char* kDropInHeader =
    "# Written by haprep (fix sysctl.rp_filter). VRRP adverts are dropped by strict\n"
    "# rp_filter (1) when a peer's reverse path is another interface; 2 keeps loose\n"
    "# source validation. Edit with care: `haprep check` reports drift.\n";
constexpr const char* kDisabledMark = "  # disabled by haprep: strict rp_filter drops VRRP adverts";

using model::basename;

bool is_haprep_drop_in(const model::BootSysctl& boot, const std::string& path) {
    if (path.rfind(kDropInDir, 0) != 0) return false;
    auto it = boot.contents.find(path);
    return it != boot.contents.end() && it->second.rfind(kDropInHeader, 0) == 0;
}

/// A name that sorts after every conflicting file and masks no other file.
std::string drop_in_name(const model::BootSysctl& boot, const std::set<std::string>& conflicting) {
    const std::string last = conflicting.empty() ? std::string() : *conflicting.rbegin();
    std::set<std::string> taken;
    for (const auto& path : boot.files)
        if (!is_haprep_drop_in(boot, path)) taken.insert(basename(path));
    const std::string stem = last.size() > 5 ? last.substr(0, last.size() - 5) : last;
    for (const std::string& candidate :
         {std::string("90-haprep-rp-filter.conf"), std::string("99-zz-haprep-rp-filter.conf"),
          std::string("zz-haprep-rp-filter.conf"), stem + ".zz-haprep-rp-filter.conf"}) {
        if (candidate > last && !taken.count(candidate)) return candidate;
    }
    return stem + ".zz-haprep-rp-filter-1.conf";
}

/// key -> value lines of haprep's own drop-in.
std::map<std::string, std::string> drop_in_lines(const std::string& content) {
    std::map<std::string, std::string> lines;
    for (const auto& line : model::split_lines(content)) {
        if (line.empty() || line[0] == '#') continue;
        const auto equals = line.find(" = ");
        if (equals != std::string::npos) lines[line.substr(0, equals)] = line.substr(equals + 3);
    }
    return lines;
}

std::string render_drop_in(const std::map<std::string, std::string>& lines) {
    std::string text = kDropInHeader;
    for (const auto& [key, value] : lines) text += key + " = " + value + "\n";
    return text;
}

std::string comment_out(const std::string& content, const std::set<int>& line_numbers) {
    std::string out;
    int number = 0;
    for (const auto& line : model::split_lines(content)) {
        ++number;
        out += line_numbers.count(number) ? "# " + line + kDisabledMark : line;
        out += "\n";
    }
    return out;
}

/// Only a real interface's key is ever planned: never `all` or `default` (lowering
/// them would loosen every interface, which this fix promises never to do), nor a
/// name the kernel refuses (agent/names.cpp rejects them earlier; this is the last
/// line of defence whatever the findings say).
bool plannable_interface(const std::string& name) {
    if (name.empty() || name.size() > 15 || name == "." || name == ".." || name == "all" || name == "default")
        return false;
    return std::none_of(name.begin(), name.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c <= ' ' || c == 0x7f || c == '/';
    });
}

std::vector<model::Subject> interface_subjects(const std::set<std::string>& names) {
    std::vector<model::Subject> subjects;
    for (const auto& n : names) subjects.push_back(model::interface_subject(n));
    return subjects;
}

/// The interfaces of `findings` whose key may be planned.
std::set<std::string> plannable_interfaces(std::span<const model::Finding> findings) {
    std::set<std::string> interfaces;
    for (const auto& f : findings)
        if (f.subject.kind == model::SubjectKind::interface && plannable_interface(f.subject.interface))
            interfaces.insert(f.subject.interface);
    return interfaces;
}

/// What the boot configuration must gain, gathered over every interface: the keys
/// for haprep's drop-in, the files it must sort after, the /etc/sysctl.conf lines to
/// comment out, and the interfaces each edit is for.
struct BootPlan {
    std::map<std::string, std::string> persist;  // key -> value for the drop-in
    std::set<std::string> persist_for, conflicting_files, sysctl_conf_for;
    std::set<int> sysctl_conf_lines;

    /// Records that `key` of interface `name` must be `wanted` at boot.
    void add(const model::BootSysctl& boot, const std::string& name, const std::string& key,
             const std::string& wanted, const model::BootKey& history) {
        persist[key] = wanted;
        persist_for.insert(name);
        for (const auto& a : history.assignments) {
            if (a.value == wanted || is_haprep_drop_in(boot, a.file)) continue;
            if (a.real_file == kSysctlConf) {
                sysctl_conf_lines.insert(a.line);
                sysctl_conf_for.insert(name);
            } else {
                conflicting_files.insert(basename(a.file));
            }
        }
    }
};

/// Plans the runtime change of interface `name` and records what its boot value
/// needs; nothing when the values are unknown.
void plan_interface(const model::Facts& facts, const model::BootSysctl* boot, const std::string& name,
                    const std::string& target, std::vector<model::Change>& changes, BootPlan& boot_plan) {
    const std::string key = model::ipv4_conf_key(name, "rp_filter");
    auto all = facts.sysctl.find(model::ipv4_conf_key("all", "rp_filter"));
    auto own = facts.sysctl.find(key);
    if (all == facts.sysctl.end() || own == facts.sysctl.end() || !all->second.ok() || !own->second.ok())
        return;  // unknown values: nothing safe to plan
    std::string wanted = std::to_string(*own->second.value);
    bool runtime_changed = false;
    if (std::max(*all->second.value, *own->second.value) == 1) {
        model::Change c;
        c.subjects = {model::interface_subject(name)};
        const std::string current = std::to_string(*own->second.value);
        c.effect = model::SysctlSet{key, current, target};
        c.target = key;
        c.action = "set";
        c.diff = value_diff(key, current, target);
        changes.push_back(std::move(c));
        wanted = target;
        runtime_changed = true;
    }
    if (boot == nullptr) return;

    const auto boot_key = boot->keys.find(key);
    const model::BootKey empty;
    const auto& history = boot_key == boot->keys.end() ? empty : boot_key->second;
    const bool boot_differs = history.winner && history.winner->value != wanted;
    if (runtime_changed || boot_differs) boot_plan.add(*boot, name, key, wanted, history);
}

/// Comments out the conflicting lines of /etc/sysctl.conf, which no drop-in overrides.
void plan_sysctl_conf(const model::BootSysctl& boot, const BootPlan& boot_plan, std::vector<model::Change>& changes) {
    if (boot_plan.sysctl_conf_lines.empty()) return;
    const auto it = boot.contents.find(kSysctlConf);
    if (it != boot.contents.end())
        changes.push_back(file_edit_change(interface_subjects(boot_plan.sysctl_conf_for), kSysctlConf, &it->second,
                                           comment_out(it->second, boot_plan.sysctl_conf_lines)));
}

/// Reuses haprep's drop-in when it still sorts late enough; else writes a new one.
void plan_drop_in(const model::BootSysctl& boot, const BootPlan& boot_plan, std::vector<model::Change>& changes) {
    const auto& conflicting_files = boot_plan.conflicting_files;
    std::string path = kDropInDir + drop_in_name(boot, conflicting_files);
    for (const auto& file : boot.files) {
        if (is_haprep_drop_in(boot, file) &&
            (conflicting_files.empty() || basename(file) > *conflicting_files.rbegin())) {
            path = file;
            break;
        }
    }
    const auto existing = boot.contents.find(path);
    const std::string* before = existing == boot.contents.end() ? nullptr : &existing->second;
    auto lines = before ? drop_in_lines(*before) : std::map<std::string, std::string>{};
    for (const auto& [key, value] : boot_plan.persist) lines[key] = value;
    const std::string after = render_drop_in(lines);
    if (before != nullptr && *before == after) return;
    changes.push_back(file_edit_change(interface_subjects(boot_plan.persist_for), path, before, after));
}

}  // namespace

std::vector<model::Change> plan_rp_filter(const model::Facts& facts,
                                          std::span<const model::Finding> findings,
                                          const policy::Policy& policy) {
    const std::string target = std::to_string(policy.rp_filter_target);
    const model::BootSysctl* boot = facts.boot_sysctl.ok() ? &*facts.boot_sysctl.value : nullptr;

    std::vector<model::Change> changes;
    BootPlan boot_plan;
    for (const auto& name : plannable_interfaces(findings))
        plan_interface(facts, boot, name, target, changes, boot_plan);
    if (boot == nullptr || boot_plan.persist.empty()) return changes;

    plan_sysctl_conf(*boot, boot_plan, changes);
    plan_drop_in(*boot, boot_plan, changes);
    return changes;
}

}  // namespace haprep::fixes
