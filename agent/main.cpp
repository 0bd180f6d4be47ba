// haprep: will VRRP adverts from the peers reach keepalived here, and is only one
// node going to hold the VIP? main only wires the subcommands; each lives in its own
// file under agent/.

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "agent/commands.h"
#include "agent/names.h"
#include "agent/pipeline.h"

using namespace haprep::agent;

namespace {

/// The options every subcommand takes (they may come before or after it).
void add_global_options(CLI::App& app, GlobalOptions& global) {
    const std::map<std::string, Format> formats = {{"text", Format::text}, {"json", Format::json}};
    app.add_option("--format", global.format, "Output format: text (default) or json")
        ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
    app.add_option("--root", global.root,
                   "Prefix for every configuration file read or written (/etc, /usr/lib, /run, "
                   "/var/lib); /proc, /sys and netlink are always live");
    app.add_option("--interface", global.interfaces,
                   "A VRRP interface to judge (repeatable). Default: every non-loopback "
                   "interface that is UP");
    app.add_option("--family", global.family,
                   "VRRP address family: ipv4, ipv6 or both. Default: the families each "
                   "VRRP interface has addresses of")
        ->check(CLI::IsMember({"ipv4", "ipv6", "both", "auto"}));
    app.add_option("--mode", global.mode,
                   "VRRP mode: multicast or unicast (unicast_peer). Default: each vrrp_instance's "
                   "own (unicast when it has unicast_peer), else multicast")
        ->check(CLI::IsMember({"multicast", "unicast"}));
    app.add_option("--peer", global.peers,
                   "Address of a peer node (repeatable): its reverse path is checked and, "
                   "in unicast mode, it is the unicast_peer");
    app.add_option("--keepalived-conf", global.keepalived_conf,
                   "keepalived's configuration (a host path, under --root). Default: "
                   "/etc/keepalived/keepalived.conf");
    app.add_option("--config-id", global.config_id,
                   "What keepalived.conf's @ID lines match, as keepalived -i. Default: the host name "
                   "up to its first dot");
    app.add_option("--peer-conf", global.peer_confs,
                   "A peer node's keepalived.conf (repeatable), compared instance by instance");
    app.add_option("--peer-facts", global.peer_facts,
                   "A peer node's `haprep snapshot` (repeatable), compared instance by instance");
    app.add_option("--only", global.only, "Run only this check id (repeatable)");
    app.add_option("--skip", global.skip, "Do not run this check id (repeatable)");
    app.add_option("--facts", global.facts_file, "Evaluate a saved `haprep snapshot` file");
    app.add_flag("--no-color", global.no_color, "No colour (NO_COLOR is honoured too)");
    app.add_flag("-v,--verbose", global.verbose, "Show evidence for passing checks too");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"haprep: host preflight and remediation for keepalived (VRRP) clusters"};
    app.require_subcommand(1);
    // Global options may follow the subcommand: `haprep check --format json`.
    app.fallthrough();

    GlobalOptions global;
    add_global_options(app, global);

    FixOptions fix_options;
    SnapshotOptions snapshot_options;
    auto* check = setup_check(app);
    auto* fix = setup_fix(app, fix_options);
    auto* list = setup_list(app);
    auto* snapshot = setup_snapshot(app, snapshot_options);
    auto* version = setup_version(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "haprep: " << escape_control(e.what()) << " (haprep --help lists the options)\n";
        return kExitUnknown;
    }

    try {
        if (!version->parsed() && !list->parsed()) validate(global);
        if (check->parsed()) return run_check(global);
        if (fix->parsed()) return run_fix(global, fix_options);
        if (list->parsed()) return run_list(global);
        if (snapshot->parsed()) return run_snapshot(global, snapshot_options);
        if (version->parsed()) return run_version(global);
    } catch (const UsageError& e) {
        // One line, whatever a name in it holds.
        std::cerr << "haprep: " << escape_control(e.what()) << "\n";
        return kExitUnknown;
    } catch (const std::exception& e) {
        // A probe or writer that threw: still one clear line and the Nagios unknown code.
        std::cerr << "haprep: internal error: " << escape_control(e.what()) << "\n";
        return kExitUnknown;
    }
    return kExitUnknown;
}
