#pragma once
// The apply journal under /var/lib/haprep/journal (schema haprep-journal/1): each
// change of a plan with what it was before and is after, so it can be put back by
// hand or by a later `haprep undo`. The only place a change's typed effect
// (model/change_effect.h) becomes JSON.

#include <nlohmann/json.hpp>

#include "model/plan.h"

namespace haprep::fixes {

/// One change as the journal records it: fix, subject, kind, target, existed, before,
/// after, applied. `before`/`after` are a value or a file's content as it is, and the
/// rest as JSON text: an nft insert's {"rule", "before"} (the rule with the kernel's
/// handle once inserted), a firewalld change's {"zone", "permanent", "protocol" |
/// "rule"}, ufw's argument array.
nlohmann::json journal_entry(const model::Change& change);

/// The effect a journal entry records, read back for undo: all of it but a file
/// write's validation, which undo does not need (it writes the old content back, or
/// removes a file haprep created). Throws nlohmann::json::exception on an entry that
/// is not one journal_entry writes.
model::ChangeEffect journal_effect(const nlohmann::json& entry);

}  // namespace haprep::fixes
