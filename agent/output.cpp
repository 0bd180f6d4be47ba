#include "agent/output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "agent/names.h"
#include "agent/report/render.h"

namespace haprep::agent {

namespace {

/// Calls `line(s)` for every one-line string of the report a host, a file or a
/// snapshot could have put a control character in, and `lines(s)` for the multi-line
/// ones (diffs: their newlines are structure). The effect itself is never printed:
/// only what the report shows of it. `R` is Report or const Report.
template <class R, class Line, class Lines>
void for_each_text(R& report, Line&& line, Lines&& lines) {
    auto subject = [&](auto& s) {
        for (auto* field : {&s.interface, &s.instance, &s.sync_group, &s.script, &s.file}) line(*field);
    };
    line(report.host);
    line(report.command);
    for (auto& f : report.findings) {
        for (auto* s : {&f.check, &f.message, &f.expected, &f.observed, &f.fix}) line(*s);
        subject(f.subject);
        for (auto& [name, value] : f.evidence) {
            line(name);
            line(value);
        }
        if (f.source) line(f.source->file);
    }
    for (auto& c : report.changes) {
        for (auto* s : {&c.fix, &c.target, &c.action, &c.note, &c.result, &c.restart}) line(*s);
        for (auto& s : c.subjects) subject(s);
        lines(c.diff);
    }
}

bool has_control(const std::string& s, bool keep_lines) {
    return std::any_of(s.begin(), s.end(), [&](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return detail::is_control(c) && !(keep_lines && (c == '\n' || c == '\t'));
    });
}

/// Whether the text report must escape anything: an interface name with a newline
/// must not forge a line of it, nor an escape sequence drive the terminal. (JSON
/// escapes them itself.) Almost never: then the report is printed as it is, not copied.
bool needs_escaping(const model::Report& report) {
    bool found = false;
    for_each_text(
        report, [&](const std::string& s) { found = found || has_control(s, false); },
        [&](const std::string& s) { found = found || has_control(s, true); });
    return found;
}

/// A copy of the report with those strings escaped.
model::Report text_safe(model::Report report) {
    for_each_text(
        report, [](std::string& s) { s = escape_control(s); },
        [](std::string& s) { s = escape_control_keep_lines(s); });
    return report;
}

}  // namespace

bool want_color(bool no_color_option, const char* no_color_environment, bool stdout_is_tty) {
    if (no_color_option) return false;
    if (no_color_environment != nullptr && no_color_environment[0] != '\0') return false;
    return stdout_is_tty;
}

void print_report(const GlobalOptions& global, const model::Report& report) {
    if (global.format == Format::json) {
        std::cout << report::render_json(report);
    } else {
        const bool color =
            want_color(global.no_color, std::getenv("NO_COLOR"), ::isatty(STDOUT_FILENO) == 1);
        const report::TextStyle style{color, global.verbose};
        std::cout << (needs_escaping(report) ? report::render_text(text_safe(report), style)
                                             : report::render_text(report, style));
    }
    std::cout.flush();
}

}  // namespace haprep::agent
