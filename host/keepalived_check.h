#pragma once
// `keepalived -t`: would keepalived accept an edited configuration? Run before the
// edit is renamed into place, so a fix never leaves keepalived unable to start.

#include <string>

#include "host/root.h"

namespace haprep::host {

enum class KeepalivedVerdict {
    accepted,
    rejected,
    inconclusive,   ///< exit 143 (Debian's 2.2.7 with scripts), or it rejects the unedited file alike
    not_installed,  ///< no keepalived binary: nothing to ask
};

struct KeepalivedCheck {
    KeepalivedVerdict verdict = KeepalivedVerdict::not_installed;
    std::string detail;  ///< keepalived's messages, or why the verdict is what it is
};

/// Runs `keepalived -t -f TMP [-i CONFIG_ID]` on `edited` and, when that fails, on
/// `baseline` (the same configuration without the edit): a configuration that
/// keepalived rejects before the edit too (an interface of the target host missing on
/// an image builder) cannot tell whether the edit is good, so that is inconclusive
/// unless the edit adds a message of its own. Both are whole configurations with the
/// includes inlined, written beside `main_host_path` under `root` and removed after.
KeepalivedCheck check_keepalived_edit(const Root& root, const std::string& main_host_path, const std::string& edited,
                                      const std::string& baseline, const std::string& config_id);

}  // namespace haprep::host
