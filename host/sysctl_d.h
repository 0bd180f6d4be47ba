#pragma once
// The boot-time sysctl configuration, resolved the way the host applies it:
// systemd-sysctl reads the sysctl.d directories (a file name in an earlier directory
// masks the same name in a later one; files in lexical order of their names; a later
// assignment to a key replaces an earlier one; an explicit key beats any glob), then
// procps applies /etc/sysctl.conf last.
//
// Reading (list_boot_files) is separate from resolving (resolve_boot), which is pure
// and unit-tested on fixture content.

#include <string>
#include <vector>

#include "host/root.h"
#include "model/fact.h"
#include "model/facts.h"

namespace haprep::host {

/// The directories systemd-sysctl reads, highest priority first.
inline const std::vector<std::string> kSysctlDirectories = {
    "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
    "/lib/sysctl.d"};
inline constexpr const char* kSysctlConf = "/etc/sysctl.conf";

struct SysctlFile {
    std::string path;       ///< host path as found
    std::string real_path;  ///< host path after following symlinks under the root
    std::string content;
};

/// One parsed line of a sysctl file.
struct SysctlLine {
    std::string key_path;  ///< normalised to a /proc/sys relative path
    std::string value;
    bool has_value = false;  ///< "-key" alone excludes key from globs and sets nothing
    bool is_glob = false;
    int line = 0;
};

/// Parses one file's content; comments (#, ;), blank and malformed lines are skipped.
std::vector<SysctlLine> parse_sysctl_file(const std::string& content);

/// Lists the files in application order and reads them. An unreadable file or
/// directory makes the whole result unreadable: a partial view could hide the winner.
model::Fact<std::vector<SysctlFile>> list_boot_files(const Root& root);

/// For each dotted key in `keys`, every assignment that applies to it and the winner.
model::BootSysctl resolve_boot(const std::vector<SysctlFile>& files,
                               const std::vector<std::string>& keys);

}  // namespace haprep::host
