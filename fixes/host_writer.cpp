#include "fixes/writer.h"
#include "dbus/firewalld.h"
#include "host/files.h"
#include "host/keepalived_check.h"
#include "host/nft_write.h"
#include "host/program.h"
#include "host/rtnl.h"
#include "host/sysctl.h"
#include "host/ufw.h"

namespace haprep::fixes {

std::string HostWriter::set_sysctl(const std::string& key, const std::string& value) {
    return host::write_sysctl(key, value);
}

std::string HostWriter::write_file(const std::string& host_path, const std::string& content) {
    return host::write_file_atomic(root_, host_path, content);
}

std::string HostWriter::remove_file(const std::string& host_path) {
    return host::remove_file(root_, host_path);
}

std::string HostWriter::set_multicast(const std::string& interface, bool on) {
    return host::set_multicast(interface, on);
}

std::string HostWriter::insert_nft_rules(const std::vector<host::NftInsert>& inserts,
                                         std::vector<std::uint64_t>& handles) {
    return host::insert_nft_rules(inserts, handles);
}

std::string HostWriter::delete_nft_rules(const std::vector<model::NftRule>& rules) {
    return host::delete_nft_rules(rules);
}

std::string HostWriter::check_nft_file(const std::string& host_path, const std::string& content) {
    return host::check_nft_file(root_, host_path, content);
}

std::string HostWriter::check_iptables_file(const std::string& host_path, const std::string& content, bool ipv6) {
    const std::string name = ipv6 ? "ip6tables-restore" : "iptables-restore";
    const std::string program = host::find_program({"/usr/sbin/" + name, "/sbin/" + name});
    if (program.empty()) return name + " is not installed: cannot check the edited file, so it is not written";
    // --test parses the rules and builds them without committing: nothing changes.
    const auto run = host::run_on_temporary_file(root_(host_path).string() + ".haprep-check-", content,
                                                 [&](const std::string& tmp) {
                                                     return std::vector<std::string>{program, "--test", tmp};
                                                 });
    if (!run.spawn_error.empty()) return run.spawn_error;
    if (run.exited && run.exit_code == 0) return {};
    return name + " --test rejects the edited " + host_path + ": " +
           (run.messages.empty() ? "exit status " + std::to_string(run.exit_code) : run.messages);
}

std::string HostWriter::check_keepalived_config(const std::string& main_host_path, const std::string& edited,
                                                const std::string& baseline, const std::string& config_id,
                                                std::string& note) {
    const auto check = host::check_keepalived_edit(root_, main_host_path, edited, baseline, config_id);
    if (check.verdict == host::KeepalivedVerdict::rejected) return check.detail;
    note = check.detail;
    return {};
}

std::string HostWriter::add_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol,
                                              bool& added) {
    return dbus::add_firewalld_protocol(zone, permanent, protocol, added);
}

std::string HostWriter::remove_firewalld_protocol(const std::string& zone, bool permanent,
                                                 const std::string& protocol) {
    return dbus::remove_firewalld_protocol(zone, permanent, protocol);
}

std::string HostWriter::add_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule,
                                               bool& added) {
    return dbus::add_firewalld_rich_rule(zone, permanent, rule, added);
}

std::string HostWriter::remove_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule) {
    return dbus::remove_firewalld_rich_rule(zone, permanent, rule);
}

std::string HostWriter::run_ufw(const std::vector<std::string>& args) {
    if (!root_.is_host_root())
        return "ufw keeps its rules in /etc/ufw, which --root " + root_.prefix().string() +
               " cannot redirect: run `ufw` on the host itself";
    return host::run_ufw(args);
}

}  // namespace haprep::fixes
