#pragma once
// The machine haprep runs on, as firmware names it: plain data for Facts (the
// environment checks tell a cloud or a hypervisor that drops multicast by it).

#include <string>

namespace haprep::model {

/// The DMI strings that name the platform (/sys/class/dmi/id), read live.
struct Platform {
    std::string sys_vendor, product_name, bios_vendor, chassis_asset_tag;
    bool operator==(const Platform&) const = default;
};

}  // namespace haprep::model
