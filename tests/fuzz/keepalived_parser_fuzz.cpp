// libFuzzer target for the keepalived.conf parser: the input is a tree of files, split
// at each line "@@@@": the main file, then conf.d/a.conf, conf.d/b.conf,
// conf.d/sub/c.conf, ../common.inc (/etc/common.inc) and keepalived.d/e.conf, so
// includes across several files (globs that match several of them or their own
// directory, cycles, bombs, errors inside an included file) and `$NAME` definitions
// made in one file and used in another are exercised too. "node1" is the config id,
// so `@node1` / `@^node1` lines take both branches. The budgets of keepalived/reader.h
// must keep every input fast and small (-timeout, -rss_limit_mb in scripts/fuzz.sh).
//
// The parser must return, whatever the bytes: no crash, no hang, no undefined
// behaviour (the build adds ASan and UBSan). A few invariants it promises are
// checked as well.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "keepalived/config.h"
#include "keepalived/flatten.h"

namespace {

constexpr std::string_view kMain = "/etc/keepalived/keepalived.conf";
// The files after the main one, in the order the input gives them.
constexpr std::string_view kOthers[] = {"/etc/keepalived/conf.d/a.conf", "/etc/keepalived/conf.d/b.conf",
                                        "/etc/keepalived/conf.d/sub/c.conf", "/etc/common.inc",
                                        "/etc/keepalived/keepalived.d/e.conf"};
constexpr std::string_view kMarker = "\n@@@@\n";

void check_location(const haprep::model::SourceLocation& at, const haprep::model::KeepalivedConf& conf) {
    if (at.line < 0) std::abort();
    if (at.file.empty()) return;
    bool known = false;
    for (const auto& f : conf.files) known = known || f.path == at.file;
    // A location names a file that was read (or, for an unreadable main file, the main path).
    if (!known && at.file != conf.path) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<haprep::model::ConfigFile> files;
    size_t begin = 0;
    for (size_t i = 0; begin != std::string_view::npos; ++i) {
        // The last file takes the rest, markers included.
        const size_t marker = i < std::size(kOthers) ? input.find(kMarker, begin) : std::string_view::npos;
        files.push_back({std::string(i == 0 ? kMain : kOthers[i - 1]), std::string(input.substr(begin, marker - begin))});
        begin = marker == std::string_view::npos ? marker : marker + kMarker.size();
    }

    const auto conf = haprep::keepalived::parse_config(std::string(kMain),
                                                       haprep::keepalived::memory_loader(files), "node1");
    // Every list of messages is capped (limits::kMaxMessages; errors merge a few lists).
    if (conf.errors.size() > 4 * haprep::keepalived::limits::kMaxMessages ||
        conf.unknown.size() > haprep::keepalived::limits::kMaxMessages ||
        conf.unsupported.size() > haprep::keepalived::limits::kMaxMessages)
        std::abort();
    for (const auto& m : conf.errors) check_location(m.at, conf);
    for (const auto& m : conf.unknown) check_location(m.at, conf);
    for (const auto& m : conf.unsupported) check_location(m.at, conf);
    for (const auto& in : conf.instances) {
        check_location(in.block.at, conf);
        // A fix may remove lines at..close of one file when the block owns them.
        const auto& b = in.block;
        if (b.own_lines && (b.close.file != b.at.file || b.close.line < b.at.line)) std::abort();
    }
    // What keepalived -t is given after a fix: the includes inlined. It must read as the
    // same configuration (the same instances) as the files themselves.
    const std::string flat = haprep::keepalived::flatten(conf.path, conf.files, conf.includes);
    const std::vector<haprep::model::ConfigFile> flat_files = {{std::string(kMain), flat}};
    const auto again = haprep::keepalived::parse_config(std::string(kMain),
                                                        haprep::keepalived::memory_loader(flat_files), "node1");
    if (conf.errors.empty() && again.instances.size() != conf.instances.size()) std::abort();
    return 0;
}
