#pragma once
// The whole configuration as one text: every `include` line replaced by the files it
// names, as the reader read them. `keepalived -t` checks an edit on this text, so the
// edited file is judged together with everything around it (whichever file the edit
// is in) and no include resolves outside --root.

#include <string>
#include <vector>

#include "model/config_file.h"

namespace haprep::keepalived {

/// `files` are the configuration's files (main first), with any edit already made.
/// An include matching none of them (it matched nothing when read) is dropped.
/// `config_id` decides `@ID include ...` lines, as it did for the reader.
std::string flatten(const std::string& main_path, const std::vector<model::ConfigFile>& files,
                    const std::string& config_id);

}  // namespace haprep::keepalived
