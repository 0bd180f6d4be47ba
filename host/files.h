#pragma once
// Files under --root: reading without escaping the root through absolute symlinks,
// and atomic replacement (temporary file in the same directory, fsync, rename).

#include <optional>
#include <string>
#include <vector>

#include "host/root.h"
#include "model/fact.h"

namespace haprep::host {

/// Follows symlinks of the last path component the way the host would, but keeps
/// absolute targets under the root. Returns the host path the file really is.
std::string resolve_under_root(const Root& root, const std::string& host_path);

/// Content of the file, or why it could not be read. A missing file is an error
/// "no such file"; callers that accept absence check `file_exists` first.
model::Fact<std::string> read_file(const Root& root, const std::string& host_path);
bool file_exists(const Root& root, const std::string& host_path);

/// The files named `*suffix` in `directories` (host paths, highest precedence first),
/// in name order; a name in an earlier directory masks the same name in later ones,
/// as systemd does for sysctl.d and systemd-networkd. Missing directories are fine.
model::Fact<std::vector<std::string>> list_config_directories(
    const Root& root, const std::vector<std::string>& directories, const std::string& suffix);

/// The host paths matching a glob(3) pattern (a host path) under the root, sorted;
/// none when nothing matches. Directories are left out.
std::vector<std::string> glob_files(const Root& root, const std::string& host_pattern);

/// Replaces (or creates) the file atomically. Refuses when the file or a directory
/// between the root and it is a symlink: a writer running as root must not be
/// redirected elsewhere. Keeps the mode of an existing file. Returns the error text,
/// empty on success.
std::string write_file_atomic(const Root& root, const std::string& host_path,
                              const std::string& content, unsigned mode_if_new = 0644);

/// Removes a file haprep created (undo of a create). Same symlink rules.
std::string remove_file(const Root& root, const std::string& host_path);

}  // namespace haprep::host
