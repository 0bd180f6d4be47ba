#pragma once
// What a finding judges and what a change repairs, as fields: an interface, the
// adverts of one VRRP instance on its interface and family, a vrrp_instance, a sync
// group, a script, a configuration file, or nothing in particular ("-"). The report's
// display string ("eth0 (ipv4)") is made from the fields in one place, text(); the
// fields also tell apart findings that share a display string (a unicast and a
// multicast instance on one interface and family), so check + subject is a unique key.
// Every subject is built by one of the functions below, one per kind.

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "model/family.h"

namespace haprep::model {

enum class VrrpMode;  // model/facts.h
struct VrrpInstance;  // model/facts.h

/// Which field the display string shows.
enum class SubjectKind {
    host,              ///< "-": the host as a whole, or nothing to judge
    interface,         ///< "eth0"
    interface_family,  ///< "eth0 (ipv4)", outbound "eth0 (ipv4, out)"
    vrrp_instance,     ///< "VI_1"
    sync_group,        ///< "G1"
    script,            ///< "chk_haproxy"
    config_file,       ///< "/etc/keepalived/keepalived.conf"
};

struct Subject {
    SubjectKind kind = SubjectKind::host;
    std::string interface;
    std::optional<Family> family;
    bool outbound = false;  ///< this node's own adverts going out (nft.vrrp_out)
    std::string instance;   ///< the vrrp_instance name
    /// Only for an instance without a name (from --family/--mode): the names of the
    /// others tell them apart, its mode tells it apart.
    std::optional<VrrpMode> mode;
    std::string sync_group;
    std::string script;
    std::string file;

    /// The display string, exactly as reports have always shown the subject.
    std::string text() const;
    /// The same subject in every family: a change made to a vrrp_instance's
    /// configuration repairs the findings about it in each family it runs.
    Subject any_family() const;

    bool operator==(const Subject&) const = default;
    std::strong_ordering operator<=>(const Subject&) const = default;
};

Subject host_subject();
Subject interface_subject(const std::string& interface);
/// The adverts of one instance on its interface and family (nft.*, firewalld.*).
Subject adverts_subject(const VrrpInstance& instance, bool outbound = false);
/// A configured vrrp_instance (keepalived.*).
Subject vrrp_instance_subject(const std::string& name);
/// One VRRP instance wherever it comes from (env.multicast): by its name, or by its
/// interface when it has none; with its family, which it runs once per.
Subject instance_subject(const VrrpInstance& instance);
Subject sync_group_subject(const std::string& name);
/// A sync group seen through one script it tracks (keepalived.track_script).
Subject sync_group_script_subject(const std::string& group, const std::string& script);
Subject script_subject(const std::string& name);
Subject config_file_subject(const std::string& path);

/// What a change's subjects show: each display string once, sorted, comma-joined
/// ("eth0 (ipv4),eth1 (ipv4)").
std::string subjects_text(const std::vector<Subject>& subjects);

}  // namespace haprep::model
