#pragma once
// The words of one keepalived.conf line, as keepalived splits them: `#` and `!` start
// a comment outside quotes (`\#`, `\!` are the literal characters), a quoted string is
// one word without its quotes, `{` and `}` are words of their own even when written
// against a keyword ("VI_1{").

#include <string>
#include <string_view>
#include <vector>

namespace haprep::keepalived {

/// The line without its comment and surrounding blanks. `error` is set for an
/// unterminated quote (the line is kept up to its end, as keepalived does).
std::string strip_comment(std::string_view line, std::string& error);

/// Splits a comment-free line into words.
std::vector<std::string> split_words(std::string_view line);

}  // namespace haprep::keepalived
