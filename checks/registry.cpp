#include <algorithm>
#include <utility>
#include <vector>

#include "checks/check.h"

namespace haprep::checks {

// One declaration per evaluate function, defined in the check family's own file.
std::vector<model::Finding> evaluate_rp_filter(const model::Facts&);
std::vector<model::Finding> evaluate_rp_filter_boot(const model::Facts&);
std::vector<model::Finding> evaluate_link_present(const model::Facts&);
std::vector<model::Finding> evaluate_link_up(const model::Facts&);
std::vector<model::Finding> evaluate_link_multicast(const model::Facts&);
std::vector<model::Finding> evaluate_ipv6_link_local(const model::Facts&);
std::vector<model::Finding> evaluate_ipv4_source(const model::Facts&);
std::vector<model::Finding> evaluate_nft_vrrp(const model::Facts&);
std::vector<model::Finding> evaluate_nft_vrrp_out(const model::Facts&);
std::vector<model::Finding> evaluate_nft_legacy(const model::Facts&);
std::vector<model::Finding> evaluate_nft_conntrack(const model::Facts&);
std::vector<model::Finding> evaluate_firewalld_vrrp(const model::Facts&);
std::vector<model::Finding> evaluate_firewalld_permanent(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_parse(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_interface(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_vrid(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_priority(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_advert_int(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_auth(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_unicast(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_nopreempt(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_ipv6_first_vip(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_sync_group_single(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_track_script(const model::Facts&);
std::vector<model::Finding> evaluate_keepalived_peers(const model::Facts&);
std::vector<model::Finding> evaluate_env_multicast(const model::Facts&);

namespace {

using model::Severity;
using Kind = model::SubjectKind;

constexpr CheckSpec kChecks[] = {
    {"link.present", "VRRP interface exists", Severity::fail, evaluate_link_present, "", Kind::interface},
    {"link.up", "VRRP interface is UP and has carrier", Severity::fail, evaluate_link_up, "", Kind::interface},
    {"link.multicast", "VRRP interface has MULTICAST (multicast mode needs it)", Severity::fail,
     evaluate_link_multicast, "link.multicast", Kind::interface},
    {"addr.ipv6_link_local", "IPv6 VRRP interface has a usable fe80::/10 address", Severity::fail,
     evaluate_ipv6_link_local, "", Kind::interface},
    {"addr.ipv4_source", "IPv4 VRRP interface has an address to advertise from", Severity::fail,
     evaluate_ipv4_source, "", Kind::interface},
    {"sysctl.rp_filter", "reverse-path filter would drop peer adverts", Severity::fail,
     evaluate_rp_filter, "sysctl.rp_filter", Kind::interface},
    {"sysctl.rp_filter_boot", "runtime rp_filter differs from what the sysctl.d files apply at boot",
     Severity::warn, evaluate_rp_filter_boot, "sysctl.rp_filter", Kind::interface},
    {"nft.vrrp", "nftables lets VRRP adverts in (every base chain that sees them)", Severity::fail,
     evaluate_nft_vrrp, "nft.vrrp", Kind::interface_family},
    {"nft.vrrp_out", "nftables lets this node's own adverts out (output, postrouting, egress)", Severity::fail,
     evaluate_nft_vrrp_out, "nft.vrrp", Kind::interface_family},
    {"nft.legacy", "legacy iptables tables are read, so nft.vrrp judges their rules", Severity::warn,
     evaluate_nft_legacy, "", Kind::host},
    {"nft.conntrack", "the conntrack table has room for VRRP adverts", Severity::warn, evaluate_nft_conntrack, "",
     Kind::interface_family},
    {"firewalld.vrrp", "the firewalld zone of each VRRP interface lets VRRP in (runtime)", Severity::fail,
     evaluate_firewalld_vrrp, "firewalld.vrrp", Kind::interface_family},
    {"firewalld.permanent", "the permanent firewalld configuration agrees (survives reload and reboot)",
     Severity::warn, evaluate_firewalld_permanent, "firewalld.vrrp", Kind::interface_family},
    {"keepalived.parse", "the configuration parses (file:line on error)", Severity::fail,
     evaluate_keepalived_parse, "", Kind::config_file},
    {"keepalived.interface", "each vrrp_instance's interface exists on this host", Severity::fail,
     evaluate_keepalived_interface, "", Kind::vrrp_instance},
    {"keepalived.vrid", "VRID set, in 1..255, unique per interface and family", Severity::fail,
     evaluate_keepalived_vrid, "", Kind::vrrp_instance},
    {"keepalived.priority", "priority in 1..255, address-owner rules, a gap to the peers", Severity::fail,
     evaluate_keepalived_priority, "", Kind::vrrp_instance},
    {"keepalived.advert_int", "advert_int valid for the VRRP version and equal to the peers'", Severity::fail,
     evaluate_keepalived_advert_int, "", Kind::vrrp_instance},
    {"keepalived.auth", "authentication keepalived honours, the same as the peers'", Severity::fail,
     evaluate_keepalived_auth, "", Kind::vrrp_instance},
    {"keepalived.unicast", "unicast_src_ip and unicast_peer make sense", Severity::fail,
     evaluate_keepalived_unicast, "", Kind::vrrp_instance},
    {"keepalived.nopreempt", "nopreempt is not combined with state MASTER or priority 255", Severity::warn,
     evaluate_keepalived_nopreempt, "", Kind::vrrp_instance},
    {"keepalived.ipv6_first_vip", "the first IPv6 VIP is link-local (RFC 5798)", Severity::fail,
     evaluate_keepalived_ipv6_first_vip, "keepalived.conf", Kind::vrrp_instance},
    {"keepalived.sync_group_single", "no vrrp_sync_group with a single instance", Severity::warn,
     evaluate_keepalived_sync_group_single, "keepalived.conf", Kind::sync_group},
    {"keepalived.track_script", "every tracked script is defined, every script is tracked", Severity::warn,
     evaluate_keepalived_track_script, "", Kind::vrrp_instance},
    {"keepalived.peers", "the peers' instances carry the same VIPs and VRRP version and list each other as unicast peers", Severity::warn,
     evaluate_keepalived_peers, "", Kind::vrrp_instance},
    {"env.multicast", "multicast mode is not used on a platform that drops multicast", Severity::fail,
     evaluate_env_multicast, "keepalived.conf", Kind::vrrp_instance},
};

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

std::span<const CheckSpec> all_checks() { return kChecks; }

const CheckSpec* find_check(std::string_view id) {
    for (const auto& spec : kChecks)
        if (spec.id == id) return &spec;
    return nullptr;
}

std::string closest_check_id(std::string_view id) {
    const CheckSpec* best = nullptr;
    size_t best_distance = 0;
    for (const auto& spec : kChecks) {
        const size_t d = edit_distance(id, spec.id);
        if (best == nullptr || d < best_distance) best = &spec, best_distance = d;
    }
    return best ? std::string(best->id) : std::string();
}

std::vector<model::Finding> evaluate_checks(const model::Facts& facts, const std::vector<std::string>& only,
                                            const std::vector<std::string>& skip) {
    // Each check's findings first, then one move into a vector of the exact size:
    // thousands of interfaces make tens of thousands of findings, and growing one
    // vector as they come would move them again and again and leave it half empty.
    std::vector<std::pair<const CheckSpec*, std::vector<model::Finding>>> produced;
    size_t total = 0;
    for (const auto& spec : kChecks) {
        if (!only.empty() && !contains(only, spec.id)) continue;
        if (contains(skip, spec.id)) continue;
        produced.emplace_back(&spec, spec.evaluate(facts));
        total += produced.back().second.size();
    }
    std::vector<model::Finding> findings;
    findings.reserve(total);
    for (auto& [spec, check_findings] : produced) {
        for (auto& f : check_findings) {
            f.check = spec->id;
            f.severity = spec->severity;
            f.check_fix = spec->fix;
            const bool needs_fix = f.status == model::Status::fail || f.status == model::Status::warn;
            // A finding may name another check's fix (nft.vrrp dropped by firewalld's table).
            if (!needs_fix) f.fix.clear();
            else if (f.fix.empty()) f.fix = spec->fix;
            findings.push_back(std::move(f));
        }
        check_findings = {};  // freed as it goes: the peak is one copy, not two
    }
    return findings;
}

model::Finding finding(model::Subject subject, model::Status status, std::string message) {
    model::Finding f;
    f.subject = std::move(subject);
    f.status = status;
    f.message = std::move(message);
    return f;
}

model::Finding not_known(model::Subject subject, model::FactState state, const std::string& why,
                         const NotKnownWords& words) {
    const bool absent = state == model::FactState::absent;
    return finding(std::move(subject), absent ? model::Status::skip : model::Status::unknown,
                   (absent ? words.absent : words.unreadable) + why + words.after);
}

std::vector<model::Finding> no_vrrp_interface(const model::Facts& facts) {
    if (!facts.interfaces.ok() && facts.vrrp.names.empty())
        return {not_known(model::host_subject(), facts.interfaces, {.unreadable = "cannot list interfaces: "})};
    return {finding(model::host_subject(), model::Status::skip,
                    "no VRRP interface to judge (" + facts.vrrp.source + ": none)")};
}

}  // namespace haprep::checks
