#include "keepalived/reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "keepalived/lexer.h"

namespace haprep::keepalived {

namespace {

using namespace limits;

std::string mib(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

bool blank(char c) { return c == ' ' || c == '\t'; }

/// `include X`, or one of keepalived's variants (includer, includem, ...) `includeR X`.
bool is_include(const std::string& text) {
    if (text.rfind("include", 0) != 0 || text.size() < 9) return false;
    if (blank(text[7])) return true;
    return std::string("rmbwa").find(text[7]) != std::string::npos && blank(text[8]);
}

class Reader {
public:
    Reader(const Loader& loader, std::string config_id) : loader_(loader), config_id_(std::move(config_id)) {
        definitions_["_HASH"] = "#";
        definitions_["_BANG"] = "!";
    }

    ReadResult result;

    /// True when the file was read (its lines are in the result).
    bool read_file(const std::string& path, const model::SourceLocation* included_from) {
        if (stopped_) return false;
        if (readings_ >= kMaxFileReads) {
            // Never the main file: it is reading 0.
            stop(*included_from, "include " + path + ": over the budget of " + std::to_string(kMaxFileReads) +
                                     " file reads in total, repeats included (kMaxFileReads)");
            return false;
        }
        // Refused below; once no more messages are kept, without building one (files that
        // include their own directory's glob are refused millions of times).
        const bool quiet = result.errors.size() >= kMaxMessages;
        if (quiet && static_cast<int>(stack_.size()) >= kMaxIncludeDepth) return false;
        if (std::find(stack_.begin(), stack_.end(), path) != stack_.end()) {
            if (quiet) return false;
            error(*included_from, "include " + path + ": the file includes itself (ignored)");
            return false;
        }
        if (static_cast<int>(stack_.size()) >= kMaxIncludeDepth) {
            if (quiet) return false;
            error(*included_from, "include " + path + ": includes nested deeper than " +
                                      std::to_string(kMaxIncludeDepth) + " (ignored)");
            return false;
        }
        auto content = loader_.read(path);
        if (!content.ok()) {
            if (included_from) error(*included_from, "include " + path + ": " + content.error);
            else error({path, 0}, path + ": " + content.error);
            return false;
        }
        if (content.value->size() > kMaxTextRead - text_read_) {
            const std::string what = path + ": over the budget of " + mib(kMaxTextRead) +
                                     " of text read in total, repeats included (kMaxTextRead)";
            if (included_from) stop(*included_from, "include " + what);
            else stop({path, 0}, what);
            return false;
        }
        text_read_ += content.value->size();
        if (seen_.insert(path).second) result.files.push_back({path, *content.value});
        const int saved_reading = reading_;
        stack_.push_back(path);
        reading_ = readings_++;
        read_lines(intern(path), *content.value);
        stack_.pop_back();
        reading_ = saved_reading;
        return true;
    }

private:
    const Loader& loader_;
    std::string config_id_;
    std::vector<std::string> stack_;
    std::map<std::string, std::string> definitions_;
    std::set<std::string> seen_;                       // paths in result.files
    std::map<std::string, const std::string*> interned_;  // paths in result.paths
    int readings_ = 0;  // files read so far, repeats included
    int reading_ = 0;   // the reading the current line belongs to
    // The budgets (limits::) spent so far; stopped_ once one is exceeded.
    int include_lines_ = 0;
    size_t text_read_ = 0, expanded_ = 0, words_ = 0;
    bool stopped_ = false;

    void stop(const model::SourceLocation& at, const std::string& what) {
        stopped_ = true;
        result.exceeded.push_back({what + ": haprep stopped reading the configuration here", at});
    }
    void stop(const Pos& at, const std::string& what) { stop(at.location(), what); }

    void error(const model::SourceLocation& at, std::string message) {
        add_message(result.errors, std::move(message), at);
    }
    void error(const Pos& at, std::string message) { error(at.location(), std::move(message)); }
    void unsupported(const Pos& at, std::string message) {
        add_message(result.unsupported, std::move(message), at.location());
    }

    const std::string* intern(const std::string& path) {
        auto [it, added] = interned_.emplace(path, nullptr);
        if (added) {
            result.paths.push_back(std::make_unique<const std::string>(path));
            it->second = result.paths.back().get();
        }
        return it->second;
    }

    void read_lines(const std::string* path, const std::string& content) {
        // At most one Line per physical line: no regrowing the vector as it fills. At
        // least doubling, so that many readings of small files do not copy it each time.
        const size_t needed = result.lines.size() + static_cast<size_t>(std::count(content.begin(), content.end(), '\n')) + 1;
        if (needed > result.lines.capacity()) result.lines.reserve(std::max(needed, 2 * result.lines.capacity()));
        size_t pos = 0;
        int number = 0;
        while (pos < content.size() && !stopped_) {
            // One logical line: physical lines joined while one ends in a backslash.
            std::string logical, indent;
            const int first = number + 1;
            bool more = true;
            while (more && pos < content.size()) {
                const size_t nl = content.find('\n', pos);
                const size_t end = nl == std::string::npos ? content.size() : nl;
                std::string_view physical(content.data() + pos, end - pos);
                pos = nl == std::string::npos ? content.size() : nl + 1;
                ++number;
                if (logical.empty()) indent = physical.substr(0, physical.find_first_not_of(" \t"));
                std::string quote_error;
                std::string stripped = strip_comment(physical, quote_error);
                if (!quote_error.empty()) error(Pos{path, number}, quote_error);
                more = !stripped.empty() && stripped.back() == '\\';
                if (more) stripped.pop_back();
                logical += stripped;
                if (more) logical += ' ';
            }
            if (indent.find_first_not_of(" \t") != std::string::npos) indent.clear();
            handle_line(path, first, std::move(logical), indent);
        }
    }

    void handle_line(const std::string* path, int number, std::string text, const std::string& indent) {
        const Pos at{path, number};
        if (text.empty()) return;
        if (text[0] == '@') {
            const bool reverse = text.size() > 1 && text[1] == '^';
            const size_t id_begin = reverse ? 2 : 1;
            const size_t id_end = text.find_first_of(" \t", id_begin);
            if (id_end == std::string::npos) return;  // nothing after the id: keepalived drops the line
            const bool match = text.compare(id_begin, id_end - id_begin, config_id_) == 0 &&
                               id_end - id_begin == config_id_.size() && !config_id_.empty();
            if (match == reverse) return;
            text.erase(0, text.find_first_not_of(" \t", id_end));
        }
        if (text[0] == '$' && define(at, text)) return;
        if (text.find('$') != std::string::npos && !substitute(at, text)) return;
        if (text.rfind("~SEQ", 0) == 0) unsupported(at, "~SEQ sequences are not expanded");
        if (is_include(text)) {
            include(at, text);
            return;
        }
        auto words = split_words(text);
        if (words.size() > kMaxWords - words_) {
            stop(at, "over the budget of " + std::to_string(kMaxWords) + " words in total (kMaxWords)");
            return;
        }
        words_ += words.size();
        result.lines.push_back({std::move(words), at, indent, reading_});
    }

    /// `$NAME=value`; false when the line is not a definition (keepalived then reads
    /// it as an ordinary line).
    bool define(const Pos& at, const std::string& text) {
        if (text.size() < 2 || !name_start(text[1])) return false;
        size_t end = 2;
        while (end < text.size() && name_char(text[end])) ++end;
        const std::string name = text.substr(1, end - 1);
        // keepalived wants '=' right after the name: "$X = 1" is an ordinary line.
        if (end == text.size() || text[end] != '=') {
            if (end < text.size() && text[end] == '(')
                unsupported(at, "parameterised definition $" + name + "(...) is not modelled");
            return false;
        }
        const size_t value_begin = text.find_first_not_of(" \t", end + 1);
        std::string value = value_begin == std::string::npos ? "" : text.substr(value_begin);
        definitions_[name] = value;
        return true;
    }

    /// False when the expansion budget ran out (reading stops).
    bool substitute(const Pos& at, std::string& text) {
        int replaced = 0;
        size_t pos = 0;
        while ((pos = text.find('$', pos)) != std::string::npos && pos + 1 < text.size()) {
            const bool braced = text[pos + 1] == '{';
            const size_t name_begin = pos + (braced ? 2 : 1);
            size_t name_end = name_begin;
            while (name_end < text.size() && name_char(text[name_end])) ++name_end;
            const std::string name = text.substr(name_begin, name_end - name_begin);
            // keepalived expands ${NAME} anywhere, $NAME only before a blank, ',', ')' or
            // the end of the line ("$VIP/24" stays as written).
            const bool ends = braced ? name_end < text.size() && text[name_end] == '}'
                                     : name_end == text.size() || blank(text[name_end]) ||
                                           text[name_end] == ',' || text[name_end] == ')';
            if (!ends) {
                ++pos;
                continue;
            }
            auto it = definitions_.find(name);
            if (name.empty() || it == definitions_.end()) {
                if (name == "_PWD" || name == "_INSTANCE" || name == "_RANDOM" || name == "_ENV")
                    unsupported(at, "$" + name + " is not expanded");
                ++pos;
                continue;
            }
            if (++replaced > kMaxSubstitutions) {
                error(at, "definition $" + name + " expands without end");
                return true;
            }
            const size_t length = name_end + (braced ? 1 : 0) - pos;
            if (it->second.size() > length) {
                const size_t growth = it->second.size() - length;
                if (growth > kMaxExpandedText - expanded_) {
                    stop(at, "$" + name + ": over the budget of " + mib(kMaxExpandedText) +
                                 " added by $NAME substitution in total (kMaxExpandedText)");
                    return false;
                }
                expanded_ += growth;
            }
            text.replace(pos, length, it->second);
            // The replacement is scanned again: a definition may use another one.
        }
        return true;
    }

    void include(const Pos& pos, const std::string& text) {
        const model::SourceLocation at = pos.location();
        if (++include_lines_ > kMaxIncludeLines) {
            stop(at, "include: over the budget of " + std::to_string(kMaxIncludeLines) +
                         " include lines in total (kMaxIncludeLines)");
            return;
        }
        if (!blank(text[7]))
            unsupported(pos, text.substr(0, 8) + " is read as a plain include");
        std::string pattern = text.substr(text.find_first_of(" \t"));
        pattern.erase(0, pattern.find_first_not_of(" \t"));
        if (pattern.size() >= 2 && pattern.front() == '"' && pattern.back() == '"')
            pattern = pattern.substr(1, pattern.size() - 2);
        if (pattern.empty()) {
            error(at, "include without a file name");
            return;
        }
        if (pattern[0] != '/') pattern = directory_of(at.file) + "/" + pattern;
        // "conf.d/../x.conf" and "./x.conf" name the file their plain path names: one
        // spelling, so the include cycle check and the list of files read see one file.
        pattern = std::filesystem::path(pattern).lexically_normal().string();
        const auto matches = loader_.glob(pattern);
        const bool wildcard = pattern.find_first_of("*?[") != std::string::npos;
        if (matches.empty() && !wildcard) {
            error(at, "include " + pattern + ": no such file");
            return;
        }
        // Recorded per include line: flatten() inlines exactly what was read here.
        model::KeepalivedInclude record{at, {}};
        for (const auto& path : matches) {
            if (stopped_) break;
            if (read_file(path, &at)) record.files.push_back(path);
        }
        result.includes.push_back(std::move(record));
    }
};

}  // namespace

void add_message(std::vector<model::KeepalivedMessage>& list, std::string message, model::SourceLocation at) {
    if (list.size() + 1 < kMaxMessages) list.push_back({std::move(message), std::move(at)});
    else if (list.size() + 1 == kMaxMessages)
        list.push_back({std::move(message) + " (further messages of this kind are not listed: more than " +
                            std::to_string(kMaxMessages) + ", kMaxMessages)",
                        std::move(at)});
}

ReadResult read_config(const std::string& main_path, const Loader& loader, const std::string& config_id) {
    Reader reader(loader, config_id);
    (void)reader.read_file(main_path, nullptr);
    return std::move(reader.result);
}

}  // namespace haprep::keepalived
