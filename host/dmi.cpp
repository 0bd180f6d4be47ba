#include "host/dmi.h"

#include <filesystem>
#include <fstream>

namespace haprep::host {

namespace {
std::string attribute(const std::string& dir, const char* name) {
    std::ifstream in(dir + "/" + name);
    std::string value;
    std::getline(in, value);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return value;
}
}  // namespace

model::Fact<model::Platform> read_platform(const std::string& dmi_dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dmi_dir, ec))
        return model::Fact<model::Platform>::unreadable(dmi_dir + " does not exist (no DMI: a container or a board without it)");
    model::Platform p;
    p.sys_vendor = attribute(dmi_dir, "sys_vendor");
    p.product_name = attribute(dmi_dir, "product_name");
    p.bios_vendor = attribute(dmi_dir, "bios_vendor");
    p.chassis_asset_tag = attribute(dmi_dir, "chassis_asset_tag");
    return model::Fact<model::Platform>::known(std::move(p));
}

}  // namespace haprep::host
