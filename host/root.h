#pragma once
// --root: every configuration file haprep reads or writes lives under this prefix,
// so tests and image builds never touch the real /etc. Live kernel state (/proc,
// /sys, netlink) is never prefixed.

#include <filesystem>
#include <string>

namespace haprep::host {

class Root {
public:
    Root() : prefix_("/") {}
    explicit Root(std::filesystem::path prefix) : prefix_(std::move(prefix)) {}

    /// `host_path` (absolute, as on the host: "/etc/sysctl.conf") under the prefix.
    std::filesystem::path operator()(const std::string& host_path) const {
        if (prefix_ == "/") return host_path;
        return prefix_ / std::filesystem::path(host_path).relative_path();
    }
    const std::filesystem::path& prefix() const { return prefix_; }
    bool is_host_root() const { return prefix_ == "/"; }

private:
    std::filesystem::path prefix_;
};

}  // namespace haprep::host
