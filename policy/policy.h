#pragma once
// What the site wants, as opposed to what the host has. Built-in defaults for now;
// the TOML policy file and waivers arrive later and fill the same struct.

namespace haprep::policy {

struct Policy {
    /// The rp_filter value the fix sets: 2 (loose) keeps spoofing protection for
    /// addresses with no route at all, unlike 0, and never drops asymmetric adverts.
    int rp_filter_target = 2;
};

inline Policy defaults() { return Policy{}; }

}  // namespace haprep::policy
