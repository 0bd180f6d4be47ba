#include "host/dmi.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

namespace haprep::host {

namespace {

/// One DMI string: empty when the board does not have the attribute; nullopt, with
/// `error` set, when the attribute is there but cannot be read.
std::optional<std::string> attribute(const std::string& dir, const char* name, std::string& error) {
    const std::string path = dir + "/" + name;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::string();
    std::ifstream in(path);
    std::string value;
    if (!in.is_open() || (!std::getline(in, value) && in.bad())) {
        error = path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return value;
}

}  // namespace

model::Fact<model::Platform> read_platform(const std::string& dmi_dir) {
    using Result = model::Fact<model::Platform>;
    std::error_code ec;
    if (!std::filesystem::is_directory(dmi_dir, ec))
        return Result::absent(dmi_dir + " does not exist (no DMI: a container or a board without it)");
    model::Platform p;
    std::string error;
    for (auto [field, name] : {std::pair{&p.sys_vendor, "sys_vendor"}, std::pair{&p.product_name, "product_name"},
                               std::pair{&p.bios_vendor, "bios_vendor"},
                               std::pair{&p.chassis_asset_tag, "chassis_asset_tag"}}) {
        auto value = attribute(dmi_dir, name, error);
        if (!value) return Result::unreadable(error);
        *field = std::move(*value);
    }
    return Result::known(std::move(p));
}

}  // namespace haprep::host
