#include "model/report.h"

#include <algorithm>

#include "model/facts.h"

namespace haprep::model {

bool Report::changed() const {
    return std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.applied; });
}

Summary Report::summary() const {
    Summary s;
    for (const auto& f : findings) {
        switch (f.status) {
            case Status::pass: ++s.pass; break;
            case Status::warn: ++s.warn; break;
            case Status::fail: ++s.fail; break;
            case Status::unknown: ++s.unknown; break;
            case Status::skip: ++s.skip; break;
            case Status::waived: ++s.waived; break;
        }
    }
    return s;
}

const char* to_string(ChangeKind kind) {
    return kind == ChangeKind::sysctl_runtime ? "sysctl_runtime" : "file_write";
}

std::string ipv4_conf_key(const std::string& interface, const std::string& setting) {
    std::string name = interface;
    std::replace(name.begin(), name.end(), '.', '/');
    return "net.ipv4.conf." + name + "." + setting;
}

}  // namespace haprep::model
