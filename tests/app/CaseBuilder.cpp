#include "CaseBuilder.h"

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/CaseStore.h"

QString buildGeneratedCase(const QString &dir, int hosts, qint64 events, quint64 seed, QString *error)
{
    tt::gen::Options o;
    o.hosts = hosts;
    o.events = events;
    o.seed = seed;
    o.days = 1;
    o.attackerHops = 5;
    o.outDir = dir + QStringLiteral("/gen");
    const tt::gen::Summary g = tt::gen::generate(o);
    if (!g.error.isEmpty()) {
        *error = g.error;
        return {};
    }
    QString casePath = dir + QStringLiteral("/case.ttcase");
    try {
        auto cs = tt::store::CaseStore::open(casePath.toStdString(), tt::store::CaseStore::Access::Create);
        tt::ImportEngine engine(*cs, {});
        std::vector<std::string> files;
        for (const QString &f : g.files)
            files.push_back(f.toStdString());
        if (engine.run(files).exitCode() != 0) {
            *error = QStringLiteral("import failed");
            return {};
        }
        tt::inference::InferenceEngine(*cs).run();
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return {};
    }
    return casePath;
}
