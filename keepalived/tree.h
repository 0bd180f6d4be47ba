#pragma once
// The block structure of keepalived.conf: every statement is a keyword with its
// arguments, and a `{ ... }` after it (on the same or the next line) holds its
// children. Entries of value blocks (an address in virtual_ipaddress) are statements
// too, so one tree serves every block.

#include <string>
#include <vector>

#include "keepalived/reader.h"

namespace haprep::keepalived {

struct Node {
    std::string keyword;
    std::vector<std::string> args;
    Pos at;                   ///< points into the ReadResult the lines came from
    std::string indent;       ///< of the line the keyword is on
    int reading = 0;          ///< Line::reading of the keyword's line
    bool whole_line = false;  ///< the statement is all its line holds (no braces)
    bool has_block = false;
    std::vector<Node> children;
    Pos close;  ///< the closing brace; line 0 when never closed
    bool keyword_line_alone = false;  ///< the keyword line holds only this statement and maybe "{"
    bool close_alone = false;         ///< the closing brace is alone on its line
    /// Opened and closed in one reading of one file (not across an include, nor
    /// across two inclusions of the same file), so the lines between belong to it.
    bool same_reading = false;
    /// The words as written, space-separated.
    std::string text() const;
};

struct Tree {
    std::vector<Node> top;
    std::vector<model::KeepalivedMessage> errors;  ///< unbalanced braces
    std::vector<model::KeepalivedMessage> too_deep;  ///< blocks deeper than limits::kMaxBlockDepth, skipped
};

/// The nodes point into the same paths as `lines` (ReadResult::paths). Blocks nest at
/// most limits::kMaxBlockDepth deep: a deeper one is an error at its keyword, and what
/// it holds is skipped up to its closing brace, so nothing that walks the tree (nor
/// Node's destructor) recurses deeper. `truncated`: the reader stopped on a budget, so
/// blocks still open at the end are not reported as never closed.
Tree build_tree(const std::vector<Line>& lines, bool truncated = false);

}  // namespace haprep::keepalived
