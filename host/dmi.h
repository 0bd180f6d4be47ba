#pragma once
// The platform as DMI names it (/sys/class/dmi/id), for cloud detection. Always live:
// tests judge platforms through `--facts` snapshots.

#include "model/fact.h"
#include "model/platform.h"

namespace haprep::host {

/// `dmi_dir` is /sys/class/dmi/id; absent when it does not exist (containers, many
/// ARM boards), unreadable when an attribute it has cannot be read. A missing single
/// attribute reads as empty.
model::Fact<model::Platform> read_platform(const std::string& dmi_dir = "/sys/class/dmi/id");

}  // namespace haprep::host
