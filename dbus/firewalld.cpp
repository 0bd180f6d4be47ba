#include "dbus/firewalld.h"

#include <sdbus-c++/sdbus-c++.h>

#include <map>
#include <memory>
#include <set>

namespace haprep::dbus {

namespace {

const std::string kBusName = "org.fedoraproject.FirewallD1";
const std::string kPath = "/org/fedoraproject/FirewallD1";
const std::string kConfigPath = "/org/fedoraproject/FirewallD1/config";
const std::string kMain = "org.fedoraproject.FirewallD1";
const std::string kZone = "org.fedoraproject.FirewallD1.zone";
const std::string kConfig = "org.fedoraproject.FirewallD1.config";
const std::string kConfigZone = "org.fedoraproject.FirewallD1.config.zone";
const std::string kConfigService = "org.fedoraproject.FirewallD1.config.service";

using Settings = std::map<std::string, sdbus::Variant>;

/// A call that failed: which one, and what the bus or firewalld said.
struct CallFailed {
    std::string text;
};

/// One system-bus connection and the proxies made on it; every call synchronous,
/// with kCallTimeout, its sdbus::Error turned into CallFailed.
class Bus {
public:
    Bus() : connection_(sdbus::createSystemBusConnection()) {}

    template <class... Results, class... Args>
    void call(const std::string& destination, const std::string& path, const std::string& interface,
              const std::string& method, std::tuple<Args...> args, Results&... results) {
        try {
            auto& proxy = proxy_for(destination, path);
            auto invoker = proxy.callMethod(method);
            invoker.onInterface(interface).withTimeout(kCallTimeout);
            std::apply([&](auto&... a) { invoker.withArguments(a...); }, args);
            invoker.storeResultsTo(results...);
        } catch (const sdbus::Error& e) {
            throw CallFailed{method + describe_args(args) + ": " + e.getName() + ": " + e.getMessage()};
        }
    }

    template <class... Results, class... Args>
    void firewalld(const std::string& path, const std::string& interface, const std::string& method,
                   std::tuple<Args...> args, Results&... results) {
        call(kBusName, path, interface, method, std::move(args), results...);
    }

private:
    sdbus::IProxy& proxy_for(const std::string& destination, const std::string& path) {
        auto& slot = proxies_[destination + " " + path];
        if (!slot) slot = sdbus::createProxy(*connection_, destination, path);
        return *slot;
    }

    template <class... Args>
    static std::string describe_args(const std::tuple<Args...>& args) {
        std::string text;
        std::apply([&](const auto&... a) { ((text += (text.empty() ? "" : ", ") + describe(a)), ...); }, args);
        return "(" + text + ")";
    }
    static std::string describe(const std::string& s) { return s; }
    static std::string describe(std::int32_t i) { return std::to_string(i); }

    std::unique_ptr<sdbus::IConnection> connection_;
    std::map<std::string, std::unique_ptr<sdbus::IProxy>> proxies_;
};

std::string text_of(const Settings& settings, const char* key) {
    const auto it = settings.find(key);
    if (it == settings.end() || !it->second.containsValueOfType<std::string>()) return {};
    return it->second.get<std::string>();
}

std::vector<std::string> list_of(const Settings& settings, const char* key) {
    const auto it = settings.find(key);
    if (it == settings.end() || !it->second.containsValueOfType<std::vector<std::string>>()) return {};
    return it->second.get<std::vector<std::string>>();
}

model::FirewalldZone zone_of(const std::string& name, const Settings& settings) {
    model::FirewalldZone zone;
    zone.name = name;
    zone.target = text_of(settings, "target");
    zone.protocols = list_of(settings, "protocols");
    zone.rich_rules = list_of(settings, "rules_str");
    zone.services = list_of(settings, "services");
    zone.sources = list_of(settings, "sources");
    zone.interfaces = list_of(settings, "interfaces");
    return zone;
}

/// firewalld is D-Bus activatable on some distributions: asking the bus first
/// means a firewalld that an admin stopped is never started by a check.
bool on_bus(Bus& bus) {
    bool has_owner = false;
    bus.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
             std::tuple{kBusName}, has_owner);
    return has_owner;
}

void read_runtime(Bus& bus, const std::set<std::string>& zones, model::FirewalldLayer& layer) {
    std::set<std::string> services;
    for (const auto& name : zones) {
        Settings settings;
        bus.firewalld(kPath, kZone, "getZoneSettings2", std::tuple{name}, settings);
        layer.zones[name] = zone_of(name, settings);
        services.insert(layer.zones[name].services.begin(), layer.zones[name].services.end());
    }
    for (const auto& name : services) {
        Settings settings;
        bus.firewalld(kPath, kMain, "getServiceSettings2", std::tuple{name}, settings);
        layer.services[name] = {name, list_of(settings, "protocols")};
    }
}

void read_permanent(Bus& bus, const std::set<std::string>& zones, model::FirewalldLayer& layer) {
    std::set<std::string> services;
    for (const auto& name : zones) {
        sdbus::ObjectPath path;
        bus.firewalld(kConfigPath, kConfig, "getZoneByName", std::tuple{name}, path);
        Settings settings;
        bus.firewalld(path, kConfigZone, "getSettings2", std::tuple{}, settings);
        layer.zones[name] = zone_of(name, settings);
        services.insert(layer.zones[name].services.begin(), layer.zones[name].services.end());
    }
    for (const auto& name : services) {
        sdbus::ObjectPath path;
        bus.firewalld(kConfigPath, kConfig, "getServiceByName", std::tuple{name}, path);
        Settings settings;
        bus.firewalld(path, kConfigService, "getSettings2", std::tuple{}, settings);
        layer.services[name] = {name, list_of(settings, "protocols")};
    }
}

model::Fact<model::Firewalld> absent(std::string why) { return model::Fact<model::Firewalld>::absent(std::move(why)); }

/// firewalld's exception message starts with its error code: "ALREADY_ENABLED: ...".
bool says(const std::string& error, const std::string& code) {
    return error.find("FirewallD1.Exception: " + code) != std::string::npos;
}

std::unique_ptr<Bus> connect(std::string& error) {
    try {
        return std::make_unique<Bus>();
    } catch (const sdbus::Error& e) {
        error = "cannot connect to the system bus: " + e.getName() + ": " + e.getMessage();
        return nullptr;
    }
}

}  // namespace

model::Fact<model::Firewalld> read_firewalld(const std::vector<std::string>& interfaces) {
    std::string error;
    auto bus = connect(error);
    if (!bus) return absent("no system bus, so firewalld is not running (" + error + ")");
    model::Firewalld f;
    try {
        if (!on_bus(*bus)) return absent("firewalld is not running (" + kBusName + " is not on the system bus)");
        sdbus::Variant state;
        bus->call(kBusName, kPath, "org.freedesktop.DBus.Properties", "Get", std::tuple{kMain, std::string("state")},
                  state);
        f.state = state.containsValueOfType<std::string>() ? state.get<std::string>() : "?";
        if (f.state != "RUNNING") return model::Fact<model::Firewalld>::known(std::move(f));

        bus->firewalld(kPath, kMain, "getDefaultZone", std::tuple{}, f.default_zone);
        std::set<std::string> zones = {f.default_zone};
        for (const auto& name : interfaces) {
            std::string zone;
            bus->firewalld(kPath, kZone, "getZoneOfInterface", std::tuple{name}, zone);
            f.interface_zones[name] = zone;
            if (!zone.empty()) zones.insert(zone);
        }
        std::map<std::string, std::map<std::string, std::vector<std::string>>> active;
        bus->firewalld(kPath, kZone, "getActiveZones", std::tuple{}, active);
        for (const auto& [zone, bindings] : active) {
            const auto sources = bindings.find("sources");
            if (sources == bindings.end()) continue;
            for (const auto& source : sources->second) f.source_zones[source] = zone;
            zones.insert(zone);
        }
        read_runtime(*bus, zones, f.runtime);
        read_permanent(*bus, zones, f.permanent);
    } catch (const CallFailed& e) {
        return model::Fact<model::Firewalld>::unreadable("firewalld: " + e.text);
    }
    return model::Fact<model::Firewalld>::known(std::move(f));
}

namespace {

/// addProtocol / removeProtocol or addRichRule / removeRichRule (`method`) with
/// `value` on `zone`, at runtime or permanently; the runtime add takes a timeout
/// (0 = for good), as firewall-cmd's does. firewalld's error code `no_op`
/// (ALREADY_ENABLED, NOT_ENABLED) means there was nothing to do. Returns the error
/// text; `changed` says whether firewalld changed something.
std::string change_zone(const std::string& method, const char* no_op, const std::string& zone, bool permanent,
                        const std::string& value, bool& changed) {
    changed = false;
    std::string error;
    auto bus = connect(error);
    if (!bus) return error;
    try {
        if (permanent) {
            sdbus::ObjectPath path;
            bus->firewalld(kConfigPath, kConfig, "getZoneByName", std::tuple{zone}, path);
            bus->firewalld(path, kConfigZone, method, std::tuple{value});
        } else {
            std::string changed_zone;
            if (method.rfind("add", 0) == 0)
                bus->firewalld(kPath, kZone, method, std::tuple{zone, value, std::int32_t{0}}, changed_zone);
            else
                bus->firewalld(kPath, kZone, method, std::tuple{zone, value}, changed_zone);
        }
    } catch (const CallFailed& e) {
        return says(e.text, no_op) ? std::string() : e.text;
    }
    changed = true;
    return {};
}

}  // namespace

std::string add_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol,
                                   bool& added) {
    return change_zone("addProtocol", "ALREADY_ENABLED", zone, permanent, protocol, added);
}

std::string remove_firewalld_protocol(const std::string& zone, bool permanent, const std::string& protocol) {
    bool removed = false;
    return change_zone("removeProtocol", "NOT_ENABLED", zone, permanent, protocol, removed);
}

std::string add_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule, bool& added) {
    return change_zone("addRichRule", "ALREADY_ENABLED", zone, permanent, rule, added);
}

std::string remove_firewalld_rich_rule(const std::string& zone, bool permanent, const std::string& rule) {
    bool removed = false;
    return change_zone("removeRichRule", "NOT_ENABLED", zone, permanent, rule, removed);
}

}  // namespace haprep::dbus
