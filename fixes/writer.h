#pragma once
// The effects the applier may have, behind one small interface: the real one
// (HostWriter) acts on the host under --root; tests substitute a recording one to
// exercise rollback without a host. No writer knows about dry runs: a dry run never
// reaches a writer.

#include <string>

#include "host/root.h"

namespace haprep::fixes {

class Writer {
public:
    virtual ~Writer() = default;
    /// Each returns the error text, empty on success.
    virtual std::string set_sysctl(const std::string& key, const std::string& value) = 0;
    virtual std::string write_file(const std::string& host_path, const std::string& content) = 0;
    virtual std::string remove_file(const std::string& host_path) = 0;
    virtual std::string set_multicast(const std::string& interface, bool on) = 0;
};

class HostWriter final : public Writer {
public:
    explicit HostWriter(host::Root root) : root_(std::move(root)) {}
    std::string set_sysctl(const std::string& key, const std::string& value) override;
    std::string write_file(const std::string& host_path, const std::string& content) override;
    std::string remove_file(const std::string& host_path) override;
    std::string set_multicast(const std::string& interface, bool on) override;

private:
    host::Root root_;
};

}  // namespace haprep::fixes
