#pragma once
// The whole configuration as one text: every `include` line replaced by the files it
// read (as the reader recorded them). `keepalived -t` checks an edit on this text, so
// the edited file is judged together with everything around it (whichever file the
// edit is in) and no include resolves outside --root.

#include <string>
#include <vector>

#include "model/keepalived.h"

namespace haprep::keepalived {

/// `files` are the configuration's files (main first), with any edit already made;
/// an edit never adds or removes an include line, so `includes` (file:line of each
/// include and the files it read) still applies. The include line itself is kept as
/// a comment, so the line count stays readable in keepalived's messages.
std::string flatten(const std::string& main_path, const std::vector<model::ConfigFile>& files,
                    const std::vector<model::KeepalivedInclude>& includes);

}  // namespace haprep::keepalived
