#pragma once
// A configuration file as read from the host, so planners that edit it stay pure.

#include <string>
#include <vector>

namespace haprep::model {

struct ConfigFile {
    std::string path;  ///< host path, without --root
    std::string content;
    bool operator==(const ConfigFile&) const = default;
};

/// The file read from `path` among `files`, or null when it was not read.
inline const ConfigFile* find_file(const std::vector<ConfigFile>& files, const std::string& path) {
    for (const auto& f : files)
        if (f.path == path) return &f;
    return nullptr;
}

}  // namespace haprep::model
