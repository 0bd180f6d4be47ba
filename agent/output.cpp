#include "agent/output.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "agent/names.h"
#include "agent/report/render.h"

namespace haprep::agent {

namespace {

/// The report with every string a host, a file or a snapshot could have put a control
/// character in escaped: an interface name with a newline must not forge a line of
/// the text report, nor an escape sequence drive the terminal. (JSON escapes them
/// itself.) Diffs and file contents keep their newlines, which are their structure.
model::Report text_safe(model::Report report) {
    auto line = [](std::string& s) { s = escape_control(s); };
    auto lines = [](std::string& s) { s = escape_control_keep_lines(s); };
    auto subject = [&](model::Subject& s) {
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
        // The effect itself is never printed: only what the report shows of it.
        for (auto* s : {&c.fix, &c.target, &c.action, &c.note, &c.result, &c.restart}) line(*s);
        for (auto& s : c.subjects) subject(s);
        lines(c.diff);
    }
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
        std::cout << report::render_text(text_safe(report), {color, global.verbose});
    }
    std::cout.flush();
}

}  // namespace haprep::agent
