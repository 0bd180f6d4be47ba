#include "model/subject.h"

#include <algorithm>

#include "model/facts.h"

namespace haprep::model {

std::string Subject::text() const {
    switch (kind) {
        case SubjectKind::host: return "-";
        case SubjectKind::interface: return interface;
        case SubjectKind::interface_family:
            return interface + " (" + to_string(family.value_or(Family::ipv4)) + (outbound ? ", out)" : ")");
        case SubjectKind::vrrp_instance: return instance;
        case SubjectKind::sync_group: return sync_group;
        case SubjectKind::script: return script;
        case SubjectKind::config_file: return file;
    }
    return "-";
}

Subject Subject::any_family() const {
    Subject broader = *this;
    broader.family.reset();
    return broader;
}

namespace {

/// A subject of `kind` that one name (in `field`) identifies.
Subject named(SubjectKind kind, std::string Subject::*field, const std::string& name) {
    Subject s;
    s.kind = kind;
    s.*field = name;
    return s;
}

}  // namespace

Subject host_subject() { return {}; }

Subject interface_subject(const std::string& interface) {
    return named(SubjectKind::interface, &Subject::interface, interface);
}

Subject adverts_subject(const VrrpInstance& instance, bool outbound) {
    Subject s = named(SubjectKind::interface_family, &Subject::interface, instance.interface);
    s.family = instance.family;
    s.outbound = outbound;
    s.instance = instance.name;
    if (instance.name.empty()) s.mode = instance.mode;
    return s;
}

Subject vrrp_instance_subject(const std::string& name) {
    return named(SubjectKind::vrrp_instance, &Subject::instance, name);
}

Subject instance_subject(const VrrpInstance& instance) {
    Subject s = instance.name.empty() ? interface_subject(instance.interface) : vrrp_instance_subject(instance.name);
    s.family = instance.family;
    if (instance.name.empty()) s.mode = instance.mode;
    return s;
}

Subject sync_group_subject(const std::string& name) {
    return named(SubjectKind::sync_group, &Subject::sync_group, name);
}

Subject sync_group_script_subject(const std::string& group, const std::string& script) {
    Subject s = sync_group_subject(group);
    s.script = script;
    return s;
}

Subject script_subject(const std::string& name) { return named(SubjectKind::script, &Subject::script, name); }

Subject config_file_subject(const std::string& path) {
    return named(SubjectKind::config_file, &Subject::file, path);
}

std::string subjects_text(const std::vector<Subject>& subjects) {
    std::vector<std::string> texts;
    texts.reserve(subjects.size());
    for (const auto& s : subjects) texts.push_back(s.text());
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    std::string joined;
    for (const auto& t : texts) joined += (joined.empty() ? "" : ",") + t;
    return joined;
}

}  // namespace haprep::model
