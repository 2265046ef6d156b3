// Graph layout benchmark (not a test): Graphviz dot, sfdp and neato on synthetic transfer graphs
// shaped like a lateral-movement case (a random spanning tree of pushes plus cross links), and
// what the automatic engine choice (LayoutInput::Engine::Auto) picks and costs, with and without
// pinned nodes. The numbers justify the thresholds in LayoutTypes.h.
//
// usage: bench_layout [--sizes 100,250,1000,5000] [--cross R] [--dot-max N] | --deploy N
//   --cross R: cross links per node beside the tree (default 0.5); --dot-max: largest graph dot
//   is timed on (default 1000; dot grows much faster than linearly). --deploy N: only the
//   deployment-fan rows (issue 14 item 5): an intrusion of 40 hosts plus one SCCM push to N
//   hosts, three of them also reached by the attacker, laid out with every push drawn and folded.

#include "GraphvizLayout.h"
#include "query/GraphAggregation.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <ctime>
#include <random>

using namespace tt::graph;

namespace {
LayoutInput synthetic(int n, double cross, int pinned)
{
    LayoutInput in;
    std::mt19937 rng(static_cast<unsigned>(n));
    for (int i = 1; i <= n; ++i) {
        LayoutNode node {i, 96.0 + static_cast<double>(rng() % 8) * 12.0, 42, false, 0, 0};
        if (i <= pinned) {
            node.pinned = true;
            node.x = static_cast<double>(i) * 400.0;
            node.y = 0;
        }
        in.nodes.push_back(node);
    }
    int64_t eid = 1;
    for (int i = 2; i <= n; ++i)
        in.edges.push_back({eid++, static_cast<int64_t>(rng() % static_cast<unsigned>(i - 1)) + 1, i, 1});
    const int links = static_cast<int>(n * cross);
    for (int k = 0; k < links; ++k)
        in.edges.push_back({eid++, static_cast<int64_t>(rng() % static_cast<unsigned>(n)) + 1,
            static_cast<int64_t>(rng() % static_cast<unsigned>(n)) + 1, 1});
    return in;
}

const char *name(Engine e)
{
    switch (e) {
    case Engine::Dot:
        return "dot";
    case Engine::Sfdp:
        return "sfdp";
    case Engine::Neato:
        return "neato";
    default:
        return "auto";
    }
}

double cpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Wall-clock ms; the thread's CPU ms in *cpu (the machine is shared: CPU time is what the
// layout costs on an idle machine).
double run(LayoutInput in, Engine e, Engine *used = nullptr, double *cpu = nullptr);

// The deployment rows: aggregation (Auto and None grouping, fans off then on) and the layout of
// what it leaves. Wall ms of aggregation, wall and CPU ms of the layout.
void deploymentRows(int targets)
{
    tt::GraphData g;
    auto host = [&g](int64_t id) {
        tt::GraphHost h;
        h.id = id;
        h.name = QStringLiteral("HOST-%1").arg(id);
        h.addresses = QStringLiteral("10.%1.%2.%3").arg(id / 12750).arg((id / 50) % 255).arg(id % 50 + 1);
        g.hosts.push_back(h);
    };
    int64_t tid = 1;
    auto transfer = [&g, &tid](int64_t s, int64_t d, const QString &tool, int64_t ts) {
        tt::GraphEdge e;
        e.id = static_cast<int64_t>(g.edges.size()) + 1;
        e.source = s;
        e.target = d;
        e.count = 1;
        e.methods = {QStringLiteral("psexec-service-binary")};
        e.transferIds << tid;
        if (!tool.isEmpty()) {
            e.benign = 1;
            g.benignPushes.push_back({tid, s, d, tool, QStringLiteral("ccmsetup.exe"), ts});
        }
        ++tid;
        g.edges.push_back(e);
    };
    // The intrusion: a chain over hosts 1..40 (host 1 the SCCM server, untouched by it).
    std::mt19937 rng(7);
    for (int64_t i = 1; i <= 40 + targets; ++i)
        host(i);
    for (int64_t i = 3; i <= 40; ++i)
        transfer(static_cast<int64_t>(rng() % static_cast<unsigned>(i - 2)) + 2, i, {}, 0);
    const int64_t t0 = 1'700'000'000'000'000;
    for (int64_t i = 0; i < targets; ++i)
        transfer(1, 41 + i, QStringLiteral("sccm"), t0 + i * 3'000'000);
    for (int64_t i = 0; i < 3; ++i) // attacker drops on three deployment targets
        transfer(2 + i, 41 + i * 100 % targets, {}, t0);
    std::printf(
        "\nDeployment push to %d hosts beside a 40-host intrusion (%zu transfers):\n\n| grouping | fans | nodes | "
        "edges | aggregate ms | layout: engine, wall (CPU) |\n|---|---|------:|------:|------:|---|\n",
        targets, g.edges.size());
    for (tt::HostGrouping by : {tt::HostGrouping::None, tt::HostGrouping::Auto})
        for (bool fans : {false, true}) {
            timespec w0 {}, w1 {};
            clock_gettime(CLOCK_MONOTONIC, &w0);
            const tt::GraphData out = tt::aggregateGraph(g, by, {}, {}, fans);
            clock_gettime(CLOCK_MONOTONIC, &w1);
            const double aggMs
                = static_cast<double>(w1.tv_sec - w0.tv_sec) * 1e3 + static_cast<double>(w1.tv_nsec - w0.tv_nsec) / 1e6;
            LayoutInput in;
            for (const tt::GraphHost &h : out.hosts)
                in.nodes.push_back(
                    {h.id, 7.5 * static_cast<double>(std::min<qsizetype>(h.name.size(), 40)) + 36.0, 42, false, 0, 0});
            for (const tt::GraphEdge &e : out.edges)
                in.edges.push_back({e.id, e.source, e.target, static_cast<double>(e.count)});
            Engine used = Engine::Auto;
            double cpu = 0;
            const double wall = run(in, Engine::Auto, &used, &cpu);
            std::printf("| %s | %s | %5zu | %5zu | %5.1f | %s, %.0f (%.0f) |\n",
                by == tt::HostGrouping::None ? "none" : "auto", fans ? "folded" : "off", out.hosts.size(),
                out.edges.size(), aggMs, name(used), wall, cpu);
            std::fflush(stdout);
        }
}

double run(LayoutInput in, Engine e, Engine *used, double *cpu)
{
    in.engine = e;
    const double c0 = cpuMs();
    const LayoutResult r = GraphvizLayout().layout(in);
    if (cpu)
        *cpu = cpuMs() - c0;
    if (used)
        *used = r.engine;
    return r.error.empty() ? r.milliseconds : -1;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> sizes {50, 100, 150, 250, 500, 1000, 2000, 5000};
    double cross = 0.5;
    int dotMax = 1000;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--sizes") && i + 1 < args.size()) {
            sizes.clear();
            for (const QString &s : args[++i].split(QLatin1Char(',')))
                sizes << s.toInt();
        } else if (args[i] == QLatin1String("--cross") && i + 1 < args.size())
            cross = args[++i].toDouble();
        else if (args[i] == QLatin1String("--dot-max") && i + 1 < args.size())
            dotMax = args[++i].toInt();
        else if (args[i] == QLatin1String("--deploy") && i + 1 < args.size()) {
            deploymentRows(std::max(5, args[++i].toInt()));
            return 0;
        } else {
            std::fprintf(
                stderr, "usage: bench_layout [--sizes 100,250,1000,5000] [--cross R] [--dot-max N] | --deploy N\n");
            return 64;
        }
    }
    std::printf("Milliseconds, wall clock (CPU of the laying-out thread for auto)\n\n");
    std::printf(
        "| nodes | edges | dot | sfdp | neato | auto: engine, wall (CPU) | auto, 3 pins: engine, wall (CPU) |\n");
    std::printf(
        "|------:|------:|----:|-----:|------:|--------------------------|----------------------------------|\n");
    for (int n : sizes) {
        const LayoutInput in = synthetic(n, cross, 0);
        const double dot = n <= dotMax ? run(in, Engine::Dot) : -1;
        const double sfdp = n <= dotMax ? run(in, Engine::Sfdp) : -1;
        const double neato = n <= dotMax ? run(in, Engine::Neato) : -1;
        Engine a = Engine::Auto, ap = Engine::Auto;
        double autoCpu = 0, pinnedCpu = 0;
        const double autoMs = run(in, Engine::Auto, &a, &autoCpu);
        const double pinnedMs = run(synthetic(n, cross, 3), Engine::Auto, &ap, &pinnedCpu);
        std::printf("| %5d | %5zu | %5.0f | %5.0f | %5.0f | %s, %.0f (%.0f) | %s, %.0f (%.0f) |\n", n, in.edges.size(),
            dot, sfdp, neato, name(a), autoMs, autoCpu, name(ap), pinnedMs, pinnedCpu);
        std::fflush(stdout);
    }
    // What the workbench lays out for a graph of that many hosts (Auto grouping: by /24 above
    // kAutoGroupHosts): the same synthetic graph with its hosts spread over /24s of 50 hosts,
    // aggregated (GraphAggregation), then laid out. Wall ms of aggregation + layout.
    std::printf(
        "\nGrouped by /24 (50 hosts each) as the workbench draws it:\n\n| hosts | edges | groups | "
        "group edges | aggregate | layout: engine, wall (CPU) |\n|------:|------:|------:|------:|------:|---|\n");
    for (int n : sizes) {
        const LayoutInput raw = synthetic(n, cross, 0);
        tt::GraphData g;
        for (const LayoutNode &node : raw.nodes) {
            tt::GraphHost h;
            h.id = node.id;
            h.name = QStringLiteral("HOST-%1").arg(node.id);
            h.addresses
                = QStringLiteral("10.%1.%2.%3").arg(node.id / 12750).arg((node.id / 50) % 255).arg(node.id % 50 + 1);
            g.hosts.push_back(h);
        }
        for (const LayoutEdge &e : raw.edges) {
            tt::GraphEdge ge;
            ge.id = e.id;
            ge.source = e.source;
            ge.target = e.target;
            ge.count = 1;
            ge.transferIds << e.id;
            g.edges.push_back(ge);
        }
        timespec w0 {}, w1 {};
        clock_gettime(CLOCK_MONOTONIC, &w0);
        const tt::GraphData grouped = tt::aggregateGraph(g, tt::HostGrouping::Auto);
        clock_gettime(CLOCK_MONOTONIC, &w1);
        const double aggMs
            = static_cast<double>(w1.tv_sec - w0.tv_sec) * 1e3 + static_cast<double>(w1.tv_nsec - w0.tv_nsec) / 1e6;
        LayoutInput in;
        for (const tt::GraphHost &h : grouped.hosts)
            in.nodes.push_back(
                {h.id, 7.5 * static_cast<double>(std::min<qsizetype>(h.name.size(), 40)) + 36.0, 42, false, 0, 0});
        for (const tt::GraphEdge &e : grouped.edges)
            in.edges.push_back({e.id, e.source, e.target, static_cast<double>(e.count)});
        Engine used = Engine::Auto;
        double cpu = 0;
        const double wall = run(in, Engine::Auto, &used, &cpu);
        std::printf("| %5d | %5zu | %5zu | %5zu | %5.1f | %s, %.0f (%.0f) |\n", n, raw.edges.size(),
            grouped.hosts.size(), grouped.edges.size(), aggMs, name(used), wall, cpu);
        std::fflush(stdout);
    }
    return 0;
}
