#pragma once
// The effects the applier may have, behind one small interface: the real one
// (HostWriter) acts on the host under --root; tests substitute a recording one to
// exercise rollback without a host. No writer knows about dry runs: a dry run never
// reaches a writer.

#include <string>

#include "host/nft_write.h"
#include "host/root.h"

namespace haprep::fixes {

class Writer {
public:
    virtual ~Writer() = default;
    /// Each returns the error text, empty on success.
    virtual std::string set_sysctl(const std::string& key, const std::string& value) = 0;
    virtual std::string write_file(const std::string& host_path, const std::string& content) = 0;
    virtual std::string remove_file(const std::string& host_path) = 0;
    virtual std::string set_multicast(const std::string& interface, bool on) = 0;
    /// One atomic batch; fills `handles` (one per insert) on success.
    virtual std::string insert_nft_rules(const std::vector<host::NftInsert>& inserts,
                                         std::vector<std::uint64_t>& handles) = 0;
    virtual std::string delete_nft_rules(const std::vector<model::NftRule>& rules) = 0;
    /// Would `nft -c -f` accept `content` as the file `host_path`? "" when it would.
    virtual std::string check_nft_file(const std::string& host_path, const std::string& content) = 0;
    /// Would `iptables-restore --test` (`ip6tables-restore --test` when `ipv6`) accept
    /// `content` as the file `host_path`? "" when it would.
    virtual std::string check_iptables_file(const std::string& host_path, const std::string& content, bool ipv6) = 0;
    /// Would `keepalived -t` accept the whole configuration `edited` (includes inlined)?
    /// "" when it does or cannot tell (`note` says which); else why not.
    virtual std::string check_keepalived_config(const std::string& main_host_path, const std::string& edited,
                                                const std::string& baseline, const std::string& config_id,
                                                std::string& note) = 0;
    /// Through firewalld (D-Bus). `added` is false when the zone already had it.
    virtual std::string add_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol,
                                               bool& added) = 0;
    virtual std::string remove_firewalld_protocol(const std::string& zone, bool permanent,
                                                  const std::string& protocol) = 0;
    /// A rich rule (firewalld's syntax), the same way. `added` is false when the zone
    /// already had it.
    virtual std::string add_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule,
                                                bool& added) = 0;
    virtual std::string remove_firewalld_rich_rule(const std::string& zone, bool permanent,
                                                   const std::string& rule) = 0;
    /// Through ufw (`ufw ARGS...`), which keeps the rule in /etc/ufw itself.
    virtual std::string run_ufw(const std::vector<std::string>& args) = 0;
};

class HostWriter final : public Writer {
public:
    explicit HostWriter(host::Root root) : root_(std::move(root)) {}
    std::string set_sysctl(const std::string& key, const std::string& value) override;
    std::string write_file(const std::string& host_path, const std::string& content) override;
    std::string remove_file(const std::string& host_path) override;
    std::string set_multicast(const std::string& interface, bool on) override;
    std::string insert_nft_rules(const std::vector<host::NftInsert>& inserts,
                                 std::vector<std::uint64_t>& handles) override;
    std::string delete_nft_rules(const std::vector<model::NftRule>& rules) override;
    std::string check_nft_file(const std::string& host_path, const std::string& content) override;
    std::string check_iptables_file(const std::string& host_path, const std::string& content, bool ipv6) override;
    std::string check_keepalived_config(const std::string& main_host_path, const std::string& edited,
                                        const std::string& baseline, const std::string& config_id,
                                        std::string& note) override;
    std::string add_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol,
                                       bool& added) override;
    std::string remove_firewalld_protocol(const std::string& zone, bool permanent,
                                          const std::string& protocol) override;
    std::string add_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule,
                                        bool& added) override;
    std::string remove_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule) override;
    /// Refused under a --root other than /: ufw's own files (/etc/ufw) cannot be
    /// redirected there, and haprep never writes outside the root it was given.
    std::string run_ufw(const std::vector<std::string>& args) override;

private:
    host::Root root_;
};

}  // namespace haprep::fixes
