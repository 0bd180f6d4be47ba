#include "model/text.h"

namespace haprep::model {

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const auto end = text.find('\n');
        lines.emplace_back(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    return lines;
}

std::string trim(std::string_view text) {
    const auto begin = text.find_first_not_of(kWhitespace);
    if (begin == std::string_view::npos) return {};
    return std::string(text.substr(begin, text.find_last_not_of(kWhitespace) - begin + 1));
}

std::string first_word(std::string_view text) {
    return std::string(text.substr(0, text.find_first_of(kWhitespace)));
}

std::string basename(std::string_view path) {
    return std::string(path.substr(path.rfind('/') + 1));
}

}  // namespace haprep::model
