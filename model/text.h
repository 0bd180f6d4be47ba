#pragma once
// The small text helpers every parser and planner needs: lines, trimming, the first
// word, a path's last component. One definition each, so "whitespace" or "a line"
// never means something slightly different from one file to the next.

#include <string>
#include <string_view>
#include <vector>

namespace haprep::model {

/// Whitespace as the C locale's isspace has it: space, tab, LF, VT, FF, CR.
inline constexpr std::string_view kWhitespace = " \t\n\v\f\r";

/// The lines of `text` as std::getline reads them: split at '\n', a final '\n' ends
/// the last line rather than starting an empty one, "" has no lines. A '\r' before
/// the '\n' stays (trim removes it).
std::vector<std::string> split_lines(std::string_view text);

/// `text` without whitespace at either end.
std::string trim(std::string_view text);

/// `text` up to its first whitespace: the keyword of "track_script chk weight 2", the
/// address of "10.0.0.2 dev eth0". Leading whitespace is not skipped.
std::string first_word(std::string_view text);

/// What follows the last '/' of `path`, or all of it when there is none.
std::string basename(std::string_view path);

}  // namespace haprep::model
