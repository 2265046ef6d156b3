#include "GeneratedCase.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace tt;

GeneratedCase importGenerated(const tt::gen::Options &o, const QString &casePath)
{
    GeneratedCase g;
    g.summary = gen::generate(o);
    if (!g.summary.error.isEmpty()) {
        g.error = QStringLiteral("gen: ") + g.summary.error;
        return g;
    }
    g.store = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::Create);
    std::vector<std::string> inputs;
    for (const QString &f : g.summary.files)
        inputs.push_back(f.toStdString());
    ImportEngine engine(*g.store, {});
    if (const int rc = engine.run(inputs).exitCode(); rc != 0) {
        g.error = QStringLiteral("import exited %1").arg(rc);
        return g;
    }
    inference::InferenceEngine(*g.store).run();
    g.rows = inference::listTransfers(*g.store, {});
    QFile f(g.summary.groundTruthPath);
    if (!f.open(QIODevice::ReadOnly)) {
        g.error = QStringLiteral("cannot read ") + g.summary.groundTruthPath;
        return g;
    }
    g.truth = QJsonDocument::fromJson(f.readAll()).array().first().toObject();
    return g;
}
