#pragma once
// A value read from the host, or the reason it could not be read. A probe never
// leaves a fact silently empty: the check that needs it reports `unknown` with
// this reason instead of guessing `pass`.

#include <optional>
#include <string>
#include <utility>

namespace haprep::model {

template <class T>
struct Fact {
    std::optional<T> value;
    std::string error;  ///< why `value` is absent ("permission denied", "no such interface", ...)

    static Fact known(T v) { return Fact{std::move(v), {}}; }
    static Fact unreadable(std::string why) { return Fact{std::nullopt, std::move(why)}; }

    bool ok() const { return value.has_value(); }
    bool operator==(const Fact&) const = default;
};

}  // namespace haprep::model
