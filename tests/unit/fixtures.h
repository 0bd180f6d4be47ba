#pragma once
// What the unit tests share, so no test file keeps its own copy: a temporary --root
// with files of every kind in it, the text of a file under tests/data, running a
// check, a finding's evidence, a bare nft expression. The hand-made Facts are in
// facts_fixture.h, included here.

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "checks/check.h"
#include "facts_fixture.h"
#include "host/root.h"
#include "model/nft.h"

namespace haprep::testing {

/// A temporary directory to use as --root, removed with everything in it at scope
/// end. Paths are host paths ("/etc/x"); parents are created as needed.
struct TempRoot {
    std::filesystem::path path;
    TempRoot() {
        char tmpl[] = "/tmp/haprep-unit-XXXXXX";
        const char* made = ::mkdtemp(tmpl);
        REQUIRE(made != nullptr);
        path = made;
    }
    ~TempRoot() { std::filesystem::remove_all(path); }
    TempRoot(const TempRoot&) = delete;
    TempRoot& operator=(const TempRoot&) = delete;

    host::Root root() const { return host::Root(path); }
    std::filesystem::path on_disk(const std::string& host_path) const {
        const auto file = path / std::filesystem::path(host_path).relative_path();
        std::filesystem::create_directories(file.parent_path());
        return file;
    }
    void write(const std::string& host_path, const std::string& content) const {
        std::ofstream(on_disk(host_path)) << content;
    }
    /// What is in the file now ("" when there is none).
    std::string read(const std::string& host_path) const {
        std::ifstream in(path / std::filesystem::path(host_path).relative_path());
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }
    void directory(const std::string& host_path) const {
        std::filesystem::create_directories(on_disk(host_path));
    }
    void symlink(const std::string& host_path, const std::string& target) const {
        std::filesystem::create_symlink(target, on_disk(host_path));
    }
    void fifo(const std::string& host_path) const {
        REQUIRE(::mkfifo(on_disk(host_path).c_str(), 0644) == 0);
    }
    /// A file of `size` bytes that takes no space: for the size limits.
    void sparse(const std::string& host_path, off_t size) const {
        write(host_path, "");
        REQUIRE(::truncate(on_disk(host_path).c_str(), size) == 0);
    }
};

/// The content of tests/data/`relative`; the test stops when it is missing.
inline std::string test_data(const std::string& relative) {
    std::ifstream in(std::string(HAPREP_TEST_DATA) + "/" + relative);
    REQUIRE_MESSAGE(in, "missing test data " << relative);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// Every finding of check `id` on `facts`, with the default policy.
inline std::vector<model::Finding> run_all(const model::Facts& facts, const std::string& id) {
    return checks::evaluate_checks(facts, {id}, {});
}

/// The one finding of check `id` on `facts`; the test stops when there is not exactly one.
inline model::Finding run(const model::Facts& facts, const std::string& id) {
    auto findings = run_all(facts, id);
    REQUIRE(findings.size() == 1);
    return findings[0];
}

/// The value of the finding's evidence `key`, "<none>" when it has none.
inline std::string evidence(const model::Finding& f, const std::string& key) {
    for (const auto& [name, value] : f.evidence)
        if (name == key) return value;
    return "<none>";
}

/// An nft expression with only its name: `counter`, `notrack`, ...
inline model::NftExpr expr(const std::string& name) {
    model::NftExpr e;
    e.name = name;
    return e;
}

}  // namespace haprep::testing
