#include "Generator.h"

#include "Background.h"
#include "GroundTruth.h"
#include "LinuxActivity.h"
#include "RecordWriter.h"
#include "Scenario.h"
#include "Topology.h"
#include "ZeekSensor.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <cstdio>
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
    if (o.stream)
        w.openStream(o.stream);
    else if (!w.open(dir)) {
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
    o.hosts = std::clamp(o.hosts, 2, Options::kMaxHosts);
    o.days = std::clamp(o.days, 1, 366);
    o.events = std::max<int64_t>(o.events, 0);
    o.attackerHops = std::clamp(o.attackerHops, 0, o.hosts - 1);
    o.linuxHosts = std::clamp(o.linuxHosts, 0, 200);
    if (o.stream) {
        o.linuxHosts = 0;
        o.sensor = false;
        o.format = Options::Format::JsonLines; // one stream of XML documents would not be one document
        o.outDir = QStringLiteral(".");
    }
    if (o.outDir.isEmpty()) {
        sum.error = QStringLiteral("no output folder");
        return sum;
    }
    QDir dir(o.outDir);
    if (!o.stream && !dir.mkpath(QStringLiteral("."))) {
        sum.error = QStringLiteral("cannot create %1").arg(o.outDir);
        return sum;
    }
    const std::string dirPath = QFileInfo(dir.absolutePath()).absoluteFilePath().toStdString();

    const Topology topo(o.hosts, o.seed, o.linuxHosts, o.enterprise, o.days);
    const int64_t startUs = topo.startUs();
    const int64_t endUs = startUs + o.days * 86400LL * 1000000;
    const size_t n = static_cast<size_t>(topo.windowsCount());
    const size_t all = topo.hosts().size();
    // A Linux server logs about half of what a Windows host does; the sensor a few percent.
    const int64_t linuxBudget = o.events * 5 / (10 * static_cast<int64_t>(all));
    if (o.stream)
        o.platforms = false;
    Scenario sc(
        topo, o.seed, startUs, endUs, o.days, o.attackerHops, linuxBudget, o.deployment, o.procedures, o.platforms);

    std::vector<HostResult> results(all);
    int64_t otherEvents = 0;
    for (size_t i = n; i < all; ++i) {
        LinuxActivity::write(
            topo, static_cast<int>(i), o.seed, sc.linuxRecords(static_cast<int>(i)), dirPath, results[i]);
        otherEvents += results[i].count;
    }
    HostResult sensor;
    if (o.sensor) {
        const std::string zeekDir = dirPath + "/zeek";
        if (!QDir().mkpath(QString::fromStdString(zeekDir)))
            sensor.error = "cannot create " + zeekDir;
        else
            ZeekSensor::write(
                topo, o.seed, sc.flows(), o.events * 3 / 100, startUs, endUs, o.zeekJson, zeekDir, sensor);
        otherEvents += sensor.count;
    }

    // Background budget per Windows host: by weight, largest remainder, exact total.
    const int64_t budget = std::max<int64_t>(0, o.events - sc.eventCount() - otherEvents);
    std::vector<int64_t> budgets(n, 0);
    {
        int64_t wsum = 0;
        for (size_t i = 0; i < n; ++i)
            wsum += static_cast<int64_t>(topo.host(static_cast<int>(i)).weight * 100);
        int64_t given = 0, cum = 0;
        for (size_t i = 0; i < n; ++i) {
            cum += static_cast<int64_t>(topo.host(static_cast<int>(i)).weight * 100);
            const int64_t upTo = static_cast<int64_t>(static_cast<Int128>(budget) * cum / wsum);
            budgets[i] = upTo - given;
            given = upTo;
        }
    }

    std::atomic<size_t> next {0};
    auto worker = [&] {
        for (size_t i = next++; i < n; i = next++)
            writeHost(topo, static_cast<int>(i), o, budgets[i], startUs, endUs, sc.events(static_cast<int>(i)), dirPath,
                results[i]);
    };
    // A stream gets one host after another (each host's lines stay together, in time order).
    const unsigned threads = o.stream ? 1u : std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread &t : pool)
        t.join();

    for (size_t i = 0; i < all; ++i) {
        if (!results[i].error.empty() && sum.error.isEmpty())
            sum.error = QString::fromStdString(results[i].error);
        sum.eventsWritten += results[i].count;
        sum.files << QString::fromStdString(dirPath + '/' + results[i].file);
        for (const std::string &f : results[i].moreFiles)
            sum.files << QString::fromStdString(dirPath + '/' + f);
    }
    if (o.sensor) {
        if (!sensor.error.empty() && sum.error.isEmpty())
            sum.error = QString::fromStdString(sensor.error);
        sum.eventsWritten += sensor.count;
        sum.files << QString::fromStdString(dirPath + '/' + sensor.file);
        for (const std::string &f : sensor.moreFiles)
            sum.files << QString::fromStdString(dirPath + '/' + f);
    }
    // ESXi hosts and Macs: their lines as rendered.
    for (const PlatformHost &h : sc.platformHosts) {
        for (const PlatformLog &l : h.logs) {
            const QString path = QString::fromStdString(dirPath + '/' + l.file);
            if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
                if (sum.error.isEmpty())
                    sum.error = QStringLiteral("cannot create the folder of %1").arg(path);
                continue;
            }
            std::FILE *f = std::fopen(path.toLocal8Bit().constData(), "wb");
            bool ok = f != nullptr;
            for (size_t i = 0; ok && i < l.lines.size(); ++i)
                ok = std::fputs(l.lines[i].text.c_str(), f) >= 0 && std::fputc('\n', f) != EOF;
            if (f && std::fclose(f) != 0)
                ok = false;
            if (!ok && sum.error.isEmpty())
                sum.error = QStringLiteral("cannot write %1").arg(path);
            sum.eventsWritten += static_cast<int64_t>(l.lines.size());
            if (l.importHost.empty())
                sum.files << path;
            else
                sum.hostFiles.append({path, QString::fromStdString(l.importHost)});
        }
    }
    sum.hosts = static_cast<int>(all + sc.platformHosts.size());
    for (const Transfer &t : sc.transfers())
        if (t.category != Transfer::Category::Ingress)
            ++sum.transfers;
    if (o.stream) {
        sum.files.clear();
        return sum;
    }
    sum.groundTruthPath = QString::fromStdString(dirPath + "/ground_truth.json");
    const QString err = GroundTruth(topo, o).write(
        sum.groundTruthPath, sc.transfers(), sc.notes(), results, o.sensor ? &sensor : nullptr, &sc.platformHosts);
    if (!err.isEmpty() && sum.error.isEmpty())
        sum.error = err;
    return sum;
}

} // namespace tt::gen
