// sysctl.rp_filter and sysctl.rp_filter_boot.
//
// The kernel applies max(conf.all.rp_filter, conf.IF.rp_filter) to packets arriving
// on IF. Strict mode (1) drops a packet whose source would not be routed back out of
// the interface it came in on; VRRP adverts from a peer reached by another path are
// then dropped silently and the backup promotes itself: two masters.

#include <fmt/format.h>
#include <charconv>
#include <optional>

#include "checks/check.h"

namespace haprep::checks {

namespace {

using model::Status;

std::string show(const model::Fact<int>& fact) {
    return fact.ok() ? std::to_string(*fact.value) : "unreadable (" + fact.error + ")";
}

const model::Fact<int>& runtime(const model::Facts& facts, const std::string& key) {
    static const model::Fact<int> missing = model::Fact<int>::unreadable("not probed");
    auto it = facts.sysctl.find(key);
    return it == facts.sysctl.end() ? missing : it->second;
}

std::optional<int> as_int(const std::string& text) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string where(const model::SysctlAssignment& a) {
    std::string text = a.file + ":" + std::to_string(a.line);
    if (!a.pattern.empty()) text += " (glob " + a.pattern + ")";
    return text;
}

/// Strict mode drops an advert only when the route back to its sender does not leave
/// through the interface it arrived on. With the peers known, their routes decide;
/// without, strict mode is a warning: harmless with symmetric routes, fatal with
/// asymmetric routing or use_vmac (adverts then arrive on the macvlan).
void judge_strict(const model::Facts& facts, const std::string& name, model::Finding& f) {
    std::vector<std::string> dropped, unknown, symmetric;
    for (const auto& path : facts.reverse_paths) {
        if (path.interface != name) continue;
        if (!path.route.ok()) {
            f.evidence.emplace_back("route back to " + path.peer, "unreadable (" + path.route.error + ")");
            unknown.push_back(path.peer);
            continue;
        }
        const auto& route = *path.route.value;
        f.evidence.emplace_back("route back to " + path.peer, route.text);
        if (route.reachable && route.interface == name) {
            symmetric.push_back(path.peer);
        } else {
            dropped.push_back(path.peer + (route.reachable ? " (the route back leaves via " + route.interface +
                                                                 ": " + route.text + ")"
                                                           : " (" + route.text + ")"));
        }
    }
    if (!dropped.empty()) {
        f.status = Status::fail;
        f.message = fmt::format("strict reverse-path filter on {} drops VRRP adverts from {}", name,
                                fmt::join(dropped, "; "));
    } else if (!unknown.empty()) {
        f.status = Status::unknown;
        f.message = fmt::format("strict reverse-path filter on {}: cannot tell the route back to {}", name,
                                fmt::join(unknown, ", "));
    } else if (!symmetric.empty()) {
        f.status = Status::warn;
        f.message = fmt::format("strict reverse-path filter on {}: adverts from {} pass because their routes "
                                "back leave via {}; asymmetric routing or use_vmac would drop them",
                                name, fmt::join(symmetric, ", "), name);
    } else {
        f.status = Status::warn;
        f.message = "strict reverse-path filter on " + name +
                    ": harmless while every peer's route back leaves via " + name +
                    ", drops adverts with asymmetric routing or use_vmac (name the peers with "
                    "--peer to check their routes)";
    }
}

}  // namespace

std::vector<model::Finding> evaluate_rp_filter(const model::Facts& facts) {
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);
    const std::string all_key = model::ipv4_conf_key("all", "rp_filter");
    const std::string default_key = model::ipv4_conf_key("default", "rp_filter");
    const model::FactsView view(facts);
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names) {
        if (!view.runs_family(name, model::Family::ipv4)) {
            findings.push_back(finding(model::interface_subject(name), Status::skip,
                                       "rp_filter applies to IPv4 only; no IPv4 VRRP on " + name));
            continue;
        }
        if (facts.interfaces.ok() && view.interface(name) == nullptr) {
            findings.push_back(finding(model::interface_subject(name), Status::skip,
                                       "no interface " + name + " (see link.present)"));
            continue;
        }
        const std::string if_key = model::ipv4_conf_key(name, "rp_filter");
        const auto& all = runtime(facts, all_key);
        const auto& own = runtime(facts, if_key);
        model::Finding f = finding(model::interface_subject(name), Status::unknown, "");
        f.expected = "0 (off) or 2 (loose)";
        f.evidence = {{all_key, show(all)},
                      {default_key, show(runtime(facts, default_key))},
                      {if_key, show(own)}};
        if (!all.ok() || !own.ok()) {
            f.message = "cannot read rp_filter for " + name + ": " + (all.ok() ? own.error : all.error);
            f.observed = "unreadable";
            findings.push_back(std::move(f));
            continue;
        }
        const int effective = std::max(*all.value, *own.value);
        f.observed = std::to_string(effective);
        f.evidence.emplace_back("effective = max(all, " + name + ")", std::to_string(effective));
        if (effective == 1) {
            judge_strict(facts, name, f);
        } else {
            f.status = Status::pass;
            f.message = "rp_filter " + std::to_string(effective) + " on " + name +
                        " does not drop adverts";
        }
        findings.push_back(std::move(f));
    }
    return findings;
}

std::vector<model::Finding> evaluate_rp_filter_boot(const model::Facts& facts) {
    if (facts.vrrp.names.empty()) return no_vrrp_interface(facts);
    std::vector<model::Finding> findings;
    for (const auto& name : facts.vrrp.names) {
        model::Finding f = finding(model::interface_subject(name), Status::pass, "");
        if (!facts.boot_sysctl.ok()) {
            f.status = Status::unknown;
            f.message = "cannot read the boot sysctl configuration: " + facts.boot_sysctl.error;
            findings.push_back(std::move(f));
            continue;
        }
        const auto& boot = *facts.boot_sysctl.value;
        std::vector<std::string> drift, runtime_values, boot_values;
        for (const auto& key : {model::ipv4_conf_key("all", "rp_filter"),
                                model::ipv4_conf_key(name, "rp_filter")}) {
            const auto& now = runtime(facts, key);
            auto it = boot.keys.find(key);
            const bool has_winner = it != boot.keys.end() && it->second.winner;
            f.evidence.emplace_back(key + " (runtime)", show(now));
            f.evidence.emplace_back(key + " (boot)",
                                    has_winner ? it->second.winner->value + " from " +
                                                     where(*it->second.winner)
                                               : "not set by any file");
            if (!has_winner || !now.ok()) continue;
            const auto& winner = *it->second.winner;
            const auto boot_value = as_int(winner.value);
            if (boot_value && *boot_value == *now.value) continue;
            drift.push_back(key + " is " + std::to_string(*now.value) + " now but " + where(winner) + " sets " +
                            winner.value + " at boot");
            runtime_values.push_back(key + "=" + std::to_string(*now.value));
            boot_values.push_back(key + "=" + winner.value);
            if (!f.source) f.source = model::SourceLocation{winner.file, winner.line};
        }
        if (!drift.empty()) {
            f.status = Status::warn;
            f.message = fmt::format("{}", fmt::join(drift, "; "));
            f.expected = fmt::format("boot: {}", fmt::join(runtime_values, ", "));
            f.observed = fmt::format("boot: {}", fmt::join(boot_values, ", "));
        } else {
            f.message = "the boot configuration keeps rp_filter on " + name + " as it is now";
        }
        findings.push_back(std::move(f));
    }
    return findings;
}

}  // namespace haprep::checks
