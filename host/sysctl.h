#pragma once
// Runtime sysctl values through /proc/sys. These are per network namespace and are
// always read live, never under --root.

#include <string>

#include "model/fact.h"

namespace haprep::host {

/// "net.ipv4.conf.eth0/100.rp_filter" -> "net/ipv4/conf/eth0.100/rp_filter", the way
/// systemd-sysctl normalises keys: when the first separator is '.', dots and slashes
/// swap; when it is '/', the key is already a path.
std::string sysctl_key_to_path(const std::string& key);
/// The inverse: a /proc/sys relative path to the dotted key sysctl(8) prints.
std::string sysctl_path_to_key(const std::string& path);

/// What an absent key's reason ends with, after its /proc/sys path.
inline constexpr const char* kNoSuchKey = ": no such key (interface missing?)";

/// Absent when /proc/sys has no such file (no such interface, a module not loaded),
/// unreadable when it cannot be read or holds no integer.
model::Fact<int> read_sysctl_int(const std::string& key);

/// Returns the error text, empty on success.
std::string write_sysctl(const std::string& key, const std::string& value);

}  // namespace haprep::host
