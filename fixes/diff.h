#pragma once
// Unified diffs for the dry run: what `fix` prints is exactly what `--apply` writes.

#include <string>

namespace haprep::fixes {

/// A unified diff (3 lines of context) from `before` to `after` for `path`.
/// `existed` false shows the file as new (--- /dev/null). Empty when equal.
std::string unified_diff(const std::string& path, const std::string& before,
                         const std::string& after, bool existed = true);

/// The tool's own syntax for a runtime value: "- key = old\n+ key = new\n".
std::string value_diff(const std::string& key, const std::string& before, const std::string& after);

}  // namespace haprep::fixes
