#pragma once

// Shared helpers for the Qt Test executables.

#include "core/RawEvent.h"
#include "core/RecordSink.h"

#include <QByteArray>
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
inline QString fixturesDir() { return envDir("TT_FIXTURES_DIR"); }
inline QString corpusDir() { return envDir("TT_CORPUS_DIR"); }

// For corpus tests' main(): when the corpus is absent, say so and exit 77 (ctest: skipped).
inline void requireCorpusOrSkip()
{
    const QByteArray dir = qgetenv("TT_CORPUS_DIR");
    const std::string readme = dir.toStdString() + "/README.md";
    if (std::FILE *f = dir.isEmpty() ? nullptr : std::fopen(readme.c_str(), "rb"); !f) {
        std::fprintf(stderr, "SKIP: corpus not found at '%s' (../shared/corpus beside the checkout); "
                             "corpus tests need it\n", dir.constData());
        std::exit(77);
    } else {
        std::fclose(f);
    }
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
