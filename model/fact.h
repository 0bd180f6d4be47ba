#pragma once
// A value read from the host, in one of three states: known; absent (the thing does
// not exist here: no keepalived.conf, firewalld not on the bus, no nf_tables, no DMI),
// which the checks that need it report as `skip`; unreadable (it may exist but could
// not be read), which they report as `unknown`, never `pass`. A probe never leaves a
// fact silently empty: both states without a value say why.
// checks::not_known (checks/check.h) turns either into the finding.

#include <optional>
#include <string>
#include <utility>

namespace haprep::model {

enum class FactState { known, absent, unreadable };

template <class T>
struct Fact {
    std::optional<T> value;  ///< there exactly when the fact is known
    std::string error;       ///< why there is no value: the read error, or why it is absent
    /// Without a value: true when the thing is not there (absent), false when reading
    /// it failed (unreadable). A default Fact is unreadable, with no reason.
    bool missing = false;

    static Fact known(T v) { return Fact{std::move(v), {}, false}; }
    static Fact absent(std::string why) { return Fact{std::nullopt, std::move(why), true}; }
    static Fact unreadable(std::string why) { return Fact{std::nullopt, std::move(why), false}; }

    FactState state() const {
        if (value) return FactState::known;
        return missing ? FactState::absent : FactState::unreadable;
    }
    bool ok() const { return value.has_value(); }
    bool is_absent() const { return state() == FactState::absent; }
    bool is_unreadable() const { return state() == FactState::unreadable; }
    /// Why the fact is not known (empty when it is).
    const std::string& why() const { return error; }
    bool operator==(const Fact&) const = default;
};

}  // namespace haprep::model
