#include "keepalived/lexer.h"

namespace haprep::keepalived {

namespace {
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
}  // namespace

std::string strip_comment(std::string_view line, std::string& error) {
    std::string out;
    out.reserve(line.size());
    bool quote = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        // A backslash escapes the next character: outside quotes "\#" and "\!" are the
        // characters themselves; any other pair is kept as written (so "\"" neither
        // opens nor closes a quoted string, as in keepalived's decomment()).
        if (c == '\\' && i + 1 < line.size()) {
            const char next = line[++i];
            if (quote || (next != '#' && next != '!')) out += c;
            out += next;
            continue;
        }
        if (c == '"') quote = !quote;
        if (!quote && (c == '#' || c == '!')) break;
        out += c;
    }
    if (quote) error = "unterminated quote";
    size_t begin = 0, end = out.size();
    while (begin < end && blank(out[begin])) ++begin;
    while (end > begin && blank(out[end - 1])) --end;
    return out.substr(begin, end - begin);
}

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < line.size()) {
        if (blank(line[i])) {
            ++i;
        } else if (line[i] == '{' || line[i] == '}') {
            words.emplace_back(1, line[i++]);
        } else if (line[i] == '"') {
            const size_t close = line.find('"', i + 1);
            const size_t end = close == std::string_view::npos ? line.size() : close;
            words.emplace_back(line.substr(i + 1, end - i - 1));
            i = close == std::string_view::npos ? end : end + 1;
        } else {
            size_t end = i;
            while (end < line.size() && !blank(line[end]) && line[end] != '{' && line[end] != '}' && line[end] != '"')
                ++end;
            words.emplace_back(line.substr(i, end - i));
            i = end;
        }
    }
    return words;
}

}  // namespace haprep::keepalived
