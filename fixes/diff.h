#pragma once
// Unified diffs for the dry run: what `fix` prints is exactly what `--apply` writes.

#include <string>

#include "model/config_file.h"
#include "model/plan.h"

namespace haprep::fixes {

/// A unified diff (3 lines of context) from `before` to `after` for `path`.
/// `existed` false shows the file as new (--- /dev/null). Empty when equal.
std::string unified_diff(const std::string& path, const std::string& before,
                         const std::string& after, bool existed = true);

/// The tool's own syntax for a runtime value: "- key = old\n+ key = new\n".
std::string value_diff(const std::string& key, const std::string& before, const std::string& after);

/// The change that writes `after` to `path` once `validation` accepts it, its diff ready
/// for the dry run: "modify" over `before` (the content as read), or "create" when
/// `before` is null because the file does not exist.
model::Change file_edit_change(const std::vector<model::Subject>& subjects, const std::string& path,
                               const std::string* before, const std::string& after,
                               const model::FileValidation& validation = {});

/// The change that rewrites `file` (as read) to `after` once `validation` accepts it.
model::Change file_edit_change(const std::vector<model::Subject>& subjects, const model::ConfigFile& file,
                               const std::string& after, const model::FileValidation& validation = {});

}  // namespace haprep::fixes
