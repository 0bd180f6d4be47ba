#include <sstream>

#include "agent/report/render.h"
#include "checks/check.h"

namespace haprep::agent::report {

namespace {

using model::Status;

// Problems first: what needs attention is at the top of a terminal's scrollback.
constexpr Status kOrder[] = {Status::fail, Status::unknown, Status::warn,
                             Status::waived, Status::pass, Status::skip};

const char* color_of(Status status) {
    switch (status) {
        case Status::fail: return "\033[1;31m";
        case Status::unknown: return "\033[1;35m";
        case Status::warn: return "\033[1;33m";
        case Status::pass: return "\033[32m";
        default: return "\033[2m";
    }
}

std::string label(Status status, bool color, size_t width = 7) {
    std::string text = model::to_string(status);
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (text.size() < width) text.resize(width, ' ');
    return color ? color_of(status) + text + "\033[0m" : text;
}

bool is_problem(Status s) { return s == Status::fail || s == Status::warn || s == Status::unknown; }

/// Whether `--interface` narrows a fix for this check: the check table says whether its
/// subjects are interfaces; instances, groups, scripts and files are not named by it
/// (the configuration says where they run).
bool judges_interfaces(const std::string& check) {
    const auto* spec = checks::find_check(check);
    return spec && (spec->subject == model::SubjectKind::interface ||
                    spec->subject == model::SubjectKind::interface_family);
}

void render_finding(std::ostringstream& out, const model::Finding& f, const TextStyle& style) {
    out << label(f.status, style.color) << " " << f.check << " [" << f.subject.text() << "] " << f.message
        << "\n";
    if (!is_problem(f.status) && !style.verbose) return;
    for (const auto& [name, value] : f.evidence) out << "          " << name << ": " << value << "\n";
    if (!f.expected.empty() || !f.observed.empty())
        out << "          expected " << f.expected << ", observed " << f.observed << "\n";
    if (f.source) out << "          at " << f.source->file << ":" << f.source->line << "\n";
    if (!f.fix.empty()) {
        out << "          fix: haprep fix --only " << f.check;
        if (judges_interfaces(f.check)) out << " --interface " << f.subject.interface;
        out << "   (dry run; add --apply to change the host)\n";
    }
}

void render_change(std::ostringstream& out, const model::Change& c) {
    out << "* " << c.fix << ": " << c.action << " " << c.target << " (" << model::subjects_text(c.subjects)
        << ") — " << c.result;
    // Only for a change that is (or will be) made: a failed one needs no restart.
    const bool restart = !c.restart.empty() && (c.applied || c.result == "planned");
    if (restart) out << "; then restart " << c.restart;
    out << "\n";
    std::istringstream diff(c.diff);
    std::string line;
    while (std::getline(diff, line)) out << "    " << line << "\n";
    if (!c.note.empty()) out << "    note: " << c.note << "\n";
    if (restart)
        out << "    restart " << c.restart << ": the change takes effect only when " << c.restart
            << " is restarted (a reload is not enough)\n";
}

}  // namespace

std::string render_text(const model::Report& report, const TextStyle& style) {
    std::ostringstream out;
    if (!report.changes.empty() || report.command.rfind("fix", 0) == 0) {
        const bool applied = report.command == "fix --apply";
        out << (applied ? "Changes made:" : "Planned changes (dry run; nothing was changed):");
        out << (report.changes.empty() ? " none\n" : "\n");
        for (const auto& c : report.changes) render_change(out, c);
        if (applied) out << "changed: " << (report.changed() ? "yes" : "no") << "\n";
        if (const auto restarts = model::restarts_needed(report.changes); !restarts.empty()) {
            out << (applied ? "restart now:" : "restart after applying:");
            for (const auto& name : restarts) out << " " << name;
            out << "\n";
        }
        out << "\n";
    }
    for (Status status : kOrder)
        for (const auto& f : report.findings)
            if (f.status == status) render_finding(out, f, style);
    const auto s = report.summary();
    out << "\n" << report.host << ": " << label(report.status(), style.color, 0) << " — " << s.fail
        << " fail, " << s.unknown << " unknown, " << s.warn << " warn, " << s.pass << " pass, "
        << s.skip << " skip, " << s.waived << " waived\n";
    return out.str();
}

}  // namespace haprep::agent::report
