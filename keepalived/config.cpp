#include "keepalived/config.h"

#include <fnmatch.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <set>
#include <string_view>

#include "keepalived/tree.h"
#include "model/ip.h"

namespace haprep::keepalived {

namespace {

using model::KeepalivedBlock;
using model::KeepalivedItem;

// Blocks and keywords keepalived knows, that haprep keeps but does not judge.
const std::set<std::string_view> kOtherTopLevel = {
    "virtual_server", "virtual_server_group", "static_ipaddress", "static_routes", "static_rules",
    "vrrp_track_file", "track_file", "vrrp_track_process", "track_process", "bfd_instance", "garp_group",
    "linkbeat_use_polling", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance",
    "use_pid_dir", "child_wait_time", "local_address_group", "vrrp_track_interface"};

const std::set<std::string_view> kOtherInstance = {
    "vmac_xmit_base", "native_ipv6", "dont_track_primary", "track_file", "track_process", "track_bfd",
    "mcast_src_ip", "garp_master_delay", "garp_master_repeat", "garp_master_refresh",
    "garp_master_refresh_repeat", "garp_lower_prio_delay", "garp_lower_prio_repeat", "garp_interval",
    "gna_interval", "lower_prio_no_advert", "higher_prio_send_advert", "virtual_routes", "virtual_rules",
    "accept", "no_accept", "preempt", "skip_check_adv_addr", "strict_mode", "notify_master", "notify_backup",
    "notify_fault", "notify_stop", "notify_deleted", "notify", "notify_master_rx_lower_pri", "smtp_alert",
    "debug", "linkbeat_use_polling", "unicast_ttl", "unicast_fault_no_peer", "old_unicast_checksum",
    "check_unicast_src", "kernel_rx_buf_size", "vrrp_garp_interval", "vrrp_gna_interval", "mcast_dst_ip",
    "unicast_src_port", "sync_group", "track_src_ip", "no_accept_mode", "promote_secondaries",
    "send_on_blocked_interface", "v3_checksum_as_v2", "down_timer_adverts", "ipvlan_interface"};

const std::set<std::string_view> kOtherScript = {"interval", "timeout", "weight", "rise", "fall", "user",
                                                 "init_fail"};

const std::set<std::string_view> kOtherSyncGroup = {
    "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify", "smtp_alert", "global_tracking",
    "sync_group_tracking_weight", "track_script", "track_interface", "track_file", "track_process",
    "track_bfd"};

class Builder {
public:
    explicit Builder(model::KeepalivedConf& conf) : conf_(conf) {}

    void top(const Node& n) {
        if (n.keyword == "global_defs") global(n);
        else if (n.keyword == "vrrp_script") script(n);
        else if (n.keyword == "vrrp_instance") instance(n);
        else if (n.keyword == "vrrp_sync_group") sync_group(n);
        else if (!kOtherTopLevel.count(n.keyword)) unknown(n, "");
    }

private:
    model::KeepalivedConf& conf_;

    void unknown(const Node& n, const std::string& where) {
        add_message(conf_.unknown, "unknown keyword '" + n.keyword + "'" + where + " (keepalived ignores it)", n.at.location());
    }

    /// The first argument, or "" with a message when the keyword has none.
    std::string value(const Node& n) {
        if (!n.args.empty()) return n.args[0];
        add_message(conf_.unknown, "'" + n.keyword + "' without a value (keepalived ignores it)", n.at.location());
        return {};
    }

    static KeepalivedBlock block_of(const Node& n) {
        KeepalivedBlock b;
        b.at = n.at.location();
        b.close = n.close.location();
        b.own_lines = n.keyword_line_alone && n.close_alone && n.close.line > 0 && n.same_reading;
        b.indent = !n.children.empty() ? n.children.front().indent : n.indent + "    ";
        return b;
    }

    static KeepalivedItem item_of(const Node& n) { return {n.text(), n.at.location(), n.whole_line}; }

    /// A value block's entries: `{ a b }` on one line or one per line, each a statement.
    std::vector<KeepalivedItem> items(const Node& n) {
        std::vector<KeepalivedItem> out;
        for (const auto& child : n.children) {
            out.push_back(item_of(child));
            if (child.has_block)
                add_message(conf_.unknown, "unexpected block in '" + n.keyword + "' (keepalived ignores it)", child.at.location());
        }
        return out;
    }

    void global(const Node& n) {
        auto& g = conf_.global;
        for (const auto& c : n.children) {
            g.keywords[c.keyword] = c.at.location();
            if (c.keyword == "router_id") g.router_id = value(c);
            else if (c.keyword == "vrrp_version") g.vrrp_version = value(c);
            else if (c.keyword == "vrrp_strict") g.vrrp_strict = true;
            else if (c.keyword == "enable_dbus") g.enable_dbus = true;
            else if (c.keyword == "vrrp_mcast_group4") g.vrrp_mcast_group4 = value(c);
            else if (c.keyword == "vrrp_mcast_group6") g.vrrp_mcast_group6 = value(c);
        }
    }

    /// A named block (vrrp_script, vrrp_instance, vrrp_sync_group): its name and where
    /// it is; keepalived cannot refer to one without a name.
    template <class Named>
    Named named(const Node& n) {
        Named item;
        item.name = n.args.empty() ? "" : n.args[0];
        item.block = block_of(n);
        if (item.name.empty()) add_message(conf_.errors, n.keyword + " without a name", n.at.location());
        return item;
    }

    void script(const Node& n) {
        auto s = named<model::KeepalivedScript>(n);
        for (const auto& c : n.children) {
            if (c.keyword == "script") s.script = c.text().substr(c.keyword.size() + (c.args.empty() ? 0 : 1));
            else if (!kOtherScript.count(c.keyword)) unknown(c, " in vrrp_script");
        }
        conf_.scripts.push_back(std::move(s));
    }

    static model::KeepalivedVip vip_of(const Node& n) {
        model::KeepalivedVip v;
        v.item = item_of(n);
        const auto slash = n.keyword.find('/');
        v.address = n.keyword.substr(0, slash);
        if (slash != std::string::npos) {
            const std::string prefix = n.keyword.substr(slash + 1);
            const bool digits = !prefix.empty() && prefix.size() <= 3 &&
                                std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
            v.prefix = digits ? std::stoi(prefix) : -2;  // -2: written but not a number
        }
        if (const auto family = model::address_family(v.address))
            v.valid = true, v.family = *family;
        for (size_t i = 0; i + 1 < n.args.size(); ++i) {
            if (n.args[i] == "dev") v.dev = n.args[++i];
            else if (n.args[i] == "label") v.label = n.args[++i];
        }
        return v;
    }

    void instance(const Node& n) {
        auto in = named<model::KeepalivedInstance>(n);
        for (const auto& c : n.children) {
            in.keywords[c.keyword] = c.at.location();
            const auto& k = c.keyword;
            if (k == "state") in.state = value(c);
            else if (k == "interface") in.interface = value(c);
            else if (k == "virtual_router_id") in.virtual_router_id = value(c);
            else if (k == "priority") in.priority = value(c);
            else if (k == "advert_int") in.advert_int = value(c);
            else if (k == "version") in.version = value(c);
            else if (k == "preempt_delay") in.preempt_delay = value(c);
            else if (k == "nopreempt") in.nopreempt = true;
            else if (k == "use_vmac") in.use_vmac = true;
            else if (k == "unicast_src_ip") in.unicast_src_ip = value(c);
            else if (k == "authentication") {
                for (const auto& a : c.children) {
                    in.keywords[a.keyword] = a.at.location();
                    if (a.keyword == "auth_type") in.auth_type = value(a);
                    else if (a.keyword == "auth_pass") in.auth_pass = value(a);
                    else unknown(a, " in authentication");
                }
            } else if (k == "unicast_peer") {
                in.unicast_peers = items(c);
                in.unicast_peer_block = block_of(c);
            } else if (k == "virtual_ipaddress") {
                in.vip_block = block_of(c);
                for (const auto& v : c.children) in.vips.push_back(vip_of(v));
            } else if (k == "virtual_ipaddress_excluded") {
                for (const auto& v : c.children) in.excluded_vips.push_back(vip_of(v));
            } else if (k == "track_script") {
                in.track_scripts = items(c);
            } else if (k == "track_interface") {
                in.track_interfaces = items(c);
            } else if (!kOtherInstance.count(k)) {
                unknown(c, " in vrrp_instance " + in.name);
            }
        }
        conf_.instances.push_back(std::move(in));
    }

    void sync_group(const Node& n) {
        auto g = named<model::KeepalivedSyncGroup>(n);
        for (const auto& c : n.children) {
            if (c.keyword == "group") {
                // `group { VI_1 VI_2 }`: one statement per line, each word a member.
                for (const auto& m : c.children) {
                    g.members.push_back({m.keyword, m.at.location(), m.whole_line && m.args.empty()});
                    for (const auto& a : m.args) g.members.push_back({a, m.at.location(), false});
                }
            } else if (c.keyword == "track_script") {
                g.track_scripts = items(c);
            } else if (!kOtherSyncGroup.count(c.keyword)) {
                unknown(c, " in vrrp_sync_group " + g.name);
            }
        }
        conf_.sync_groups.push_back(std::move(g));
    }
};

}  // namespace

model::KeepalivedConf parse_config(const std::string& main_path, const Loader& loader,
                                   const std::string& config_id) {
    model::KeepalivedConf conf;
    conf.path = main_path;
    conf.config_id = config_id;
    auto read = read_config(main_path, loader, config_id);
    conf.files = std::move(read.files);
    conf.includes = std::move(read.includes);
    conf.unsupported = std::move(read.unsupported);
    const bool truncated = !read.exceeded.empty();
    auto tree = build_tree(read.lines, truncated);
    // A block too deep (skipped) and a budget exceeded (reading stopped) first: that
    // the configuration was not read completely is what keepalived.parse reports
    // before anything else. The block comes first: it is earlier in the files (the
    // 500,000 levels that go too deep also exceed the word budget further on).
    conf.errors = std::move(tree.too_deep);
    for (auto* list : {&read.exceeded, &read.errors, &tree.errors})
        conf.errors.insert(conf.errors.end(), std::make_move_iterator(list->begin()), std::make_move_iterator(list->end()));
    Builder builder(conf);
    for (const auto& n : tree.top) builder.top(n);
    return conf;
}

Loader memory_loader(const std::vector<model::ConfigFile>& files) {
    // A copy: callers pass temporaries, and the loader outlives the call.
    auto owned = std::make_shared<const std::vector<model::ConfigFile>>(files);
    Loader loader;
    loader.read = [owned](const std::string& path) {
        if (const auto* file = model::find_file(*owned, path)) return model::Fact<std::string>::known(file->content);
        return model::Fact<std::string>::unreadable("no such file");
    };
    loader.glob = [owned](const std::string& pattern) {
        std::vector<std::string> matches;
        for (const auto& f : *owned)
            if (::fnmatch(pattern.c_str(), f.path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) matches.push_back(f.path);
        std::sort(matches.begin(), matches.end());
        return matches;
    };
    return loader;
}

}  // namespace haprep::keepalived
