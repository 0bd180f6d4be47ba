#pragma once
// keepalived.conf → model::KeepalivedConf: reads the files (reader), finds the blocks
// (tree) and keeps what the checks judge, each item with its file:line. Keywords
// keepalived knows but haprep does not judge are kept silently; keywords keepalived
// would not know either are reported in `unknown` (keepalived ignores them too).
// Inside global_defs and the blocks haprep does not model (virtual_server, ...),
// nothing is reported: their keyword lists are long and change between releases.

#include <string>

#include "keepalived/reader.h"
#include "model/keepalived.h"

namespace haprep::keepalived {

model::KeepalivedConf parse_config(const std::string& main_path, const Loader& loader,
                                   const std::string& config_id);

/// A Loader over files held in memory (tests, the fuzzer, a peer's snapshot):
/// path → content; glob patterns match with fnmatch(3).
Loader memory_loader(const std::vector<model::ConfigFile>& files);

}  // namespace haprep::keepalived
