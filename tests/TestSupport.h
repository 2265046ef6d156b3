#pragma once

// Shared helpers for the Qt Test executables.

#include "core/RawEvent.h"
#include "core/RecordSink.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace tt::test {

inline QString envDir(const char *name)
{
    return QString::fromLocal8Bit(qgetenv(name));
}
inline QString fixturesDir()
{
    return envDir("TT_FIXTURES_DIR");
}
inline QString corpusDir()
{
    return envDir("TT_CORPUS_DIR");
}

// For corpus tests' main(): when the corpus is absent, say so and exit 77 (ctest: skipped).
inline void requireCorpusOrSkip()
{
    const QByteArray dir = qgetenv("TT_CORPUS_DIR");
    const std::string readme = dir.toStdString() + "/README.md";
    if (std::FILE *f = dir.isEmpty() ? nullptr : std::fopen(readme.c_str(), "rb"); !f) {
        std::fprintf(stderr,
            "SKIP: corpus not found at '%s' (../shared/corpus beside the checkout); "
            "corpus tests need it\n",
            dir.constData());
        std::exit(77);
    } else {
        std::fclose(f);
    }
}

// A fixture file under tests/fixtures ("json/x.json") as bytes; fatal when missing.
inline std::string readFixture(const QString &relativePath)
{
    QFile f(fixturesDir() + QStringLiteral("/") + relativePath);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(f.fileName()));
    const QByteArray b = f.readAll();
    return std::string(b.constData(), size_t(b.size()));
}

// A System field of a record, or "<absent>" (distinct from an empty value).
inline std::string sys(const RawEvent &ev, std::string_view name)
{
    for (const auto &f : ev.system)
        if (f.name == name)
            return f.value;
    return "<absent>";
}
inline bool hasSys(const RawEvent &ev, std::string_view name)
{
    for (const auto &f : ev.system)
        if (f.name == name)
            return true;
    return false;
}
// An event-data field, or "<absent>".
inline std::string fld(const RawEvent &ev, std::string_view name)
{
    if (!ev.hasField(name))
        return "<absent>";
    return std::string(ev.field(name));
}

struct Reject {
    int64_t position;
    std::string reason;
};

// Keeps every event and reject in memory, for assertions.
class CollectingSink : public RecordSink {
public:
    std::vector<RawEvent> events;
    std::vector<Reject> rejects;
    std::vector<Reject> warnings;
    bool keepEvents = true;
    uint64_t count = 0;

    void event(RawEvent &ev) override
    {
        ++count;
        if (keepEvents)
            events.push_back(ev);
    }
    void reject(int64_t position, std::string_view reason) override
    {
        rejects.push_back({position, std::string(reason)});
    }
    void warning(int64_t position, std::string_view message) override
    {
        warnings.push_back({position, std::string(message)});
    }
};

} // namespace tt::test
