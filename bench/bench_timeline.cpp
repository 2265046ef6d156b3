// Timeline import benchmark (not a test): for each file given, rows/s and MB/s of the timeline
// parser alone (records counted, not stored) and of a full import into a fresh case (one
// transaction, normalisation, SQLite). The format is detected by content as the CLI does.
//
// usage: bench_timeline FILE...

#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/ImportEngine.h"
#include "core/ParserRegistry.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "store/CaseStore.h"

#include <QTemporaryDir>

#include "WorkDir.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace {
double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class CountingSink : public tt::RecordSink {
public:
    long long events = 0, rejects = 0;
    void event(tt::RawEvent &) override { ++events; }
    void reject(int64_t, std::string_view) override { ++rejects; }
};
} // namespace

int main(int argc, char **argv)
{
    spdlog::set_level(spdlog::level::warn);
    QTemporaryDir dir;
    if (!workDirUsable(dir, "bench_timeline"))
        return 1;
    for (int i = 1; i < argc; ++i) {
        const std::string path = argv[i];
        std::string head(65536, '\0');
        tt::Format fmt = tt::Format::Unknown;
        double mb = 0;
        {
            tt::FileSource f(path);
            const long long n = f.readFully(head.data(), head.size());
            fmt = tt::detectFormat(head.data(), n > 0 ? size_t(n) : 0);
            mb = double(f.sizeHint()) / 1e6;
        }
        auto parser = tt::makeParser(fmt);
        if (!parser) {
            std::printf("%s: not a supported format\n", path.c_str());
            continue;
        }
        tt::FileSource src(path);
        CountingSink sink;
        double t0 = now();
        parser->parse(src, sink);
        const double parseS = now() - t0;
        auto cs = tt::store::CaseStore::open(
            dir.filePath(QStringLiteral("c%1.ttcase").arg(i)).toStdString(), tt::store::CaseStore::Access::Create);
        tt::ImportEngine engine(*cs, {});
        t0 = now();
        const tt::ImportSummary s = engine.run({path});
        const double importS = now() - t0;
        std::printf("%-16s %8.1f MB %9lld rows (%lld rejected)  parse %9.0f rows/s %6.1f MB/s   import %8.0f rows/s "
                    "%6.1f MB/s\n",
            std::string(tt::formatName(fmt)).c_str(), mb, sink.events, sink.rejects, double(sink.events) / parseS,
            mb / parseS, double(s.stored()) / importS, mb / importS);
    }
    return 0;
}
