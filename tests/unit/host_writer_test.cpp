// The file writer's symlink refusals, on the real HostWriter under a temporary
// --root: a writer running as root must never be sent out of the root (or anywhere
// else) by a symlink, whether the file itself, a directory above it, or the file an
// undo removes is the link. Each refusal leaves the link and what it points to as
// they were.

#include <doctest/doctest.h>

#include <filesystem>

#include "fixes/writer.h"
#include "fixtures.h"

using namespace haprep;
namespace fs = std::filesystem;
using testing::TempRoot;

namespace {

/// A file outside the root, the place a symlink would redirect the writer to.
struct Outside {
    TempRoot dir;
    fs::path file() const { return dir.path / "victim.conf"; }
    Outside() { dir.write("/victim.conf", "untouched\n"); }
};

}  // namespace

TEST_CASE("write_file refuses to replace a symlinked file, in or out of the root") {
    TempRoot t;
    Outside outside;
    t.symlink("/etc/nftables.conf", outside.file().string());
    fixes::HostWriter writer{t.root()};
    CHECK(writer.write_file("/etc/nftables.conf", "flush ruleset\n") ==
          "/etc/nftables.conf: is a symlink; refusing to replace it");
    CHECK(outside.dir.read("/victim.conf") == "untouched\n");
    CHECK(fs::is_symlink(t.path / "etc/nftables.conf"));

    // A link that stays inside the root is refused all the same.
    t.write("/etc/real.conf", "real\n");
    t.symlink("/etc/sysctl.conf", "real.conf");
    CHECK(writer.write_file("/etc/sysctl.conf", "x\n") ==
          "/etc/sysctl.conf: is a symlink; refusing to replace it");
    CHECK(t.read("/etc/real.conf") == "real\n");
}

TEST_CASE("write_file refuses to write through a symlinked directory") {
    TempRoot t;
    Outside outside;
    t.directory("/etc");
    fs::create_directory_symlink(outside.dir.path, t.path / "etc/sysctl.d");
    fixes::HostWriter writer{t.root()};
    CHECK(writer.write_file("/etc/sysctl.d/99-haprep.conf", "net.ipv4.conf.eth0.rp_filter = 2\n") ==
          (t.path / "etc/sysctl.d").string() + ": is a symlink; refusing to write through it");
    CHECK_FALSE(fs::exists(outside.dir.path / "99-haprep.conf"));
    // Nor may a link further up (the root's /etc itself) redirect a deeper path.
    TempRoot u;
    fs::create_directory_symlink(outside.dir.path, u.path / "etc");
    fixes::HostWriter other{u.root()};
    CHECK(other.write_file("/etc/keepalived/keepalived.conf", "x\n") ==
          (u.path / "etc").string() + ": is a symlink; refusing to write through it");
    CHECK_FALSE(fs::exists(outside.dir.path / "keepalived"));
}

TEST_CASE("remove_file refuses to remove through a symlink, as the file or above it") {
    TempRoot t;
    Outside outside;
    t.symlink("/etc/sysctl.d/99-haprep.conf", outside.file().string());
    fixes::HostWriter writer{t.root()};
    CHECK(writer.remove_file("/etc/sysctl.d/99-haprep.conf") ==
          "/etc/sysctl.d/99-haprep.conf: is a symlink; refusing to remove it");
    CHECK(fs::is_symlink(t.path / "etc/sysctl.d/99-haprep.conf"));
    CHECK(outside.dir.read("/victim.conf") == "untouched\n");

    // The directory above the file is the link: the file outside must stay.
    TempRoot u;
    fs::create_directory_symlink(outside.dir.path, u.path / "etc");
    fixes::HostWriter other{u.root()};
    CHECK(other.remove_file("/etc/victim.conf") ==
          (u.path / "etc").string() + ": is a symlink; refusing to remove through it");
    CHECK(fs::exists(outside.file()));
}

TEST_CASE("the writer still writes and removes plain files") {
    TempRoot t;
    fixes::HostWriter writer{t.root()};
    CHECK(writer.write_file("/etc/sysctl.d/99-haprep.conf", "a\n") == "");
    CHECK(t.read("/etc/sysctl.d/99-haprep.conf") == "a\n");
    CHECK(writer.remove_file("/etc/sysctl.d/99-haprep.conf") == "");
    CHECK_FALSE(fs::exists(t.path / "etc/sysctl.d/99-haprep.conf"));
    CHECK(writer.remove_file("/etc/sysctl.d/99-haprep.conf") == "");   // already gone
    CHECK(writer.remove_file("/etc/missing.d/99-haprep.conf") == "");  // nor its directory
}
