#include "model/report.h"

#include <algorithm>

#include "model/plan.h"

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
    switch (kind) {
        case ChangeKind::sysctl_runtime: return "sysctl_runtime";
        case ChangeKind::file_write: return "file_write";
        case ChangeKind::link_multicast: return "link_multicast";
        case ChangeKind::nft_insert_rule: return "nft_insert_rule";
        case ChangeKind::firewalld_add_protocol: return "firewalld_add_protocol";
        case ChangeKind::firewalld_add_rich_rule: return "firewalld_add_rich_rule";
        case ChangeKind::ufw_rule: return "ufw_rule";
    }
    return "?";
}

}  // namespace haprep::model
