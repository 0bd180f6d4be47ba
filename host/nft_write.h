#pragma once
// Adding and removing nf_tables rules in one atomic batch (libnftnl): the kernel
// commits all of a batch or none. Only the expression kinds haprep's own rules use
// are encoded (meta, cmp, payload load, counter, immediate verdict).

#include <cstdint>
#include <string>
#include <vector>

#include "host/root.h"
#include "model/nft.h"

namespace haprep::host {

struct NftInsert {
    model::NftRule rule;         ///< family, table, chain, exprs, comment
    std::uint64_t before = 0;    ///< insert before this handle; 0 = at the head of the chain
};

/// Inserts every rule in one batch. On success fills `handles` (one per rule, in
/// order) and returns ""; else the kernel's error, and nothing was added.
std::string insert_nft_rules(const std::vector<NftInsert>& inserts, std::vector<std::uint64_t>& handles);

/// Runs `nft -c -f` (execve, fixed arguments, no shell) on `content` written to a
/// temporary file beside `host_path` under `root`, then removes it. "" when nft
/// accepts it, else nft's own message.
std::string check_nft_file(const Root& root, const std::string& host_path, const std::string& content);

/// Deletes rules by handle in one batch (undo of insert_nft_rules).
std::string delete_nft_rules(const std::vector<model::NftRule>& rules);

}  // namespace haprep::host
