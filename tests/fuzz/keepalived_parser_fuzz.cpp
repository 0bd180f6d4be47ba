// libFuzzer target for the keepalived.conf parser: the input is the main file, and
// whatever follows a line "@@@@" is a second file, conf.d/a.conf, so includes (globs,
// cycles, errors inside an included file) are exercised too. "node1" is the config
// id, so `@node1` / `@^node1` lines take both branches.
//
// The parser must return, whatever the bytes: no crash, no hang, no undefined
// behaviour (the build adds ASan and UBSan). A few invariants it promises are
// checked as well.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "keepalived/config.h"
#include "keepalived/flatten.h"

namespace {

constexpr std::string_view kMain = "/etc/keepalived/keepalived.conf";
constexpr std::string_view kSecond = "/etc/keepalived/conf.d/a.conf";
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
    const size_t marker = input.find(kMarker);
    std::vector<haprep::model::ConfigFile> files;
    files.push_back({std::string(kMain), std::string(input.substr(0, marker))});
    if (marker != std::string_view::npos)
        files.push_back({std::string(kSecond), std::string(input.substr(marker + kMarker.size()))});

    const auto conf = haprep::keepalived::parse_config(std::string(kMain),
                                                       haprep::keepalived::memory_loader(files), "node1");
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
