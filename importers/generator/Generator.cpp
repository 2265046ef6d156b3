#include "Generator.h"

#include "Background.h"
#include "GroundTruth.h"
#include "RecordWriter.h"
#include "Scenario.h"
#include "Topology.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <thread>

namespace tt::gen {

namespace {

// Writes one host: its background stream (slot by slot, through a small min-heap) merged with
// the scenario's pre-planned events, in time order.
void writeHost(const Topology &topo, int host, const Options &o, int64_t budget, int64_t startUs, int64_t endUs,
               const std::vector<Event> &scripted, const std::string &dir, HostResult &res)
{
    RecordWriter w(topo, topo.host(host),
                   o.format == Options::Format::EventXml ? RecordWriter::Format::EventXml : RecordWriter::Format::JsonLines,
                   o.seed);
    res.file = w.fileName();
    if (!w.open(dir)) {
        res.error = w.error();
        return;
    }
    Background bg(topo, host, o.seed, budget, startUs, endUs);
    std::vector<Event> heap, slot;
    heap.reserve(4096);
    slot.reserve(4096);
    size_t si = 0;
    auto popTo = [&](int64_t limit, bool all) {
        while (!heap.empty() && (all || heap.front().us < limit)) {
            std::pop_heap(heap.begin(), heap.end());
            Event e = std::move(heap.back());
            heap.pop_back();
            while (si < scripted.size() && scripted[si].us <= e.us)
                w.write(scripted[si++]);
            w.write(e);
        }
    };
    int64_t slotEnd = 0;
    while (bg.nextSlot(slot, slotEnd)) {
        for (Event &e : slot) {
            heap.push_back(std::move(e));
            std::push_heap(heap.begin(), heap.end());
        }
        slot.clear();
        popTo(slotEnd, false);
    }
    popTo(0, true);
    while (si < scripted.size())
        w.write(scripted[si++]);
    w.close();
    res.error = w.error();
    res.count = w.count();
    res.firstUs = w.firstUs();
    res.lastUs = w.lastUs();
    res.counts = w.counts();
    res.evidence = w.evidence();
    res.trapSamples = w.trapSamples();
    std::copy(w.trapCounts(), w.trapCounts() + static_cast<int>(Trap::Count), res.trapCounts);
}

} // namespace

Summary generate(const Options &in)
{
    Summary sum;
    Options o = in;
    o.hosts = std::clamp(o.hosts, 2, 2000);
    o.days = std::clamp(o.days, 1, 366);
    o.events = std::max<int64_t>(o.events, 0);
    o.attackerHops = std::clamp(o.attackerHops, 0, o.hosts - 1);
    if (o.outDir.isEmpty()) {
        sum.error = QStringLiteral("no output folder");
        return sum;
    }
    QDir dir(o.outDir);
    if (!dir.mkpath(QStringLiteral("."))) {
        sum.error = QStringLiteral("cannot create %1").arg(o.outDir);
        return sum;
    }
    const std::string dirPath = QFileInfo(dir.absolutePath()).absoluteFilePath().toStdString();

    const Topology topo(o.hosts, o.seed);
    const int64_t startUs = topo.startUs();
    const int64_t endUs = startUs + o.days * 86400LL * 1000000;
    Scenario sc(topo, o.seed, startUs, endUs, o.days, o.attackerHops);

    // Background budget per host: by weight, largest remainder, exact total.
    const size_t n = topo.hosts().size();
    const int64_t budget = std::max<int64_t>(0, o.events - sc.eventCount());
    std::vector<int64_t> budgets(n, 0);
    {
        int64_t wsum = 0;
        for (const Host &h : topo.hosts())
            wsum += static_cast<int64_t>(h.weight * 100);
        int64_t given = 0, cum = 0;
        for (size_t i = 0; i < n; ++i) {
            cum += static_cast<int64_t>(topo.host(static_cast<int>(i)).weight * 100);
            const int64_t upTo = static_cast<int64_t>(static_cast<Int128>(budget) * cum / wsum);
            budgets[i] = upTo - given;
            given = upTo;
        }
    }

    std::vector<HostResult> results(n);
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next++; i < n; i = next++)
            writeHost(topo, static_cast<int>(i), o, budgets[i], startUs, endUs, sc.events(static_cast<int>(i)), dirPath,
                      results[i]);
    };
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread &t : pool)
        t.join();

    for (size_t i = 0; i < n; ++i) {
        if (!results[i].error.empty() && sum.error.isEmpty())
            sum.error = QString::fromStdString(results[i].error);
        sum.eventsWritten += results[i].count;
        sum.files << QString::fromStdString(dirPath + '/' + results[i].file);
    }
    sum.hosts = static_cast<int>(n);
    for (const Transfer &t : sc.transfers())
        if (t.category != Transfer::Category::Ingress)
            ++sum.transfers;
    sum.groundTruthPath = QString::fromStdString(dirPath + "/ground_truth.json");
    const QString err = GroundTruth(topo, o).write(sum.groundTruthPath, sc.transfers(), sc.notes(), results);
    if (!err.isEmpty() && sum.error.isEmpty())
        sum.error = err;
    return sum;
}

} // namespace tt::gen
