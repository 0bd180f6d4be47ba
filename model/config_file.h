#pragma once
// A configuration file as read from the host, so planners that edit it stay pure.

#include <string>

namespace haprep::model {

struct ConfigFile {
    std::string path;  ///< host path, without --root
    std::string content;
    bool operator==(const ConfigFile&) const = default;
};

}  // namespace haprep::model
