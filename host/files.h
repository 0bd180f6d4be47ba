#pragma once
// Files under --root: reading without escaping the root through absolute symlinks,
// and atomic replacement (temporary file in the same directory, fsync, rename).
//
// Every file haprep reads (configuration under --root, --peer-conf, --peer-facts,
// --facts) goes through read_regular_file: nothing a file is can hang haprep (a FIFO
// never blocks the open), exhaust it (a size budget, refused rather than truncated) or
// pass for an empty file (a directory or a device is refused with the reason).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "host/root.h"
#include "model/fact.h"

namespace haprep::host {

/// The most haprep reads of one file. Real configurations are kilobytes (a
/// 28,000-line keepalived.conf is about 1 MiB, a snapshot of a large host a few
/// hundred KiB); a larger file is refused ("is larger than 16 MiB: not read"), never
/// read in part.
inline constexpr std::size_t kMaxFileBytes = std::size_t{16} << 20;

/// The content of the regular file at `path_on_disk`, taken as it is (no --root).
/// Anything else is refused before it is opened, with the reason: "SHOWN is a
/// directory, not a regular file" (also a FIFO, a character or block device, a
/// socket), "SHOWN is larger than 16 MiB: not read", "SHOWN: cannot open: <errno>",
/// "SHOWN: cannot read: <errno>" (a read error part way is an error, never a shorter
/// file). The open is O_NONBLOCK (a FIFO swapped in after the check cannot block it),
/// and what was opened is checked again with fstat. `follow_symlink` false: a symlink
/// as the last component is refused (O_NOFOLLOW). An empty `shown_as` gives the bare
/// reason ("is a FIFO, not a regular file", "cannot open: Permission denied").
model::Fact<std::string> read_regular_file(const std::string& path_on_disk, const std::string& shown_as,
                                           bool follow_symlink = true, std::size_t max_bytes = kMaxFileBytes);

/// Follows symlinks of the last path component the way the host would, but keeps
/// absolute targets under the root. Returns the host path the file really is.
std::string resolve_under_root(const Root& root, const std::string& host_path);

/// Content of the file, or why it could not be read (read_regular_file on the path
/// resolve_under_root gives: a symlink it could not resolve inside the root, a loop,
/// is refused rather than followed out of the root). The error names the file as
/// `shown_as`, by default its host path (and the symlink's target when there is one).
/// A missing file is an error "cannot open: No such file or directory"; callers that
/// accept absence check `file_exists` first.
model::Fact<std::string> read_file(const Root& root, const std::string& host_path,
                                   const std::optional<std::string>& shown_as = std::nullopt);
bool file_exists(const Root& root, const std::string& host_path);

/// The files named `*suffix` in `directories` (host paths, highest precedence first),
/// in name order; a name in an earlier directory masks the same name in later ones,
/// as systemd does for sysctl.d and systemd-networkd. Missing directories are fine.
model::Fact<std::vector<std::string>> list_config_directories(
    const Root& root, const std::vector<std::string>& directories, const std::string& suffix);

/// Whether glob_under_root lists the directories a pattern matches.
enum class GlobDirectories { keep, skip };

/// The host paths matching a glob(3) pattern (a host path) under the root, sorted;
/// none when nothing matches.
std::vector<std::string> glob_under_root(const Root& root, const std::string& host_pattern,
                                         GlobDirectories directories);

/// Replaces (or creates) the file atomically. Refuses when the file or a directory
/// between the root and it is a symlink: a writer running as root must not be
/// redirected elsewhere. Keeps the mode of an existing file. Returns the error text,
/// empty on success.
std::string write_file_atomic(const Root& root, const std::string& host_path,
                              const std::string& content, unsigned mode_if_new = 0644);

/// Removes a file haprep created (undo of a create). Same symlink rules.
std::string remove_file(const Root& root, const std::string& host_path);

}  // namespace haprep::host
