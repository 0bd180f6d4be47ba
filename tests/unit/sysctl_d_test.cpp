// The boot-time sysctl resolution on fixture trees: masking, ordering, globs,
// exclusions, /etc/sysctl.conf last, and the file:line of the winner.

#include <doctest/doctest.h>

#include <filesystem>

#include "fixtures.h"
#include "host/sysctl.h"
#include "host/sysctl_d.h"

using namespace haprep;
namespace fs = std::filesystem;

namespace {

using testing::TempRoot;

/// The boot values of `keys` from the files under the root.
model::BootSysctl resolve(const TempRoot& root, const std::vector<std::string>& keys) {
    auto files = host::list_boot_files(root.root());
    REQUIRE(files.ok());
    return host::resolve_boot(*files.value, keys);
}

const std::string kEth0 = "net.ipv4.conf.eth0.rp_filter";
const std::string kAll = "net.ipv4.conf.all.rp_filter";

}  // namespace

TEST_CASE("keys normalise like systemd-sysctl: dots and slashes swap unless the key is a path") {
    CHECK(host::sysctl_key_to_path("net.ipv4.conf.eth0.rp_filter") == "net/ipv4/conf/eth0/rp_filter");
    CHECK(host::sysctl_key_to_path("net.ipv4.conf.eth0/100.rp_filter") ==
          "net/ipv4/conf/eth0.100/rp_filter");
    CHECK(host::sysctl_key_to_path("net/ipv4/conf/eth0.100/rp_filter") ==
          "net/ipv4/conf/eth0.100/rp_filter");
    CHECK(host::sysctl_path_to_key("net/ipv4/conf/eth0.100/rp_filter") ==
          "net.ipv4.conf.eth0/100.rp_filter");
}

TEST_CASE("parse: comments, blanks, the '-' prefix and exclusions") {
    auto lines = host::parse_sysctl_file(
        "# comment\n; also a comment\n\n  net.ipv4.conf.all.rp_filter=1  \n"
        "-net.ipv4.conf.eth0.rp_filter = 2\n-net.ipv4.conf.lo.rp_filter\nnot an assignment\n");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].key_path == "net/ipv4/conf/all/rp_filter");
    CHECK(lines[0].value == "1");
    CHECK(lines[0].line == 4);
    CHECK(lines[1].has_value);
    CHECK(lines[1].value == "2");
    CHECK_FALSE(lines[2].has_value);
}

TEST_CASE("later files in name order win; the winner carries file:line") {
    TempRoot root;
    root.write("/usr/lib/sysctl.d/10-a.conf", kEth0 + " = 1\n");
    root.write("/etc/sysctl.d/20-b.conf", "\n" + kEth0 + " = 2\n");
    auto boot = resolve(root, {kEth0});
    const auto& key = boot.keys.at(kEth0);
    REQUIRE(key.winner);
    CHECK(key.winner->value == "2");
    CHECK(key.winner->file == "/etc/sysctl.d/20-b.conf");
    CHECK(key.winner->line == 2);
    CHECK(key.assignments.size() == 2);
}

TEST_CASE("a file in an earlier directory masks the same name in a later one") {
    TempRoot root;
    root.write("/usr/lib/sysctl.d/50-x.conf", kEth0 + " = 1\n");
    root.write("/run/sysctl.d/50-x.conf", "# masked\n");
    auto boot = resolve(root, {kEth0});
    CHECK_FALSE(boot.keys.at(kEth0).winner);
    CHECK(boot.files == std::vector<std::string>{"/run/sysctl.d/50-x.conf"});
}

TEST_CASE("directory priority: /etc over /run over /usr/local/lib over /usr/lib over /lib") {
    TempRoot root;
    root.write("/lib/sysctl.d/10-x.conf", kEth0 + " = 0\n");
    root.write("/usr/lib/sysctl.d/10-x.conf", kEth0 + " = 1\n");
    root.write("/usr/local/lib/sysctl.d/10-x.conf", kEth0 + " = 2\n");
    CHECK(resolve(root, {kEth0}).keys.at(kEth0).winner->file ==
          "/usr/local/lib/sysctl.d/10-x.conf");
    root.write("/etc/sysctl.d/10-x.conf", kEth0 + " = 1\n");
    CHECK(resolve(root, {kEth0}).keys.at(kEth0).winner->file == "/etc/sysctl.d/10-x.conf");
}

TEST_CASE("an explicit key beats a glob even when the glob comes later") {
    TempRoot root;
    root.write("/etc/sysctl.d/10-explicit.conf", kEth0 + " = 1\n");
    root.write("/etc/sysctl.d/90-glob.conf", "net.ipv4.conf.*.rp_filter = 2\n");
    auto boot = resolve(root, {kEth0, kAll});
    CHECK(boot.keys.at(kEth0).winner->value == "1");
    REQUIRE(boot.keys.at(kAll).winner);
    CHECK(boot.keys.at(kAll).winner->value == "2");
    CHECK(boot.keys.at(kAll).winner->pattern == "net.ipv4.conf.*.rp_filter");
}

TEST_CASE("'-key' excludes the key from globs") {
    TempRoot root;
    root.write("/usr/lib/sysctl.d/50-default.conf",
               "net.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n");
    auto boot = resolve(root, {kEth0, kAll});
    CHECK(boot.keys.at(kEth0).winner->value == "2");
    CHECK_FALSE(boot.keys.at(kAll).winner);
}

TEST_CASE("glob '*' does not cross a '/': VLAN names are one path component") {
    TempRoot root;
    root.write("/etc/sysctl.d/10-glob.conf", "net.ipv4.conf.eth*.rp_filter = 1\n");
    const std::string vlan = "net.ipv4.conf.eth0/100.rp_filter";
    auto boot = resolve(root, {vlan});
    REQUIRE(boot.keys.at(vlan).winner);
    CHECK(boot.keys.at(vlan).winner->value == "1");
}

TEST_CASE("/etc/sysctl.conf is applied last, after every drop-in") {
    TempRoot root;
    root.write("/etc/sysctl.conf", kEth0 + " = 1\n");
    root.write("/etc/sysctl.d/99-zzz.conf", kEth0 + " = 2\n");
    auto boot = resolve(root, {kEth0});
    CHECK(boot.files.back() == "/etc/sysctl.conf");
    CHECK(boot.keys.at(kEth0).winner->file == "/etc/sysctl.conf");
}

TEST_CASE("Debian's 99-sysctl.conf link resolves to /etc/sysctl.conf under the root") {
    TempRoot root;
    root.write("/etc/sysctl.conf", kEth0 + " = 1\n");
    fs::create_directories(root.path / "etc/sysctl.d");
    fs::create_symlink("/etc/sysctl.conf", root.path / "etc/sysctl.d/99-sysctl.conf");
    auto boot = resolve(root, {kEth0});
    const auto& assignments = boot.keys.at(kEth0).assignments;
    REQUIRE(assignments.size() == 2);
    CHECK(assignments[0].file == "/etc/sysctl.d/99-sysctl.conf");
    CHECK(assignments[0].real_file == "/etc/sysctl.conf");
}

TEST_CASE("only *.conf files count") {
    TempRoot root;
    root.write("/etc/sysctl.d/README", kEth0 + " = 1\n");
    root.write("/etc/sysctl.d/10-x.conf.dpkg-old", kEth0 + " = 1\n");
    CHECK(resolve(root, {kEth0}).files.empty());
}
