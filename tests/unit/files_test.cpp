// Reading files that are not what they should be: a directory, a FIFO, a device, an
// endless or oversized file, a symlink out of the root. Each is refused with its
// reason and never hangs, exhausts memory or reads as a (short) file; the readers of
// sysctl.d, nftables.conf, /etc/network/interfaces and iptables-persistent turn that
// into an unreadable fact.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "fixtures.h"
#include "host/files.h"
#include "host/iptables_persistent.h"
#include "host/network_config.h"
#include "host/nft.h"
#include "host/sysctl_d.h"

using namespace haprep;
namespace fs = std::filesystem;

using testing::TempRoot;

TEST_CASE("read_file: a regular file is read whole") {
    TempRoot t;
    t.write("/etc/a.conf", "one\ntwo\n");
    auto content = host::read_file(t.root(), "/etc/a.conf");
    REQUIRE(content.ok());
    CHECK(*content.value == "one\ntwo\n");
    t.write("/etc/empty.conf", "");
    content = host::read_file(t.root(), "/etc/empty.conf");
    REQUIRE(content.ok());
    CHECK(content.value->empty());
}

TEST_CASE("read_file: a directory is not an empty file") {
    TempRoot t;
    t.directory("/etc/keepalived/keepalived.conf");
    const auto content = host::read_file(t.root(), "/etc/keepalived/keepalived.conf");
    REQUIRE_FALSE(content.ok());
    CHECK(content.error == "/etc/keepalived/keepalived.conf is a directory, not a regular file");
}

TEST_CASE("read_file: a FIFO is refused at once, without a writer") {
    TempRoot t;
    t.fifo("/etc/sysctl.conf");
    const auto content = host::read_file(t.root(), "/etc/sysctl.conf");
    REQUIRE_FALSE(content.ok());
    CHECK(content.error == "/etc/sysctl.conf is a FIFO, not a regular file");
}

TEST_CASE("read_regular_file: a device is refused before it is opened") {
    const auto content = host::read_regular_file("/dev/zero", "--facts /dev/zero");
    REQUIRE_FALSE(content.ok());
    CHECK(content.error == "--facts /dev/zero is a character device, not a regular file");
    // Without a name: the bare reason, for a caller that names the file itself.
    CHECK(host::read_regular_file("/dev/null", "").error == "is a character device, not a regular file");
    CHECK(host::read_regular_file("/nonexistent/haprep", "x").error == "x: cannot open: No such file or directory");
}

TEST_CASE("read_regular_file: over the budget is refused, not truncated") {
    TempRoot t;
    t.write("/f", "0123456789");
    const std::string f = (t.path / "f").string();
    CHECK(host::read_regular_file(f, "f", true, 10).value == std::optional<std::string>("0123456789"));
    const auto small = host::read_regular_file(f, "f", true, 9);
    REQUIRE_FALSE(small.ok());
    CHECK(small.error == "f is larger than 9 bytes: not read");

    // The documented budget: exactly 16 MiB is read, one byte more is refused.
    CHECK(host::kMaxFileBytes == 16u * 1024 * 1024);
    t.sparse("/etc/nftables.conf", static_cast<off_t>(host::kMaxFileBytes));
    const auto at_budget = host::read_file(t.root(), "/etc/nftables.conf");
    REQUIRE(at_budget.ok());
    CHECK(at_budget.value->size() == host::kMaxFileBytes);
    t.sparse("/etc/nftables.conf", static_cast<off_t>(host::kMaxFileBytes) + 1);
    const auto over = host::read_file(t.root(), "/etc/nftables.conf");
    REQUIRE_FALSE(over.ok());
    CHECK(over.error == "/etc/nftables.conf is larger than 16 MiB: not read");
}

TEST_CASE("read_file: symlinks inside the root are followed, out of it never") {
    TempRoot t;
    t.write("/usr/lib/sysctl.d/real.conf", "x = 1\n");
    t.symlink("/etc/sysctl.d/link.conf", "/usr/lib/sysctl.d/real.conf");
    auto content = host::read_file(t.root(), "/etc/sysctl.d/link.conf");
    REQUIRE(content.ok());
    CHECK(*content.value == "x = 1\n");

    // ROOT/dev/zero -> /dev/zero points at itself under the root: the kernel would
    // follow it to the host's endless /dev/zero.
    t.symlink("/dev/zero", "/dev/zero");
    t.symlink("/etc/sysctl.d/99-zero.conf", "/dev/zero");
    content = host::read_file(t.root(), "/etc/sysctl.d/99-zero.conf");
    REQUIRE_FALSE(content.ok());
    CHECK(content.error ==
          "/etc/sysctl.d/99-zero.conf (a symlink to /dev/zero) is a symlink that does not resolve to a file "
          "(a loop, or out of --root): not followed");

    // A symlink to a FIFO under the root: refused like the FIFO, naming both.
    t.fifo("/run/fifo");
    t.symlink("/etc/sysctl.d/98-fifo.conf", "../../run/fifo");
    content = host::read_file(t.root(), "/etc/sysctl.d/98-fifo.conf");
    REQUIRE_FALSE(content.ok());
    CHECK(content.error == "/etc/sysctl.d/98-fifo.conf (a symlink to /run/fifo) is a FIFO, not a regular file");

    // follow_symlink false refuses any symlink.
    const auto literal = host::read_regular_file((t.path / "etc/sysctl.d/link.conf").string(), "l", false);
    REQUIRE_FALSE(literal.ok());
    CHECK(literal.error == "l is a symlink, not a regular file");
}

TEST_CASE("list_boot_files: a sysctl.d entry that cannot be read makes the boot configuration unreadable") {
    TempRoot t;
    t.write("/etc/sysctl.d/10-ok.conf", "net.ipv4.conf.all.rp_filter = 2\n");
    // A directory named *.conf is passed over, as systemd-sysctl does.
    t.directory("/etc/sysctl.d/20-dir.conf");
    auto files = host::list_boot_files(t.root());
    REQUIRE(files.ok());
    CHECK(files.value->size() == 1);

    t.fifo("/etc/sysctl.d/30-fifo.conf");
    files = host::list_boot_files(t.root());
    REQUIRE_FALSE(files.ok());
    CHECK(files.error == "/etc/sysctl.d/30-fifo.conf is a FIFO, not a regular file");
    fs::remove(t.path / "etc/sysctl.d/30-fifo.conf");

    t.sparse("/etc/sysctl.conf", static_cast<off_t>(host::kMaxFileBytes) + 1);
    files = host::list_boot_files(t.root());
    REQUIRE_FALSE(files.ok());
    CHECK(files.error == "/etc/sysctl.conf is larger than 16 MiB: not read");
}

TEST_CASE("read_nft_config: nftables.conf or an include that is not a file is unreadable") {
    TempRoot t;
    t.fifo("/etc/nftables.conf");
    auto config = host::read_nft_config(t.root());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error == "/etc/nftables.conf is a FIFO, not a regular file");
    fs::remove(t.path / "etc/nftables.conf");

    // A wildcard passes over the directories it matches, as nft does; a FIFO it
    // matches is refused.
    t.write("/etc/nftables.conf", "include \"/etc/nftables.d/*\"\n");
    t.write("/etc/nftables.d/a.nft", "table inet a {}\n");
    t.directory("/etc/nftables.d/sub");
    config = host::read_nft_config(t.root());
    REQUIRE(config.ok());
    CHECK(config.value->size() == 2);
    t.fifo("/etc/nftables.d/b.nft");
    config = host::read_nft_config(t.root());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error == "/etc/nftables.d/b.nft is a FIFO, not a regular file");
}

TEST_CASE("read_network_config and read_iptables_persistent: a FIFO is unreadable") {
    TempRoot t;
    t.fifo("/etc/network/interfaces");
    const auto network = host::read_network_config(t.root());
    REQUIRE_FALSE(network.ok());
    CHECK(network.error == "/etc/network/interfaces is a FIFO, not a regular file");

    t.directory("/etc/iptables/rules.v4");
    const auto persistent = host::read_iptables_persistent(t.root());
    REQUIRE_FALSE(persistent.ok());
    CHECK(persistent.error == "/etc/iptables/rules.v4 is a directory, not a regular file");
}
