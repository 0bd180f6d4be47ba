// Fix link.multicast: set IFF_MULTICAST on the VRRP interface now (RTM_NEWLINK with the
// change mask, so no other flag moves), and make it last where the interface is
// configured: a systemd-networkd drop-in `[Link] Multicast=true` for the .network file
// that matches it, or a `post-up` line in its /etc/network/interfaces stanza. When
// neither manages the interface the plan says the change is runtime only.
//
// The flag alone does not bring VRRP back: keepalived decides at startup that an
// interface without MULTICAST cannot run a multicast instance ("interface IF does not
// support multicast, specify unicast peers - disabling") and does not look again. Seen
// with keepalived 2.2.7 (Debian 12) in a network namespace: instance disabled at start;
// `ip link set IF multicast on` -> still disabled, no adverts, no VIP; SIGHUP (reload)
// -> it logs the same "does not support multicast ... disabling" again and stays
// disabled (20 s later: no adverts, no VIP); restart -> "Entering BACKUP STATE",
// adverts sent, MASTER after the timeout. So the runtime change says `restart =
// "keepalived"` when keepalived.conf runs a multicast instance on the interface (the
// instances with a name come from keepalived.conf); an interface judged only because of
// --interface/--mode has no keepalived instance known to need it.

#include <fnmatch.h>

#include <sstream>

#include "fixes/diff.h"
#include "fixes/fix.h"
#include "model/text.h"

namespace haprep::fixes {

namespace {

constexpr const char* kDropInName = "90-haprep-multicast.conf";
constexpr const char* kDropIn =
    "# Written by haprep (fix link.multicast): keepalived's multicast VRRP needs the\n"
    "# MULTICAST flag on this link.\n"
    "[Link]\n"
    "Multicast=true\n";

using model::trim;

/// Does the [Match] section of a .network file select `interface`? Only Name= is
/// evaluated (space-separated globs, a leading '!' inverts the list); a file without
/// any Match= key matches every link, as networkd does.
bool networkd_matches(const std::string& content, const std::string& interface) {
    std::string section, names;
    bool any_match_key = false;
    for (const auto& raw : model::split_lines(content)) {
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line.front() == '[') {
            section = line;
            continue;
        }
        if (section != "[Match]") continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos) continue;
        any_match_key = true;
        const std::string key = trim(line.substr(0, equals));
        const std::string value = trim(line.substr(equals + 1));
        if (key == "Name") names = value.empty() ? std::string() : names + " " + value;
    }
    if (!any_match_key) return true;
    names = trim(names);
    if (names.empty()) return false;  // matched by other keys haprep does not evaluate
    const bool invert = names[0] == '!';
    if (invert) names = trim(names.substr(1));
    std::istringstream globs(names);
    std::string glob;
    bool matched = false;
    while (globs >> glob) matched = matched || ::fnmatch(glob.c_str(), interface.c_str(), 0) == 0;
    return matched != invert;
}

using model::basename;

/// Whether the persistent change `c` (a file write) would change its file.
bool changes_file(const model::Change& c) {
    const auto& write = std::get<model::FileWrite>(c.effect);
    return write.old_content != write.new_content && !write.new_content.empty();
}

/// The networkd drop-in change, or nothing when no .network file matches.
std::optional<model::Change> networkd_change(const model::NetworkConfig& config, const std::string& interface) {
    for (const auto& file : config.networkd) {
        if (file.path.size() < 8 || file.path.compare(file.path.size() - 8, 8, ".network") != 0) continue;
        if (!networkd_matches(file.content, interface)) continue;
        const std::string path = "/etc/systemd/network/" + basename(file.path) + ".d/" + kDropInName;
        const auto* existing = model::find_file(config.networkd, path);
        model::Change c = file_edit_change({model::interface_subject(interface)}, path,
                                           existing ? &existing->content : nullptr, kDropIn);
        c.note = "systemd-networkd configures " + interface + " from " + file.path;
        return c;
    }
    return std::nullopt;
}

/// The ifupdown edit, or nothing when no stanza names the interface.
std::optional<model::Change> ifupdown_change(const model::NetworkConfig& config, const std::string& interface) {
    const std::string command = "ip link set dev " + interface + " multicast on";
    for (const auto& file : config.ifupdown) {
        std::vector<std::string> lines = model::split_lines(file.content);
        for (size_t i = 0; i < lines.size(); ++i) {
            std::istringstream words(lines[i]);
            std::string keyword, name;
            if (!(words >> keyword >> name) || keyword != "iface" || name != interface) continue;
            // The stanza runs until the next top-level keyword line.
            size_t end = i + 1;
            std::string indent = "    ";
            bool present = false;
            for (; end < lines.size(); ++end) {
                const auto& l = lines[end];
                if (!l.empty() && l[0] != ' ' && l[0] != '\t' && l[0] != '#') break;
                if (end == i + 1 && !trim(l).empty()) indent = l.substr(0, l.find_first_not_of(" \t"));
                present = present || (trim(l).rfind("post-up", 0) == 0 && l.find("multicast on") != std::string::npos);
            }
            std::string after = file.content;  // unchanged when the command is already there
            if (!present) {
                lines.insert(lines.begin() + static_cast<long>(i) + 1, indent + "post-up " + command);
                after.clear();
                for (const auto& l : lines) after += l + "\n";
            }
            model::Change c = file_edit_change({model::interface_subject(interface)}, file, after);
            c.note = "ifupdown configures " + interface + " in " + file.path;
            return c;
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<model::Change> plan_link_multicast(const model::Facts& facts,
                                               std::span<const model::Finding> findings,
                                               const policy::Policy&) {
    const model::FactsView view(facts);
    std::vector<model::Change> changes;
    for (const auto& f : findings) {
        const std::string& interface = f.subject.interface;
        const auto* iface = view.interface(interface);
        if (iface == nullptr || iface->multicast) continue;
        model::Change runtime;
        runtime.subjects = {f.subject};
        runtime.effect = model::LinkMulticast{.interface = interface, .was_on = false, .on = true};
        runtime.target = interface;
        runtime.action = "set";
        runtime.diff = "- " + interface + ": MULTICAST off\n+ " + interface + ": MULTICAST on\n";

        std::optional<model::Change> persist;
        if (!facts.network_config.ok()) {
            runtime.note = "runtime only: cannot read the network configuration (" +
                           facts.network_config.error + ")";
        } else if ((persist = networkd_change(*facts.network_config.value, interface)) ||
                   (persist = ifupdown_change(*facts.network_config.value, interface))) {
            runtime.note = persist->note + "; the change there keeps MULTICAST at boot";
        } else {
            runtime.note = "runtime only: no systemd-networkd .network file matches " + interface +
                           " and no /etc/network/interfaces stanza names it, so the flag is lost "
                           "when the interface is recreated; set it where " + interface + " is created";
        }
        for (const auto& in : view.instances(interface))
            if (!in.name.empty() && in.mode == model::VrrpMode::multicast) {
                runtime.restart = "keepalived";
                runtime.note += "; keepalived disabled vrrp_instance " + in.name +
                                " when it started without MULTICAST and keeps it disabled until it is restarted "
                                "(a reload is not enough)";
                break;
            }
        changes.push_back(std::move(runtime));
        if (persist && changes_file(*persist)) {
            persist->note.clear();
            changes.push_back(std::move(*persist));
        }
    }
    return changes;
}

}  // namespace haprep::fixes
