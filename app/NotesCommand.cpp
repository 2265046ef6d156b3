// transfertrace notes / meta: the analyst's annotations and the case metadata (issue #5).
// Everything printed to a terminal goes through printable(): notes and keys may quote log content.

#include "CliSupport.h"
#include "Commands.h"
#include "SignalCancel.h"

#include "core/TimeUtil.h"
#include "store/AnnotationStore.h"
#include "store/CaseStore.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <map>
#include <string>

namespace tt::app {

namespace {
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
std::string iso(int64_t us)
{
    return us ? timeutil::formatIsoUtc(us) : std::string("-");
}

QJsonObject metaJson(const store::CaseMeta &m)
{
    QJsonObject o;
    o[QStringLiteral("title")] = q(m.title);
    o[QStringLiteral("analyst")] = q(m.analyst);
    o[QStringLiteral("description")] = q(m.description);
    o[QStringLiteral("display_tz")] = q(m.displayTz);
    return o;
}

void printMeta(const store::CaseMeta &m)
{
    std::printf("title        %s\n", printable(m.title).c_str());
    std::printf("analyst      %s\n", printable(m.analyst).c_str());
    std::printf("time zone    %s\n", m.displayTz.empty() ? "UTC" : printable(m.displayTz).c_str());
    std::printf("description  ");
    // One escaped line per description line, indented under the first.
    size_t start = 0;
    bool first = true;
    while (start <= m.description.size()) {
        const size_t nl = m.description.find('\n', start);
        const std::string line = m.description.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        std::printf("%s%s\n", first ? "" : "             ", printable(line).c_str());
        first = false;
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
}

// A signal (SIGINT, SIGTERM, SIGHUP) ends the command as it ends import and infer: exit 128+N and
// a cancelled line (a JSON document with --json) instead of death by the signal; the case's lock
// goes with the CaseStore the caller still holds.
int cancelled(const SignalCancel &interrupt, bool json, const char *what)
{
    const std::string line = std::string("cancelled by ") + interrupt.signalName() + what;
    if (json) {
        QJsonObject o;
        o[QStringLiteral("cancelled")] = true;
        o[QStringLiteral("message")] = q(line);
        o[QStringLiteral("exit_code")] = interrupt.exitCode();
        std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        std::printf("%s\n", line.c_str());
    }
    return interrupt.exitCode();
}
} // namespace

int runNotes(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the notes, tags and bookmarks of a case, newest first."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file (*.ttcase)."));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print as JSON."));
    QCommandLineOption tagOpt(
        QStringLiteral("tag"), QStringLiteral("Only annotations with this tag."), QStringLiteral("T"));
    QCommandLineOption bookmarkedOpt(QStringLiteral("bookmarked"), QStringLiteral("Only bookmarked items."));
    QCommandLineOption kindOpt(
        QStringLiteral("kind"), QStringLiteral("host, transfer, event, process or account."), QStringLiteral("K"));
    QCommandLineOption textOpt(QStringLiteral("text"),
        QStringLiteral("Only annotations whose note, label or key contains S."), QStringLiteral("S"));
    p.addOptions({jsonOpt, tagOpt, bookmarkedOpt, kindOpt, textOpt});
    const char *usage = "transfertrace notes CASE [--json] [--tag T] [--bookmarked] [--kind K] [--text S]";
    if (auto stop = parseCommand(p, args, "notes", usage, 1, 1))
        return *stop;
    store::AnnotationFilter filter;
    filter.bookmarkedOnly = p.isSet(bookmarkedOpt);
    filter.text = p.value(textOpt).toStdString();
    if (p.isSet(kindOpt)) {
        filter.kind = store::targetKindFromName(p.value(kindOpt).toStdString());
        if (!filter.kind) {
            std::fprintf(stderr, "transfertrace notes: --kind must be host, transfer, event, process or account\n");
            return kUsageError;
        }
    }
    SignalCancel interrupt;
    const bool json = p.isSet(jsonOpt);
    try {
        auto cs = store::CaseStore::open(p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadOnly);
        pauseForTest("notes", *interrupt.flag());
        if (interrupt.caught())
            return cancelled(interrupt, json, "");
        store::AnnotationStore s(*cs);
        const auto tags = s.tags();
        std::map<int64_t, const store::Tag *> tagById;
        for (const auto &t : tags)
            tagById[t.id] = &t;
        if (p.isSet(tagOpt)) {
            const auto t = s.tagByName(p.value(tagOpt).toStdString());
            if (!t) {
                std::string known;
                for (const auto &k : tags)
                    known += (known.empty() ? "" : ", ") + printable(k.name);
                std::fprintf(stderr, "transfertrace notes: no tag named '%s' in this case (tags: %s)\n",
                    printable(p.value(tagOpt).toStdString()).c_str(), known.c_str());
                return 1;
            }
            filter.tagId = t->id;
        }
        const auto list = s.list(filter);
        if (interrupt.caught())
            return cancelled(interrupt, json, "");
        auto tagNames = [&](const store::Annotation &a) {
            std::vector<std::string> out;
            for (int64_t id : a.tagIds)
                if (auto it = tagById.find(id); it != tagById.end())
                    out.push_back(it->second->name);
            return out;
        };
        if (json) {
            QJsonObject root;
            root[QStringLiteral("case")] = q(cs->path());
            root[QStringLiteral("meta")] = metaJson(s.meta());
            QJsonArray ta;
            for (const auto &t : tags) {
                QJsonObject o;
                o[QStringLiteral("name")] = q(t.name);
                o[QStringLiteral("color")] = q(t.color);
                o[QStringLiteral("builtin")] = t.builtin;
                ta.append(o);
            }
            root[QStringLiteral("tags")] = ta;
            QJsonArray aa;
            for (const auto &a : list) {
                QJsonObject o;
                o[QStringLiteral("kind")] = QLatin1String(store::targetKindName(a.kind));
                o[QStringLiteral("key")] = q(a.key);
                o[QStringLiteral("label")] = q(a.label);
                o[QStringLiteral("note")] = q(a.note);
                o[QStringLiteral("format")] = a.markdown ? QStringLiteral("markdown") : QStringLiteral("plain");
                o[QStringLiteral("bookmarked")] = a.bookmarked;
                QJsonArray names;
                for (const auto &n : tagNames(a))
                    names.append(q(n));
                o[QStringLiteral("tags")] = names;
                o[QStringLiteral("author")] = q(a.author);
                o[QStringLiteral("created_utc")] = q(iso(a.createdUs));
                o[QStringLiteral("modified_utc")] = q(iso(a.modifiedUs));
                aa.append(o);
            }
            root[QStringLiteral("annotations")] = aa;
            writeOutput(QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
            return 0;
        }
        for (const auto &a : list) {
            std::string tagText;
            for (const auto &n : tagNames(a))
                tagText += (tagText.empty() ? "" : ", ") + printable(n);
            std::printf("%-8s %s", store::targetKindName(a.kind), printable(a.key, 120).c_str());
            if (!a.label.empty() && a.label != a.key)
                std::printf("  (%s)", printable(a.label, 80).c_str());
            if (!tagText.empty())
                std::printf("  [%s]", tagText.c_str());
            if (a.bookmarked)
                std::printf("  *bookmarked*");
            std::printf("  %s%s%s%s\n", iso(a.modifiedUs).c_str(), a.author.empty() ? "" : " by ",
                printable(a.author, 60).c_str(), a.markdown ? " (markdown)" : "");
            size_t start = 0;
            while (!a.note.empty() && start <= a.note.size()) {
                const size_t nl = a.note.find('\n', start);
                std::printf("    %s\n",
                    printable(a.note.substr(start, nl == std::string::npos ? std::string::npos : nl - start)).c_str());
                if (nl == std::string::npos)
                    break;
                start = nl + 1;
            }
        }
        std::printf("%zu annotation(s)\n", list.size());
    } catch (const std::exception &e) {
        if (interrupt.caught())
            return cancelled(interrupt, json, "");
        std::fprintf(stderr, "transfertrace notes: %s\n", printable(e.what()).c_str());
        return 1;
    }
    return 0;
}

int runMeta(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Show or set the case metadata: title, analyst, description, time zone."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file (*.ttcase)."));
    QCommandLineOption titleOpt(QStringLiteral("title"), QStringLiteral("Case title."), QStringLiteral("T"));
    QCommandLineOption analystOpt(QStringLiteral("analyst"), QStringLiteral("Analyst name."), QStringLiteral("A"));
    QCommandLineOption descOpt(QStringLiteral("description"), QStringLiteral("Description."), QStringLiteral("D"));
    QCommandLineOption tzOpt(QStringLiteral("tz"),
        QStringLiteral("Display time zone (IANA id, e.g. Europe/Berlin; empty = UTC)."), QStringLiteral("Z"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print as JSON."));
    p.addOptions({titleOpt, analystOpt, descOpt, tzOpt, jsonOpt});
    const char *usage = "transfertrace meta CASE [--title T] [--analyst A] [--description D] [--tz Z] [--json]";
    if (auto stop = parseCommand(p, args, "meta", usage, 1, 1))
        return *stop;
    const bool change = p.isSet(titleOpt) || p.isSet(analystOpt) || p.isSet(descOpt) || p.isSet(tzOpt);
    if (p.isSet(tzOpt) && !store::AnnotationStore::validTimeZone(p.value(tzOpt).toStdString())) {
        std::fprintf(stderr, "transfertrace meta: unknown time zone '%s' (use an IANA id such as Europe/Berlin)\n",
            printable(p.value(tzOpt).toStdString()).c_str());
        return kUsageError;
    }
    const std::string path = p.positionalArguments()[0].toStdString();
    const bool json = p.isSet(jsonOpt);
    SignalCancel interrupt; // before the case is opened (and locked): a signal at any moment cancels cleanly
    try {
        auto cs = store::CaseStore::open(
            path, change ? store::CaseStore::Access::ReadWrite : store::CaseStore::Access::ReadOnly, {change});
        if (change && cs->readOnly()) {
            std::fprintf(stderr, "transfertrace meta: cannot change '%s': %s\n", printable(cs->path()).c_str(),
                printable(cs->readOnlyReason()).c_str());
            return 1;
        }
        pauseForTest("meta", *interrupt.flag());
        if (interrupt.caught())
            return cancelled(interrupt, json, change ? ": the case is unchanged" : "");
        store::AnnotationStore s(*cs);
        store::CaseMeta m = s.meta();
        if (change) {
            if (!cs->migrationBackup().empty())
                std::fprintf(stderr,
                    "transfertrace meta: upgraded the case from schema v%d; the original is kept as '%s'\n",
                    cs->migratedFrom(), printable(cs->migrationBackup()).c_str());
            if (p.isSet(titleOpt))
                m.title = p.value(titleOpt).toStdString();
            if (p.isSet(analystOpt))
                m.analyst = p.value(analystOpt).toStdString();
            if (p.isSet(descOpt))
                m.description = p.value(descOpt).toStdString();
            if (p.isSet(tzOpt))
                m.displayTz = p.value(tzOpt).toStdString();
            if (interrupt.caught())
                return cancelled(interrupt, json, ": the case is unchanged");
            s.setMeta(m);
            m = s.meta();
        }
        if (interrupt.caught()) // the change (one transaction) is saved; the signal still ends the command
            return cancelled(interrupt, json, change ? " (after the change was saved)" : "");
        if (json)
            writeOutput(QJsonDocument(metaJson(m)).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
        else
            printMeta(m);
    } catch (const std::exception &e) {
        if (interrupt.caught())
            return cancelled(interrupt, json, "");
        std::fprintf(stderr, "transfertrace meta: %s\n", printable(e.what()).c_str());
        return 1;
    }
    return 0;
}

} // namespace tt::app
