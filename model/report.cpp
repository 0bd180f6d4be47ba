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

}  // namespace haprep::model
